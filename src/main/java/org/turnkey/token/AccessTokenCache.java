package org.turnkey.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.time.Clock;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Access tokens already checked against the database, keyed by hash, so the hot path of every
 * authenticated request is a hash and a cache lookup. The cache holds at most
 * {@code turnkey.access-token-cache.size} tokens; beyond that Caffeine's W-TinyLFU policy evicts
 * one entry at a time, keeping the tokens used most, so more live sessions than the cache holds
 * cost a database lookup for the sessions it does not keep, not for all of them. An entry
 * leaves at its token's expiry too.
 * <p>
 * Every revocation invalidates its hashes, one entry each, before and after its commit (and on
 * every other cluster member, {@code cluster.ClusterInvalidation}); a lookup that raced with an
 * invalidation is not cached, so a revoked token is never served from here: {@link #put} inserts
 * only if no invalidation happened since the lookup's {@link #stamp}, and checks that atomically
 * with the insertion, on the same key an invalidation removes after counting itself.
 * <p>
 * One kind of invalidation does not count against a lookup: one made by the lookup's own thread,
 * between its stamp and its put, of tokens other than the one it looks up. That is the first use
 * of a refreshed pair, which revokes the parent pair and evicts the parent's access token in the
 * middle of the lookup; were it counted, the new token would be read from the database again on
 * its second use. Any other thread's invalidation, and the thread's own of the looked-up token,
 * still stops the put.
 */
@ApplicationScoped
public class AccessTokenCache {

    /**
     * What the token filter needs to know about a valid access token. {@code locked} is the
     * account's lock when the entry was loaded; changing the lock evicts the user's entries.
     * {@code oauth}: the token was issued through the OAuth 2.0 API (no user-interactive auth).
     */
    public record Entry(String userId, String deviceId, long sessionId, long pairId, Long expiresTs, boolean locked,
                        boolean oauth) {
    }

    @Inject
    TurnkeyConfig config;

    @Inject
    Clock clock;

    /** Taken by {@link #stamp} before a database lookup, handed back to {@link #put}. */
    public record Stamp(long invalidations, long ownInvalidations) {
    }

    private Cache<String, Entry> entries;
    private final AtomicLong invalidations = new AtomicLong();
    /**
     * Per thread: the hash its lookup in flight reads, and how many invalidations of other hashes
     * the thread has made. JDK types only, so no thread of the server's pools keeps this
     * application's class loader after an undeploy.
     */
    private final ThreadLocal<String> lookingUp = new ThreadLocal<>();
    private final ThreadLocal<long[]> ownInvalidations = ThreadLocal.withInitial(() -> new long[1]);
    /** Lookups that went to the database: one add per cache miss, none on a hit. */
    private final LongAdder lookups = new LongAdder();

    /** For CDI. */
    protected AccessTokenCache() {
    }

    /** A cache outside CDI (unit tests): its clock and ticker must advance together. */
    AccessTokenCache(int maxEntries, Clock clock, Ticker ticker, Executor maintenance) {
        this.clock = clock;
        entries = build(maxEntries, clock, ticker, maintenance);
    }

    @PostConstruct
    void init() {
        entries = build(config.accessTokenCacheSize(), clock, Ticker.systemTicker(), ForkJoinPool.commonPool());
    }

    private static Cache<String, Entry> build(int maxEntries, Clock clock, Ticker ticker, Executor maintenance) {
        return Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new UntilTokenExpiry(clock))
                .ticker(ticker)
                .executor(maintenance)
                .build();
    }

    public Entry get(String hash) {
        return entries.getIfPresent(hash);
    }

    /**
     * Take before reading the database for {@code hash} (it counts the lookup); pass to
     * {@link #put} afterwards, on the same thread.
     */
    public Stamp stamp(String hash) {
        lookups.increment();
        lookingUp.set(hash);
        return new Stamp(invalidations.get(), ownInvalidations.get()[0]);
    }

    /**
     * Caches the entry read from the database unless an invalidation that counts (see the class
     * comment) happened since {@code stamp} was taken, or the token has expired already.
     */
    public void put(String hash, Entry entry, Stamp stamp) {
        lookingUp.remove();
        // Every invalidation since the stamp is this thread's own, of other hashes, exactly when
        // the counter moved by the number of those.
        long expected = stamp.invalidations() + ownInvalidations.get()[0] - stamp.ownInvalidations();
        if (invalidations.get() != expected
                || entry.expiresTs() != null && entry.expiresTs() <= clock.millis()) {
            return;
        }
        // Atomic with invalidate(hash) on this key: an invalidation that removed the key before
        // this runs has counted itself first, so the entry is not inserted; one that removes it
        // after removes the entry too.
        entries.asMap().compute(hash, (key, old) -> invalidations.get() == expected ? entry : old);
    }

    /** Removes exactly these hashes (never the whole cache) and spoils the lookups in flight. */
    public void invalidate(Collection<String> hashes) {
        invalidations.incrementAndGet();
        String own = lookingUp.get();
        if (own == null || !hashes.contains(own)) {
            ownInvalidations.get()[0]++;
        }
        entries.invalidateAll(hashes);
    }

    /** Database lookups since start (cache misses), for metrics and the benchmark's probe. */
    public long databaseLookups() {
        return lookups.sum();
    }

    /** Entries held now (an estimate while evictions are pending). */
    public long size() {
        return entries.estimatedSize();
    }

    /** Runs pending evictions now (tests). */
    void cleanUp() {
        entries.cleanUp();
    }

    /** An entry lives until its token's expiry; a token without expiry until evicted. */
    private record UntilTokenExpiry(Clock clock) implements Expiry<String, Entry> {

        @Override
        public long expireAfterCreate(String hash, Entry entry, long currentTime) {
            if (entry.expiresTs() == null) {
                return Long.MAX_VALUE;
            }
            long left = entry.expiresTs() - clock.millis();
            return left <= 0 ? 0 : left >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : TimeUnit.MILLISECONDS.toNanos(left);
        }

        @Override
        public long expireAfterUpdate(String hash, Entry entry, long currentTime, long currentDuration) {
            return expireAfterCreate(hash, entry, currentTime);
        }

        @Override
        public long expireAfterRead(String hash, Entry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
