package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Access tokens already checked against the database, keyed by hash, so the hot path of every
 * authenticated request is a hash and a map lookup. Every revocation invalidates its hashes
 * before and after its commit; a lookup that raced with any invalidation is not cached, so a
 * revoked token is never served from here.
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

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong invalidations = new AtomicLong();

    public Entry get(String hash) {
        return entries.get(hash);
    }

    /** Take before reading the database; pass to {@link #put} afterwards. */
    public long stamp() {
        return invalidations.get();
    }

    public void put(String hash, Entry entry, long stamp) {
        if (entries.size() >= config.accessTokenCacheSize()) {
            entries.clear();
        }
        entries.put(hash, entry);
        if (invalidations.get() != stamp) {
            entries.remove(hash);
        }
    }

    public void invalidate(Collection<String> hashes) {
        invalidations.incrementAndGet();
        hashes.forEach(entries::remove);
    }
}
