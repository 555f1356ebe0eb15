package org.turnkey.device;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Decides when a device's {@code last_seen_ts} / {@code last_seen_ip} (and the user agent with
 * them) are written: at most once per interval per device on this instance, or sooner when the
 * address changes. The spec allows these to be "a few minutes out of date, for efficiency
 * reasons"; a new user agent alone waits for the next write.
 * <p>
 * It remembers a bounded number of devices. Beyond that a trim forgets the least used tenth (a
 * use count per device, halved once the throttle has seen ten times its size in requests, so
 * old popularity fades), and a forgotten device costs one extra write at its next request.
 * <p>
 * Why not an LRU cache: every authenticated request asks the throttle, and an LRU (Caffeine's
 * W-TinyLFU too) relinks the device's entry on each read. With a million devices in the old
 * generation those pointer writes dirty a card per request at random places, and G1 scans every
 * dirty card in its next young pause, which made each pause several times longer. Here a request
 * writes only numbers into its entry, which dirties nothing; the ranking work is left to the
 * rare trim (docs/last-seen.md).
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
        /**
         * Requests since the last ageing, for the trim's ranking. A plain field: increments
         * lost to a race only blur the ranking, and a volatile or atomic one would cost a
         * memory fence on every request.
         */
        private int uses = 1;

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

    /** Use counts stop here: enough to tell devices in use from those seen once. */
    private static final int MAX_RANK = 255;

    private final long intervalMs;
    private final int maxEntries;
    /** A trim leaves this many, so it runs once per tenth of the bound in new devices. */
    private final int trimmedSize;
    private final ConcurrentHashMap<Key, Sighting> written = new ConcurrentHashMap<>();
    private final Executor maintenance;
    private final AtomicBoolean trimming = new AtomicBoolean();
    private final LongAdder requestsSinceAgeing = new LongAdder();

    /** {@code maxEntries}: the devices remembered, which should cover those active in an interval. */
    public LastSeenThrottle(long intervalMs, int maxEntries) {
        this(intervalMs, maxEntries, ForkJoinPool.commonPool());
    }

    /** {@code maintenance} runs trims ({@code Runnable::run} in tests, to trim at once). */
    LastSeenThrottle(long intervalMs, int maxEntries, Executor maintenance) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries " + maxEntries);
        }
        this.intervalMs = intervalMs;
        this.maxEntries = maxEntries;
        this.trimmedSize = maxEntries - Math.max(1, maxEntries / 10);
        this.maintenance = maintenance;
    }

    /**
     * The device's sighting if this one must be written (it is then remembered as written), or
     * null. A device gets the same object until it is forgotten, so a caller can queue it once
     * and read its newest values when it writes.
     */
    Sighting due(String userId, String deviceId, String ip, String userAgent, long now) {
        requestsSinceAgeing.increment();
        Key key = new Key(userId, deviceId);
        Sighting seen = written.get(key);
        if (seen != null) {
            if (seen.uses < MAX_RANK) {
                seen.uses++;
            }
            // Nearly every request finds nothing to write: decide that without locking the
            // entry, which all requests of one device would otherwise take in turn.
            if (seen.current(ip, now, intervalMs)) {
                return null;
            }
            return seen.replace(ip, userAgent, now, intervalMs) ? seen : null;
        }
        Sighting created = new Sighting(key, now, ip, userAgent);
        seen = written.putIfAbsent(key, created);
        if (seen == null) {
            if (written.mappingCount() > maxEntries) {
                trimSoon();
            }
            return created;
        }
        return seen.replace(ip, userAgent, now, intervalMs) ? seen : null;
    }

    /** A write failed or the device went away: write again next time. */
    public void forget(String userId, String deviceId) {
        written.remove(new Key(userId, deviceId));
    }

    /** Devices remembered now, after a pending trim (tests). */
    long remembered() {
        return written.mappingCount();
    }

    private void trimSoon() {
        if (trimming.compareAndSet(false, true)) {
            try {
                maintenance.execute(() -> {
                    try {
                        trim();
                    } finally {
                        trimming.set(false);
                    }
                });
            } catch (RuntimeException e) {
                // A refused task (the pool shutting down): the next new device tries again.
                trimming.set(false);
            }
        }
    }

    /**
     * Forgets the least used devices down to {@link #trimmedSize}: a first pass counts how many
     * devices have each use count, which gives the count below which devices go; a second removes
     * those (and as many at that count as still needed) and ages the rest when due.
     */
    private void trim() {
        long excess = written.mappingCount() - trimmedSize;
        if (excess <= 0) {
            return;
        }
        long[] byUses = new long[MAX_RANK + 1];
        for (Sighting sighting : written.values()) {
            byUses[rank(sighting)]++;
        }
        int threshold = 0;
        long below = 0;
        while (threshold < MAX_RANK && below + byUses[threshold] < excess) {
            below += byUses[threshold];
            threshold++;
        }
        long atThresholdToGo = excess - below;
        boolean age = requestsSinceAgeing.sum() >= 10L * maxEntries;
        if (age) {
            requestsSinceAgeing.reset();
        }
        for (Map.Entry<Key, Sighting> entry : written.entrySet()) {
            Sighting sighting = entry.getValue();
            int rank = rank(sighting);
            boolean go = rank < threshold || rank == threshold && atThresholdToGo-- > 0;
            if (go) {
                written.remove(entry.getKey(), sighting);
            } else if (age) {
                sighting.uses = sighting.uses >>> 1;
            }
        }
    }

    private static int rank(Sighting sighting) {
        return Math.min(MAX_RANK, sighting.uses);
    }
}
