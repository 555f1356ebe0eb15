package org.turnkey.device;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.util.Objects;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * Decides when a device's {@code last_seen_ts} / {@code last_seen_ip} (and the user agent with
 * them) are written: at most once per interval per device on this instance, or sooner when the
 * address changes. The spec allows these to be "a few minutes out of date, for efficiency
 * reasons"; a new user agent alone waits for the next write.
 * <p>
 * It remembers a bounded number of devices; beyond that Caffeine's W-TinyLFU policy forgets one
 * device at a time, the least used, so more active devices than it holds cost an extra write for
 * the devices it forgets, not for all of them.
 */
public final class LastSeenThrottle {

    /**
     * The key holds the caller's strings: they are the cached token's, so their hashes are
     * computed once and equality is mostly identity (a joined string key would be a new string
     * per request, hashed and compared byte by byte).
     */
    private record Key(String userId, String deviceId) {
    }

    /**
     * A device's last sighting written, or about to be. Updated in place: a new object per
     * write, referenced from a map in the old generation, would be one more old-to-young
     * reference for each young collection to find, which with many active devices makes every
     * young pause longer.
     */
    static final class Sighting {
        private final Key key;
        private volatile long ts;
        private volatile String ip;
        private volatile String userAgent;

        private Sighting(Key key, long ts, String ip, String userAgent) {
            this.key = key;
            this.ts = ts;
            this.ip = ip;
            this.userAgent = userAgent;
        }

        /** The newest sighting, time, address and user agent together. */
        synchronized Row row() {
            return new Row(key.userId(), key.deviceId(), ts, ip, userAgent);
        }

        private boolean current(String ip, long now, long intervalMs) {
            return now - ts < intervalMs && this.ip.equals(ip);
        }

        /** Whether this sighting replaced the one written; one request wins a race. */
        private synchronized boolean replace(String ip, String userAgent, long now, long intervalMs) {
            if (current(ip, now, intervalMs)) {
                return false;
            }
            ts = now;
            if (!Objects.equals(this.userAgent, userAgent)) {
                this.userAgent = userAgent;
            }
            if (!this.ip.equals(ip)) {
                this.ip = ip;
            }
            return true;
        }
    }

    /** What the database is told about one device. */
    record Row(String userId, String deviceId, long ts, String ip, String userAgent) {
    }

    private final long intervalMs;
    private final Cache<Key, Sighting> cache;
    private final ConcurrentMap<Key, Sighting> written;

    /** {@code maxEntries}: the devices remembered, which should cover those active in an interval. */
    public LastSeenThrottle(long intervalMs, int maxEntries) {
        this(intervalMs, maxEntries, ForkJoinPool.commonPool());
    }

    /** {@code maintenance} runs evictions ({@code Runnable::run} in tests, to evict at once). */
    LastSeenThrottle(long intervalMs, int maxEntries, Executor maintenance) {
        this.intervalMs = intervalMs;
        cache = Caffeine.newBuilder().maximumSize(maxEntries).executor(maintenance).build();
        written = cache.asMap();
    }

    /**
     * The device's sighting if this one must be written (it is then remembered as written), or
     * null. A device gets the same object until it is forgotten, so a caller can queue it once
     * and read its newest values when it writes.
     */
    Sighting due(String userId, String deviceId, String ip, String userAgent, long now) {
        Key key = new Key(userId, deviceId);
        Sighting seen = cache.getIfPresent(key);
        // Nearly every request finds nothing to write: decide that without locking the entry,
        // which all requests of one device would otherwise take in turn.
        if (seen != null && seen.current(ip, now, intervalMs)) {
            return null;
        }
        if (seen == null) {
            Sighting created = new Sighting(key, now, ip, userAgent);
            seen = written.putIfAbsent(key, created);
            if (seen == null) {
                return created;
            }
        }
        return seen.replace(ip, userAgent, now, intervalMs) ? seen : null;
    }

    /** A write failed or the device went away: write again next time. */
    public void forget(String userId, String deviceId) {
        cache.invalidate(new Key(userId, deviceId));
    }

    /** Devices remembered now, after pending evictions (tests). */
    long remembered() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
