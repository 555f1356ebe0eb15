package org.turnkey.device;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when a device's {@code last_seen_ts} / {@code last_seen_ip} are written: at most once
 * per interval per device on this instance, or sooner when the address changes. The spec allows
 * these to be "a few minutes out of date, for efficiency reasons".
 */
public final class LastSeenThrottle {

    private static final int MAX_ENTRIES = 100_000;

    private record Written(long ts, String ip) {
    }

    private final long intervalMs;
    private final ConcurrentHashMap<String, Written> written = new ConcurrentHashMap<>();

    public LastSeenThrottle(long intervalMs) {
        this.intervalMs = intervalMs;
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
        if (written.size() >= MAX_ENTRIES) {
            written.clear();
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

    /** A write failed or the device went away: write again next time. */
    public void forget(String userId, String deviceId) {
        written.remove(userId + '\n' + deviceId);
    }
}
