package org.turnkey.login;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.turnkey.support.MutableClock;
import org.turnkey.support.MapConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec POST /_matrix/client/v1/login/get_token: single-use, time-limited tokens (120000 ms recommended). */
class LoginTokenPolicyTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    @DisplayName("Default lifetime is the spec's recommended two minutes")
    void defaultLifetimeTwoMinutes() {
        LoginTokenPolicy policy = new LoginTokenPolicy(config(Map.of()), clock);
        LoginToken token = new LoginToken("h", "@a:localhost", policy.now(), policy.expiresTs(policy.now()));
        assertEquals(120_000, policy.expiresInMs(token));
        assertTrue(policy.usable(token));
    }

    @Test
    @DisplayName("A token is refused from the moment it expires")
    void expiry() {
        LoginTokenPolicy policy = new LoginTokenPolicy(config(Map.of("turnkey.login-token.lifetime", "PT30S")), clock);
        LoginToken token = new LoginToken("h", "@a:localhost", policy.now(), policy.expiresTs(policy.now()));
        clock.advance(Duration.ofMillis(29_999));
        assertTrue(policy.usable(token));
        assertEquals(1, policy.expiresInMs(token));
        clock.advance(Duration.ofMillis(1));
        assertFalse(policy.usable(token));
        assertEquals(0, policy.expiresInMs(token));
    }

    private static org.turnkey.config.TurnkeyConfig config(Map<String, String> values) {
        return new org.turnkey.config.TurnkeyConfig(new MapConfig(values));
    }
}
