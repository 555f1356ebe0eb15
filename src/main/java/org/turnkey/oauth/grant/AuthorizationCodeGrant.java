package org.turnkey.oauth.grant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.account.User;
import org.turnkey.account.UserStore;
import org.turnkey.api.OAuthException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.device.DeviceService;
import org.turnkey.oauth.Scope;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.code.AuthorizationCode;
import org.turnkey.oauth.code.AuthorizationCodes;
import org.turnkey.oauth.code.Pkce;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.TokenService;

import java.time.Clock;

/**
 * The authorisation code grant at the token endpoint (RFC 6749 section 4.1.3, RFC 7636 section
 * 4.6, spec "Authorisation code grant"). One transaction, committed before the answer is
 * written, so a 200 means the session is durable: the code's row is locked, then the user's,
 * then the device's ({@code token.TokenStore}'s lock order, with the code in front: nothing else
 * locks a code), so two redemptions of one code run one after another and the second sees the
 * first's.
 */
@ApplicationScoped
public class AuthorizationCodeGrant {

    @Inject
    AuthorizationCodes codes;

    @Inject
    UserStore users;

    @Inject
    DeviceService devices;

    @Inject
    TokenService tokens;

    @Inject
    SecurityEvents events;

    @Inject
    Clock clock;

    /**
     * Exchanges a code. Every refusal is 400 {@code invalid_grant} (the client cannot fix any of
     * them by changing the request: it must start the flow again). A code presented after it
     * was redeemed also revokes the session its first use started (RFC 6749 section 4.1.2: "If
     * an authorization code is used more than once, the authorization server MUST deny the
     * request and SHOULD revoke (when possible) all tokens previously issued based on that
     * authorization code"); that revocation commits although the request fails.
     */
    @Transactional(dontRollbackOn = OAuthException.class)
    public IssuedTokens redeem(OAuthClient client, String code, String redirectUri, String codeVerifier) {
        AuthorizationCode row = codes.lock(code).orElseThrow(() -> refused(client, "unknown_code",
                "Unknown, expired or already used authorization code"));
        long now = clock.millis();
        if (row.redeemedTs() != null) {
            boolean revoked = row.sessionId() != null && tokens.revokeSession(row.sessionId());
            events.oauthCodeReused(row.userId(), row.clientId(), revoked);
            throw OAuthException.invalidGrant("Authorization code was already used; the session it started was revoked");
        }
        if (!row.clientId().equals(client.clientId())) {
            throw refused(client, "other_client", "Authorization code was issued to another client");
        }
        if (now >= row.expiresTs()) {
            throw refused(client, "expired", "Unknown, expired or already used authorization code");
        }
        // RFC 6749 section 4.1.3: "ensure that the redirect_uri parameter is present if [it was
        // included in the authorization request] and that their values are identical".
        if (!row.redirectUri().equals(redirectUri)) {
            throw refused(client, "redirect_uri", "redirect_uri does not match the authorization request");
        }
        if (codeVerifier == null) {
            throw refused(client, "pkce_missing", "code_verifier is required (PKCE, S256)");
        }
        if (!Pkce.matches(codeVerifier, row.codeChallenge())) {
            throw refused(client, "pkce_mismatch", "code_verifier does not match the code_challenge (S256)");
        }
        Scope scope = Scope.parse(row.scope());
        User user = users.lock(row.userId()).orElse(null);
        if (user == null || user.deactivated() || user.locked()) {
            throw refused(client, "account", "The account is deactivated or locked");
        }
        TokenService.OAuthSessionStart started = devices.signInOAuth(user.userId(), scope.deviceId(),
                client.clientName().orElse(null), client.clientId(), scope.value());
        row.redeemed(now, started.sessionId());
        events.oauthGrant("authorization_code", user.userId(), scope.deviceId(), client.clientId());
        return started.tokens();
    }

    private OAuthException refused(OAuthClient client, String reason, String description) {
        events.oauthGrantRefused("authorization_code", client.clientId(), reason);
        return OAuthException.invalidGrant(description);
    }
}
