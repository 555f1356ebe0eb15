package org.turnkey.ratelimit;

import org.turnkey.config.TurnkeyConfig;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One leaky bucket per key (an address or a user ID), as Synapse's {@code Ratelimiter}: up to
 * {@code burstCount} actions at once, then one more each {@code 1 / perSecond} seconds. State
 * is in this instance's memory only, so the limits hold per instance (see the README for what
 * changes with several). Idle keys are dropped once the map grows, so memory stays bounded.
 */
public final class RateLimiter {

    private static final int PRUNE_ABOVE = 10_000;
    private static final int HARD_CAP = 200_000;

    private record Bucket(double level, long updatedMs) {
    }

    private final TurnkeyConfig.RateLimit limit;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(TurnkeyConfig.RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Takes one action for {@code key}: 0 if allowed (and counted), else the wait in ms (nothing counted). */
    public long tryAcquire(String key) {
        long now = clock.millis();
        long[] wait = {0};
        buckets.compute(key, (k, bucket) -> {
            double level = drained(bucket, now);
            long needed = waitMs(level);
            if (needed > 0) {
                wait[0] = needed;
                return new Bucket(level, now);
            }
            return new Bucket(level + 1, now);
        });
        prune(now);
        return wait[0];
    }

    /** The wait in ms before one more action for {@code key} would be allowed; counts nothing. */
    public long check(String key) {
        return waitMs(drained(buckets.get(key), clock.millis()));
    }

    /** Counts one action for {@code key} whether or not it was allowed (for example a failed login). */
    public void record(String key) {
        long now = clock.millis();
        buckets.compute(key, (k, bucket) -> new Bucket(Math.min(drained(bucket, now) + 1, limit.burstCount() + 1.0), now));
        prune(now);
    }

    int size() {
        return buckets.size();
    }

    private double drained(Bucket bucket, long now) {
        if (bucket == null) {
            return 0;
        }
        double elapsedSeconds = Math.max(0, now - bucket.updatedMs()) / 1000.0;
        return Math.max(0, bucket.level() - elapsedSeconds * limit.perSecond());
    }

    private long waitMs(double level) {
        double excess = level + 1 - limit.burstCount();
        if (excess <= 1e-9) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil(excess / limit.perSecond() * 1000));
    }

    private void prune(long now) {
        if (buckets.size() <= PRUNE_ABOVE) {
            return;
        }
        buckets.entrySet().removeIf(e -> drained(e.getValue(), now) <= 0);
        if (buckets.size() > HARD_CAP) {
            // Under a flood of distinct keys, forget rather than exhaust memory.
            buckets.clear();
        }
    }
}
