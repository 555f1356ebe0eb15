package org.turnkey.device;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when a device's {@code last_seen_ts} / {@code last_seen_ip} are written: at most once
 * per interval per device on this instance, or sooner when the address changes. The spec allows
 * these to be "a few minutes out of date, for efficiency reasons".
 */
public final class LastSeenThrottle {

    private record Written(long ts, String ip) {
    }

    private final long intervalMs;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Written> written = new ConcurrentHashMap<>();

    /** {@code maxEntries}: the devices remembered, which should cover those active in an interval. */
    public LastSeenThrottle(long intervalMs, int maxEntries) {
        this.intervalMs = intervalMs;
        this.maxEntries = maxEntries;
    }

    /** Whether this sighting must be written; if so it is remembered as written. */
    public boolean shouldWrite(String userId, String deviceId, String ip, long now) {
        String key = userId + '\n' + deviceId;
        // Nearly every request finds nothing to write: decide that without locking the entry,
        // which all requests of one device would otherwise take in turn.
        Written seen = written.get(key);
        if (seen != null && now - seen.ts() < intervalMs && seen.ip().equals(ip)) {
            return false;
        }
        boolean[] write = {false};
        if (written.size() >= maxEntries) {
            makeRoom(now);
        }
        written.compute(key, (k, last) -> {
            if (last == null || now - last.ts() >= intervalMs || !last.ip().equals(ip)) {
                write[0] = true;
                return new Written(now, ip);
            }
            return last;
        });
        return write[0];
    }

    /**
     * Entries older than the interval go first: their devices are due a write at the next
     * sighting anyway. Only when that frees less than a tenth is everything forgotten, so a
     * full map costs one scan per tenth of its size, not one per new device.
     */
    private void makeRoom(long now) {
        written.values().removeIf(w -> now - w.ts() >= intervalMs);
        if (written.size() > maxEntries - maxEntries / 10) {
            written.clear();
        }
    }

    /** A write failed or the device went away: write again next time. */
    public void forget(String userId, String deviceId) {
        written.remove(userId + '\n' + deviceId);
    }
}
