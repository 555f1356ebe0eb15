package org.turnkey.ratelimit;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.MatrixException;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.MutableClock;
import org.turnkey.support.MapConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "API Standards / Rate limiting": leaky buckets as Synapse's rc_* settings. */
class RateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    @DisplayName("A burst is allowed, the next action waits exactly until one drains")
    void burstThenWaitUntilDrained() {
        RateLimiter limiter = new RateLimiter(new TurnkeyConfig.RateLimit(0.5, 3), clock);
        assertEquals(0, limiter.tryAcquire("1.2.3.4"));
        assertEquals(0, limiter.tryAcquire("1.2.3.4"));
        assertEquals(0, limiter.tryAcquire("1.2.3.4"));
        assertEquals(2000, limiter.tryAcquire("1.2.3.4"));
        clock.advance(Duration.ofMillis(1999));
        assertEquals(1, limiter.tryAcquire("1.2.3.4"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(0, limiter.tryAcquire("1.2.3.4"));
        assertEquals(2000, limiter.tryAcquire("1.2.3.4"));
    }

    @Test
    @DisplayName("Refused actions are not counted, so waiting the advertised time always recovers")
    void refusedActionsDoNotExtendTheWait() {
        RateLimiter limiter = new RateLimiter(new TurnkeyConfig.RateLimit(1, 1), clock);
        assertEquals(0, limiter.tryAcquire("k"));
        for (int i = 0; i < 10; i++) {
            assertEquals(1000, limiter.tryAcquire("k"));
        }
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, limiter.tryAcquire("k"));
    }

    @Test
    @DisplayName("Keys are independent")
    void keysAreIndependent() {
        RateLimiter limiter = new RateLimiter(new TurnkeyConfig.RateLimit(0.001, 1), clock);
        assertEquals(0, limiter.tryAcquire("a"));
        assertTrue(limiter.tryAcquire("a") > 0);
        assertEquals(0, limiter.tryAcquire("b"));
    }

    @Test
    @DisplayName("check() counts nothing; record() counts even when over the limit (failed attempts)")
    void checkAndRecord() {
        RateLimiter limiter = new RateLimiter(new TurnkeyConfig.RateLimit(0.5, 2), clock);
        for (int i = 0; i < 5; i++) {
            assertEquals(0, limiter.check("u"));
        }
        limiter.record("u");
        limiter.record("u");
        assertEquals(2000, limiter.check("u"));
        limiter.record("u");
        // Over the limit, the level is capped at one excess action: the wait never grows unbounded.
        assertEquals(4000, limiter.check("u"));
        limiter.record("u");
        assertEquals(4000, limiter.check("u"));
        clock.advance(Duration.ofSeconds(4));
        assertEquals(0, limiter.check("u"));
    }

    @Test
    @DisplayName("Idle keys are pruned once the map is large")
    void idleKeysArePruned() {
        RateLimiter limiter = new RateLimiter(new TurnkeyConfig.RateLimit(1, 5), clock);
        for (int i = 0; i < 10_001; i++) {
            limiter.tryAcquire("k" + i);
        }
        clock.advance(Duration.ofSeconds(2));
        limiter.tryAcquire("fresh");
        assertEquals(1, limiter.size());
    }

    @Test
    @DisplayName("429 M_LIMIT_EXCEEDED with retry_after_ms and a Retry-After header in whole seconds")
    void limitExceededShape() {
        RateLimits limits = new RateLimits(config(Map.of(
                "turnkey.ratelimit.login.address.per-second", "0.4",
                "turnkey.ratelimit.login.address.burst-count", "1")), clock);
        limits.acquire(RateLimits.Kind.LOGIN_ADDRESS, "127.0.0.1");
        MatrixException e = assertThrows(MatrixException.class,
                () -> limits.acquire(RateLimits.Kind.LOGIN_ADDRESS, "127.0.0.1"));
        assertEquals(429, e.status());
        assertEquals(ErrorCode.M_LIMIT_EXCEEDED, e.errcode());
        assertEquals(2500, e.body().getJsonNumber("retry_after_ms").longValue());
        assertEquals("3", e.headers().get("Retry-After"));
    }

    @Test
    @DisplayName("turnkey.ratelimit.enabled=false turns every limit off")
    void disabled() {
        RateLimits limits = new RateLimits(config(Map.of("turnkey.ratelimit.enabled", "false",
                "turnkey.ratelimit.refresh.burst-count", "1")), clock);
        for (int i = 0; i < 100; i++) {
            limits.acquire(RateLimits.Kind.REFRESH, "127.0.0.1");
        }
    }

    @Test
    @DisplayName("Bad limits fail at startup, naming the key")
    void invalidSettingsFailStartup() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> config(Map.of("turnkey.ratelimit.login.account.per-second", "-1")));
        assertTrue(e.getMessage().contains("turnkey.ratelimit.login.account.per-second"));
        assertThrows(IllegalStateException.class,
                () -> config(Map.of("turnkey.ratelimit.refresh.burst-count", "0")));
    }

    @Test
    @DisplayName("Defaults follow Synapse's rc_login and rc_registration")
    void defaults() {
        TurnkeyConfig config = config(Map.of());
        assertEquals(new TurnkeyConfig.RateLimit(0.17, 3), config.rateLimit("login.failed-attempts"));
        assertEquals(new TurnkeyConfig.RateLimit(0.003, 5), config.rateLimit("login.address"));
        assertTrue(config.rateLimitEnabled());
    }

    private static org.turnkey.config.TurnkeyConfig config(Map<String, String> values) {
        return new org.turnkey.config.TurnkeyConfig(new MapConfig(values));
    }
}
