package org.turnkey.oauth.grant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.api.OAuthException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.device.DeviceService;
import org.turnkey.token.AuthSession;
import org.turnkey.token.TokenService;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Token revocation (RFC 7009 section 2, spec "Token revocation"). Revoking either token of a
 * session ends it the way {@code /logout} does: the device is deleted, and with it both tokens
 * and every other token of the device, evicted from the access-token cache of every cluster
 * member ({@code DeviceService.delete}). So a revoked session is gone, not soft-logged-out: the
 * user asked to log out.
 * <ul>
 *   <li>{@code client_id} is not checked: the spec says a missing or other client's ID SHOULD
 *       still revoke (secret scanners revoke leaked tokens); a mismatch is logged.</li>
 *   <li>Any live Turnkey token is revoked, legacy ones included, for the same reason.</li>
 *   <li>An unknown or already revoked token is 200, and ends nothing: an old rotated refresh
 *       token must not be a way to log its former owner out.</li>
 *   <li>Two concurrent revocations of one session (matrix-js-sdk revokes the access and the
 *       refresh token in parallel) both answer 200: the second waits for the device's lock and
 *       finds it deleted.</li>
 * </ul>
 */
@ApplicationScoped
public class TokenRevocation {

    public static final String ACCESS_TOKEN = "access_token";
    public static final String REFRESH_TOKEN = "refresh_token";

    @Inject
    TokenService tokens;

    @Inject
    DeviceService devices;

    @Inject
    SecurityEvents events;

    public void revoke(FormParameters form) {
        String token = form.require("token");
        Optional<String> hint = form.optional("token_type_hint");
        if (hint.isPresent() && !hint.get().equals(ACCESS_TOKEN) && !hint.get().equals(REFRESH_TOKEN)) {
            // RFC 7009 section 2.2.1; the spec: "If present, MUST have a value of either".
            throw new OAuthException(400, "unsupported_token_type",
                    "token_type_hint must be access_token or refresh_token");
        }
        Optional<AuthSession> session = tokens.liveSessionOf(token);
        if (session.isEmpty()) {
            return;
        }
        AuthSession s = session.get();
        devices.delete(s.userId(), List.of(s.deviceId()));
        boolean clientMatched = s.clientId() != null && Objects.equals(s.clientId(), form.optional("client_id").orElse(null));
        events.oauthTokenRevoked(s.userId(), s.deviceId(), clientMatched);
    }
}
