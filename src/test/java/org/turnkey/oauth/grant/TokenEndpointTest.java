package org.turnkey.oauth.grant;

import org.junit.jupiter.api.Test;
import org.turnkey.api.Jsons;
import org.turnkey.api.OAuthException;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.client.OAuthClients;
import org.turnkey.ratelimit.RateLimits;
import org.turnkey.support.MapConfig;
import org.turnkey.support.MutableClock;
import org.turnkey.token.IssuedTokens;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The token endpoint's rate limiting (spec "Refresh token grant": a 4xx makes the client
 * consider the session logged out; RFC 6749 section 4.1.2.1 {@code temporarily_unavailable}):
 * successful grants are never limited, failed ones are counted, and an address over the limit
 * gets 503 with Retry-After, never 429.
 */
class TokenEndpointTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private TokenEndpoint endpoint() {
        TokenEndpoint endpoint = new TokenEndpoint();
        endpoint.limits = new RateLimits(new TurnkeyConfig(MapConfig.of(
                "turnkey.ratelimit.refresh.per-second", "0.5",
                "turnkey.ratelimit.refresh.burst-count", "2")), clock);
        OAuthClient good = new OAuthClient("good", "digest", Jsons.createObjectBuilder().build(), 0);
        endpoint.clients = new OAuthClients() {
            @Override
            public Optional<OAuthClient> find(String clientId) {
                return "good".equals(clientId) ? Optional.of(good) : Optional.empty();
            }
        };
        endpoint.codes = new AuthorizationCodeGrant() {
            @Override
            public IssuedTokens redeem(OAuthClient client, String code, String redirectUri, String verifier) {
                if (!code.equals("valid")) {
                    throw OAuthException.invalidGrant("bad code");
                }
                return new IssuedTokens("@u:hs", "DEV", "tka_x", "tkr_x", 300_000L, "scope");
            }
        };
        return endpoint;
    }

    private static FormParameters code(String clientId, String code) {
        return FormParameters.parse("application/x-www-form-urlencoded",
                "grant_type=authorization_code&client_id=" + clientId + "&code=" + code);
    }

    @Test
    void successfulGrantsAreNeverRateLimited() {
        TokenEndpoint endpoint = endpoint();
        for (int i = 0; i < 50; i++) {
            assertEquals("Bearer", endpoint.grant(code("good", "valid"), "10.0.0.1", clock.instant())
                    .getString("token_type"));
        }
    }

    @Test
    void failedGrantsAreCountedAndOverTheLimitTheAddressGets503NotA4xx() {
        TokenEndpoint endpoint = endpoint();
        assertEquals(401, assertThrows(OAuthException.class,
                () -> endpoint.grant(code("unknown", "valid"), "10.0.0.2", clock.instant())).status());
        assertEquals("invalid_grant", assertThrows(OAuthException.class,
                () -> endpoint.grant(code("good", "bad"), "10.0.0.2", clock.instant())).error());
        OAuthException limited = assertThrows(OAuthException.class,
                () -> endpoint.grant(code("good", "valid"), "10.0.0.2", clock.instant()));
        assertEquals(503, limited.status());
        assertEquals("temporarily_unavailable", limited.error());
        assertEquals("2", limited.headers().get("Retry-After"));
        // Other addresses are unaffected, and the limit refills.
        assertEquals("Bearer", endpoint.grant(code("good", "valid"), "10.0.0.3", clock.instant()).getString("token_type"));
        clock.advance(java.time.Duration.ofSeconds(2));
        assertEquals("Bearer", endpoint.grant(code("good", "valid"), "10.0.0.2", clock.instant()).getString("token_type"));
    }
}
