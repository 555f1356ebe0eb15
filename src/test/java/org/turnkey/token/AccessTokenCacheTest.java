package org.turnkey.token;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.turnkey.support.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access-token cache: bounded, evicting one entry at a time by use, expiring with its
 * token, and never holding a token after its revocation's invalidation (spec "Using access
 * tokens": a revoked token is refused with M_UNKNOWN_TOKEN, which the filter can only do if the
 * cache does not answer for it).
 */
class AccessTokenCacheTest {

    private static final Instant START = Instant.parse("2026-12-03T12:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final AtomicLong nanos = new AtomicLong();
    /** Advances with {@link #clock}, so Caffeine's expiry sees the same time as the token's. */
    private final Ticker ticker = nanos::get;

    private AccessTokenCache cache(int size) {
        return new AccessTokenCache(size, clock, ticker, Runnable::run);
    }

    private void advance(Duration duration) {
        clock.advance(duration);
        nanos.addAndGet(duration.toNanos());
    }

    private static AccessTokenCache.Entry entry(String device, Long expiresTs) {
        return new AccessTokenCache.Entry("@a:x", device, 1, 1, expiresTs, false, false);
    }

    private static void load(AccessTokenCache cache, String hash, Long expiresTs) {
        cache.put(hash, entry(hash, expiresTs), cache.stamp(hash));
    }

    @Test
    @DisplayName("The cache holds at most its size in tokens")
    void boundedSize() {
        AccessTokenCache cache = cache(100);
        for (int i = 0; i < 1_000; i++) {
            load(cache, "h" + i, null);
        }
        cache.cleanUp();
        assertTrue(cache.size() <= 100, "size " + cache.size());
    }

    @Test
    @DisplayName("A full cache evicts rarely used tokens one at a time and keeps the frequently used ones")
    void evictionKeepsTheFrequentlyUsed() {
        AccessTokenCache cache = cache(100);
        for (int i = 0; i < 50; i++) {
            load(cache, "hot" + i, null);
        }
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 50; i++) {
                assertNotNull(cache.get("hot" + i));
            }
        }
        // Twice the cache's size in tokens used once each: the old map emptied itself here.
        for (int i = 0; i < 200; i++) {
            if (cache.get("cold" + i) == null) {
                load(cache, "cold" + i, null);
            }
        }
        cache.cleanUp();
        for (int i = 0; i < 50; i++) {
            assertNotNull(cache.get("hot" + i), "hot" + i);
        }
        assertTrue(cache.size() <= 100, "size " + cache.size());
    }

    @Test
    @DisplayName("An entry leaves the cache at its token's expiry; a token without expiry stays")
    void expiryAtTokenExpiry() {
        AccessTokenCache cache = cache(100);
        long expires = START.plus(Duration.ofMinutes(5)).toEpochMilli();
        load(cache, "expiring", expires);
        load(cache, "forever", null);
        advance(Duration.ofMinutes(5).minusMillis(1));
        assertNotNull(cache.get("expiring"));
        advance(Duration.ofMillis(1));
        assertNull(cache.get("expiring"));
        advance(Duration.ofDays(400));
        assertNotNull(cache.get("forever"));
    }

    @Test
    @DisplayName("A token already expired when loaded is not cached")
    void expiredTokenIsNotCached() {
        AccessTokenCache cache = cache(100);
        load(cache, "expired", START.toEpochMilli());
        assertNull(cache.get("expired"));
    }

    @Test
    @DisplayName("Revocation removes exactly the revoked tokens, not the rest of the cache")
    void revocationInvalidatesOnlyItsTokens() {
        AccessTokenCache cache = cache(100);
        load(cache, "revoked1", null);
        load(cache, "revoked2", null);
        load(cache, "kept", null);
        cache.invalidate(List.of("revoked1", "revoked2"));
        assertNull(cache.get("revoked1"));
        assertNull(cache.get("revoked2"));
        assertNotNull(cache.get("kept"));
    }

    @Test
    @DisplayName("A lookup that read the database before an invalidation does not cache its row")
    void lookupOlderThanAnInvalidationIsNotCached() {
        AccessTokenCache cache = cache(100);
        AccessTokenCache.Stamp stamp = cache.stamp("h");
        // The row is read here, then the token is revoked and invalidated before the put, here on
        // the lookup's own thread, after an eviction of another token that alone would not count.
        cache.invalidate(List.of("other"));
        cache.invalidate(List.of("other", "h"));
        cache.put("h", entry("h", null), stamp);
        assertNull(cache.get("h"));
        // A lookup started after the invalidation reads the revoked row, or a live one it may cache.
        load(cache, "h2", null);
        assertNotNull(cache.get("h2"));
    }

    @Test
    @DisplayName("A lookup that itself evicts another token (a first use revoking its parent) still caches its own")
    void lookupsOwnInvalidationOfAnotherTokenDoesNotStopItsPut() {
        AccessTokenCache cache = cache(100);
        load(cache, "parent", null);
        AccessTokenCache.Stamp stamp = cache.stamp("child");
        // The first use of the refreshed pair "child" revokes "parent": evicted before and after
        // the commit, on this thread (TokenStore.confirmUse).
        cache.invalidate(List.of("parent"));
        cache.invalidate(List.of("parent"));
        cache.put("child", entry("child", null), stamp);
        assertNotNull(cache.get("child"));
        assertNull(cache.get("parent"));
    }

    @Test
    @DisplayName("Another thread's eviction of any token during a lookup stops the put")
    void otherThreadsInvalidationStopsThePut() throws Exception {
        AccessTokenCache cache = cache(100);
        AccessTokenCache.Stamp stamp = cache.stamp("h");
        cache.invalidate(List.of("mine"));
        Thread other = new Thread(() -> cache.invalidate(List.of("unrelated")));
        other.start();
        other.join();
        cache.put("h", entry("h", null), stamp);
        assertNull(cache.get("h"));
        // The next lookup, stamped after it, is cached.
        load(cache, "h", null);
        assertNotNull(cache.get("h"));
    }

    @Test
    @DisplayName("The lookup counter counts database lookups (misses), not hits")
    void lookupsCountMisses() {
        AccessTokenCache cache = cache(100);
        load(cache, "h", null);
        for (int i = 0; i < 10; i++) {
            assertNotNull(cache.get("h"));
        }
        assertEquals(1, cache.databaseLookups());
    }

    @Test
    @DisplayName("Lookups racing revocations never leave a revoked token in the cache")
    void concurrentPutAndInvalidateNeverResurrectARevokedToken() throws Exception {
        AccessTokenCache cache = cache(1_000_000);
        int rounds = 20_000;
        AtomicBoolean[] revoked = new AtomicBoolean[rounds];
        for (int i = 0; i < rounds; i++) {
            revoked[i] = new AtomicBoolean();
        }
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicInteger readLive = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // The lookup: stamp, read the row, cache it if it was live (TokenService.authenticate).
            Future<?> lookups = pool.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    start.await();
                    AccessTokenCache.Stamp stamp = cache.stamp("h" + i);
                    if (!revoked[i].get()) {
                        readLive.incrementAndGet();
                        Thread.onSpinWait();
                        cache.put("h" + i, entry("D" + i, null), stamp);
                    }
                }
                return null;
            });
            // The revocation: invalidate, commit, invalidate again (TokenStore.invalidate).
            Future<?> revocations = pool.submit(() -> {
                for (int i = 0; i < rounds; i++) {
                    start.await();
                    cache.invalidate(List.of("h" + i));
                    revoked[i].set(true);
                    cache.invalidate(List.of("h" + i));
                }
                return null;
            });
            lookups.get();
            revocations.get();
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < rounds; i++) {
            assertNull(cache.get("h" + i), "revoked token h" + i + " is cached");
        }
        // The race was run: some lookups read the row before its revocation.
        assertTrue(readLive.get() > 0, "no lookup read a live row");
    }
}
