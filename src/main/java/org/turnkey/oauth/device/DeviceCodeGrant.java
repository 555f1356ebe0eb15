package org.turnkey.oauth.device;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.account.User;
import org.turnkey.account.UserStore;
import org.turnkey.api.OAuthException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.device.DeviceService;
import org.turnkey.oauth.Scope;
import org.turnkey.oauth.client.ClientRegistrationPolicy;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.TokenService;

/**
 * The device code grant at the token endpoint (RFC 8628 section 3.4 and 3.5, spec "Device
 * authorisation flow", "Token polling"). One transaction, like the authorisation code grant's:
 * the device code's row is locked first, then the user's, then the device's, so two polls of
 * one approved code run one after another and only the first gets tokens. The poll is recorded
 * (time, interval) although the answer is an error, for {@code slow_down}.
 * <p>
 * Turnkey answers the RFC's 400 for {@code authorization_pending}, {@code slow_down},
 * {@code access_denied} and {@code expired_token} (MAS answers 403; matrix-js-sdk reads the
 * body either way).
 */
@ApplicationScoped
public class DeviceCodeGrant {

    /** The grant's label in metrics and the security log. */
    static final String GRANT = "device_code";

    @Inject
    DeviceAuthorizations authorizations;

    @Inject
    UserStore users;

    @Inject
    DeviceService devices;

    @Inject
    SecurityEvents events;

    @Transactional(dontRollbackOn = OAuthException.class)
    public IssuedTokens poll(OAuthClient client, String deviceCode) {
        if (!client.grantTypes().contains(ClientRegistrationPolicy.DEVICE_CODE)) {
            throw OAuthException.unauthorizedClient("This client did not register the grant type "
                    + ClientRegistrationPolicy.DEVICE_CODE);
        }
        DeviceAuthorization row = authorizations.lock(deviceCode).orElseThrow(() -> refused(client, "unknown_code",
                OAuthException.invalidGrant("Unknown device_code")));
        DeviceGrantPolicy policy = authorizations.policy();
        switch (policy.poll(row, client.clientId())) {
            case OTHER_CLIENT -> throw refused(client, "other_client", OAuthException.invalidGrant("Unknown device_code"));
            case USED -> throw refused(client, "used", OAuthException.invalidGrant(
                    "The device_code was already exchanged for tokens"));
            case EXPIRED -> throw refused(client, "expired", OAuthException.expiredToken(
                    "The device_code expired; start a new device authorization"));
            case DENIED -> throw refused(client, "denied", OAuthException.accessDenied("The user denied the request"));
            case SLOW_DOWN -> throw OAuthException.slowDown(row.pollInterval());
            case PENDING -> throw OAuthException.authorizationPending();
            case APPROVED -> {
                Scope scope = Scope.parse(row.scope());
                User user = users.lock(row.userId()).orElse(null);
                if (user == null || user.deactivated() || user.locked()) {
                    throw refused(client, "account", OAuthException.accessDenied("The account is deactivated or locked"));
                }
                TokenService.OAuthSessionStart started = devices.signInOAuth(user.userId(), scope.deviceId(),
                        client.clientName().orElse(null), client.clientId(), scope.value());
                policy.redeemed(row, started.sessionId());
                events.oauthGrant(GRANT, user.userId(), scope.deviceId(), client.clientId());
                return started.tokens();
            }
            default -> throw new IllegalStateException();
        }
    }

    private OAuthException refused(OAuthClient client, String reason, OAuthException answer) {
        events.oauthGrantRefused(GRANT, client.clientId(), reason);
        return answer;
    }
}
