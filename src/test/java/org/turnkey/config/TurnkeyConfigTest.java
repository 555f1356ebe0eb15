package org.turnkey.config;

import org.junit.jupiter.api.Test;
import org.turnkey.support.MapConfig;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnkeyConfigTest {

    @Test
    void defaultsMatchTheReadme() {
        TurnkeyConfig config = new TurnkeyConfig(MapConfig.of());
        assertEquals("localhost", config.serverName());
        assertFalse(config.registrationEnabled());
        assertEquals(Duration.ofMinutes(5), config.accessTokenLifetime());
        assertEquals(Optional.empty(), config.refreshTokenLifetime());
        assertEquals(Optional.empty(), config.nonRefreshableAccessTokenLifetime());
        assertTrue(config.rateLimitEnabled());
        assertEquals(1024 * 1024, config.maxBodyBytes());
        assertEquals(TurnkeyConfig.ReusePolicy.REVOKE_DEVICE, config.reusePolicy());
        assertEquals(Duration.ofSeconds(5), config.duplicateAllowance());
    }

    @Test
    void badValuesStopStartupNamingTheKey() {
        String[][] bad = {
                {"turnkey.access-token.lifetime", "5 minutes"},
                {"turnkey.refresh-token.lifetime", "-PT1S"},
                {"turnkey.nonrefreshable-access-token.lifetime", "PT0S"},
                {"turnkey.registration.enabled", "yes"},
                {"turnkey.ratelimit.enabled", "1"},
                {"turnkey.refresh-token.reuse-policy", "ignore"},
                {"turnkey.server-name", "bad name"},
                {"turnkey.max-body-bytes", "0"},
                {"turnkey.refresh-token.duplicate-allowance", "-PT1S"},
                {"turnkey.refresh-token.duplicate-allowance", "5s"},
        };
        for (String[] entry : bad) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new TurnkeyConfig(MapConfig.of(entry[0], entry[1])), entry[0]);
            assertTrue(e.getMessage().contains(entry[0]), e.getMessage());
        }
    }

    /** RFC 9700 section 2.6 and the spec's server metadata: https everywhere but on loopback. */
    @Test
    void publicBaseUrlIsHttpsOrLoopbackAndEndsInASlash() {
        assertEquals("http://localhost:8008/", new TurnkeyConfig(MapConfig.of()).publicBaseUrl().toString());
        String[][] accepted = {
                {"https://matrix.example.org", "https://matrix.example.org/"},
                {"https://example.org:8448/matrix", "https://example.org:8448/matrix/"},
                {"HTTP://127.0.0.1:8090/", "http://127.0.0.1:8090/"},
                {"http://[::1]:8008/", "http://[::1]:8008/"},
        };
        for (String[] pair : accepted) {
            assertEquals(pair[1], new TurnkeyConfig(MapConfig.of("turnkey.public-base-url", pair[0]))
                    .publicBaseUrl().toString(), pair[0]);
        }
        for (String refused : new String[] {"http://matrix.example.org/", "https://example.org/?a=b",
                "https://example.org/#top", "/relative", "https://user@example.org/", "ftp://example.org/",
                "http://10.0.0.1/"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new TurnkeyConfig(MapConfig.of("turnkey.public-base-url", refused)), refused);
            assertTrue(e.getMessage().contains("turnkey.public-base-url"), e.getMessage());
        }
    }

    @Test
    void sharedSecretIsOptionalAndNeverEchoed() {
        assertEquals(Optional.empty(), new TurnkeyConfig(MapConfig.of()).registrationSharedSecret());
        assertEquals(Optional.of("0123456789abcdef"), new TurnkeyConfig(MapConfig.of(
                "turnkey.registration.shared-secret", "0123456789abcdef")).registrationSharedSecret());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new TurnkeyConfig(MapConfig.of(
                "turnkey.registration.shared-secret", "short-secret")));
        assertTrue(e.getMessage().contains("turnkey.registration.shared-secret"), e.getMessage());
        assertFalse(e.getMessage().contains("short-secret"), "a secret must not reach the log");
    }

    @Test
    void valuesAreParsedAsDocumented() {
        TurnkeyConfig config = new TurnkeyConfig(MapConfig.of(
                "turnkey.access-token.lifetime", "PT3S",
                "turnkey.refresh-token.lifetime", "P1D",
                "turnkey.registration.enabled", "TRUE",
                "turnkey.refresh-token.reuse-policy", "reject"));
        assertEquals(Duration.ofSeconds(3), config.accessTokenLifetime());
        assertEquals(Optional.of(Duration.ofDays(1)), config.refreshTokenLifetime());
        assertTrue(config.registrationEnabled());
        assertEquals(TurnkeyConfig.ReusePolicy.REJECT, config.reusePolicy());
    }
}
