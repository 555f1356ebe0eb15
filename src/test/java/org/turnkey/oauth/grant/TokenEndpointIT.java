package org.turnkey.oauth.grant;

import jakarta.json.Json;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.oauth.code.Pkce;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.OAuthFixture.Code;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.OAuthFixture.scope;
import static org.turnkey.support.SessionAsserts.assertHardLogout;
import static org.turnkey.support.SessionAsserts.assertSoftLogout;

/**
 * The token endpoint over HTTP, {@code POST /_turnkey/oauth2/token}: the authorisation code
 * grant (RFC 6749 section 4.1.3, RFC 7636 section 4.6, spec "Token request") and the refresh
 * token grant (RFC 6749 section 6, spec "Token refresh flow", "Refresh token grant") with the
 * default {@code revoke-device} reuse policy. The duplicate allowance is zero here, so a rotated
 * refresh token presented after the new pair was used is a replay at once; the allowance and the
 * {@code reject} policy are proven by {@link RefreshGrantPolicyIT}. Codes come from
 * {@link OAuthFixture#code} (the browser step is the browser IT's).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TokenEndpointIT {

    private static final String NAME = "oauth-token";
    private static final String PASSWORD = "correct horse battery";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of("turnkey.registration.enabled", "true",
                "turnkey.refresh-token.duplicate-allowance", "PT0S"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    OAuthFixture oauth;
    String user;
    String userId;
    String clientId;

    @BeforeEach
    void setUp() {
        client = new MatrixClient(base);
        oauth = new OAuthFixture(client, NAME);
        user = unique("o");
        userId = "@" + user + ":localhost";
        assertEquals(200, client.register(user, PASSWORD).status());
        clientId = oauth.registerClient("Token IT");
    }

    private static void assertOAuthError(int status, String error, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals(error, reply.string("error"), reply.toString());
        assertFalse(reply.json().containsKey("errcode"), "RFC 6749 section 5.2 shape: " + reply);
        assertEquals("no-store", reply.header("Cache-Control"));
    }

    private void assertWorks(String accessToken, String deviceId) {
        Reply who = client.whoami(accessToken);
        assertEquals(200, who.status(), who.toString());
        assertEquals(userId, who.string("user_id"));
        assertEquals(deviceId, who.string("device_id"));
    }

    /** Spec "Token request": the sample response's fields, a Bearer pair bound to the scope's device. */
    @Test
    void codeGrantIssuesABearerPairForTheScopesDevice() {
        Reply reply = oauth.exchange(clientId, oauth.code(clientId, userId, scope("OAUTHDEV01")));
        assertEquals(200, reply.status(), reply.toString());
        assertEquals("no-store", reply.header("Cache-Control"));
        assertEquals("Bearer", reply.string("token_type"));
        long expiresIn = reply.json().getJsonNumber("expires_in").longValue();
        assertTrue(expiresIn > 290 && expiresIn <= 300, "turnkey.access-token.lifetime PT5M: " + expiresIn);
        assertEquals(scope("OAUTHDEV01"), reply.string("scope"));
        assertTrue(reply.string("refresh_token").length() > 20);
        assertNotEquals(reply.string("access_token"), reply.string("refresh_token"));
        assertWorks(reply.string("access_token"), "OAUTHDEV01");
    }

    /** MSC2967's unstable scope (Element X) is granted in the spelling asked for. */
    @Test
    void unstableScopeIsGrantedInItsOwnSpelling() {
        String unstable = OAuthFixture.unstableScope("UNSTABLE01");
        Reply reply = oauth.exchange(clientId, oauth.code(clientId, userId, unstable));
        assertEquals(200, reply.status(), reply.toString());
        assertEquals(unstable, reply.string("scope"));
        assertWorks(reply.string("access_token"), "UNSTABLE01");
    }

    /** RFC 7636 section 4.6 and the spec's "S256" only: a missing, plain or wrong verifier is invalid_grant. */
    @Test
    void codeWithoutTheRightS256VerifierIsInvalidGrant() {
        Code code = oauth.code(clientId, userId, scope("PKCE000001"));
        assertOAuthError(400, "invalid_grant", oauth.form(OAuthFixture.TOKEN, "grant_type", "authorization_code",
                "code", code.code(), "redirect_uri", code.redirectUri(), "client_id", clientId));
        // "plain": the verifier sent is the challenge itself.
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId,
                new Code(code.code(), Pkce.challengeOf(code.verifier()), code.redirectUri())));
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId,
                new Code(code.code(), code.verifier() + "x", code.redirectUri())));
        // None of those spent the code.
        assertEquals(200, oauth.exchange(clientId, code).status());
    }

    /** RFC 6749 section 4.1.2: a code used twice is refused, and the tokens of its first use are revoked. */
    @Test
    void codeUsedTwiceIsRefusedAndRevokesTheSessionItStarted() {
        Code code = oauth.code(clientId, userId, scope("TWICE00001"));
        Reply first = oauth.exchange(clientId, code);
        assertEquals(200, first.status(), first.toString());
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId, code));
        assertSoftLogout(client.whoami(first.string("access_token")));
        assertOAuthError(400, "invalid_grant", oauth.refresh(clientId, first.string("refresh_token")));
    }

    /** RFC 6749 section 4.1.3: redirect_uri must be identical to the authorisation request's. */
    @Test
    void redirectUriOtherThanTheAuthorisationRequestsIsInvalidGrant() {
        Code code = oauth.code(clientId, userId, scope("REDIRECT01"));
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId,
                new Code(code.code(), code.verifier(), OAuthFixture.REDIRECT + "/")));
        assertOAuthError(400, "invalid_grant", oauth.form(OAuthFixture.TOKEN, "grant_type", "authorization_code",
                "code", code.code(), "client_id", clientId, "code_verifier", code.verifier()));
    }

    /** RFC 6749 sections 4.1.3 and 5.2: another client's code is invalid_grant, an unknown client 401 invalid_client. */
    @Test
    void anotherClientsCodeIsInvalidGrantAndAnUnknownClientIsInvalidClient() {
        String other = oauth.registerClient("Other client");
        Code code = oauth.code(clientId, userId, scope("CLIENT0001"));
        assertOAuthError(400, "invalid_grant", oauth.exchange(other, code));
        assertOAuthError(401, "invalid_client", oauth.exchange("tkclient_unknown", code));
        assertEquals(200, oauth.exchange(clientId, code).status());
    }

    /** RFC 6749 sections 4.1.2 and 5.2: an expired or unknown code is invalid_grant. */
    @Test
    void expiredOrUnknownCodeIsInvalidGrant() {
        Code expired = oauth.code(clientId, userId, scope("EXPIRED001"), OAuthFixture.REDIRECT, -1);
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId, expired));
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId,
                new Code("tkc_unknown", expired.verifier(), OAuthFixture.REDIRECT)));
    }

    /** Spec "Account locking" and deactivation: no new session for such an account. */
    @Test
    void lockedOrDeactivatedAccountGetsInvalidGrant() {
        Code code = oauth.code(clientId, userId, scope("LOCKED0001"));
        oauth.sql("UPDATE users SET locked = TRUE WHERE user_id = ?", userId);
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId, code));
        oauth.sql("UPDATE users SET locked = FALSE, deactivated = TRUE WHERE user_id = ?", userId);
        assertOAuthError(400, "invalid_grant", oauth.exchange(clientId, code));
    }

    /** Spec "Device ID allocation": reusing a device ID revokes its old tokens, as a legacy re-login does. */
    @Test
    void signingInAgainOnADeviceRevokesItsOldTokens() {
        Reply legacy = client.loginRefreshable(user, PASSWORD, "REUSED0001");
        assertEquals(200, legacy.status());
        Reply first = oauth.login(clientId, userId, "REUSED0001");
        assertSoftLogout(client.whoami(legacy.string("access_token")));
        Reply second = oauth.login(clientId, userId, "REUSED0001");
        assertSoftLogout(client.whoami(first.string("access_token")));
        assertOAuthError(400, "invalid_grant", oauth.refresh(clientId, first.string("refresh_token")));
        assertWorks(second.string("access_token"), "REUSED0001");
    }

    /** Spec "Refresh token grant": a new pair on each use, same device and scope; the old pair ends once the new one is used. */
    @Test
    void refreshRotatesThePairOnUse() {
        Reply login = oauth.login(clientId, userId, "ROTATE0001");
        Reply refreshed = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(200, refreshed.status(), refreshed.toString());
        assertEquals("Bearer", refreshed.string("token_type"));
        assertEquals(scope("ROTATE0001"), refreshed.string("scope"));
        assertTrue(refreshed.json().getJsonNumber("expires_in").longValue() > 290);
        assertNotEquals(login.string("access_token"), refreshed.string("access_token"));
        assertNotEquals(login.string("refresh_token"), refreshed.string("refresh_token"));
        assertWorks(refreshed.string("access_token"), "ROTATE0001");
        assertSoftLogout(client.whoami(login.string("access_token")));
        Reply next = oauth.refresh(clientId, refreshed.string("refresh_token"));
        assertEquals(200, next.status(), next.toString());
        assertWorks(next.string("access_token"), "ROTATE0001");
    }

    /** Spec: the server "MUST ensure that the client is able to retry the refresh request" if the response is lost. */
    @Test
    void refreshRepeatedBeforeTheNewPairIsUsedReturnsTheSamePair() {
        Reply login = oauth.login(clientId, userId, "REPEAT0001");
        Reply first = oauth.refresh(clientId, login.string("refresh_token"));
        Reply second = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(200, second.status(), second.toString());
        assertEquals(first.string("access_token"), second.string("access_token"));
        assertEquals(first.string("refresh_token"), second.string("refresh_token"));
        assertWorks(second.string("access_token"), "REPEAT0001");
    }

    /** Spec: an old, invalidated refresh token SHOULD revoke the session (revoke-device policy). */
    @Test
    void replayedRefreshTokenIsInvalidGrantAndRevokesTheDevicesTokens() {
        Reply login = oauth.login(clientId, userId, "REPLAY0001");
        Reply refreshed = oauth.refresh(clientId, login.string("refresh_token"));
        assertWorks(refreshed.string("access_token"), "REPLAY0001");
        assertOAuthError(400, "invalid_grant", oauth.refresh(clientId, login.string("refresh_token")));
        assertSoftLogout(client.whoami(refreshed.string("access_token")));
        assertOAuthError(400, "invalid_grant", oauth.refresh(clientId, refreshed.string("refresh_token")));
    }

    /** The refresh token must be an OAuth session's of the same client; legacy and OAuth refresh tokens stay apart. */
    @Test
    void refreshTokensWorkOnlyForTheirOwnClientAndKind() {
        Reply login = oauth.login(clientId, userId, "KIND000001");
        String other = oauth.registerClient("Other client");
        assertOAuthError(400, "invalid_grant", oauth.refresh(other, login.string("refresh_token")));
        // Legacy /refresh does not know OAuth refresh tokens...
        assertHardLogout(client.refresh(login.string("refresh_token")));
        // ...and the token endpoint does not take legacy ones; none of these refusals cost the session.
        Reply legacy = client.loginRefreshable(user, PASSWORD, "LEGACY0001");
        assertOAuthError(400, "invalid_grant", oauth.refresh(clientId, legacy.string("refresh_token")));
        assertEquals(200, client.refresh(legacy.string("refresh_token")).status());
        assertEquals(200, oauth.refresh(clientId, login.string("refresh_token")).status());
    }

    /** RFC 6749 section 5.2: invalid_request, unsupported_grant_type, unauthorized_client; a JSON body is not a token request. */
    @Test
    void malformedTokenRequestsGetTheRfcsErrors() {
        assertOAuthError(400, "invalid_request", oauth.form(OAuthFixture.TOKEN, "client_id", clientId));
        assertOAuthError(400, "unsupported_grant_type", oauth.form(OAuthFixture.TOKEN, "grant_type", "password",
                "client_id", clientId));
        // A client that did not register the device code grant (RFC 6749 section 5.2).
        assertOAuthError(400, "unauthorized_client", oauth.form(OAuthFixture.TOKEN, "grant_type",
                "urn:ietf:params:oauth:grant-type:device_code", "device_code", "tkd_x", "client_id", clientId));
        assertOAuthError(400, "invalid_request", oauth.form(OAuthFixture.TOKEN, "grant_type", "authorization_code",
                "client_id", clientId));
        assertOAuthError(400, "invalid_request", oauth.form(OAuthFixture.TOKEN, "grant_type", "refresh_token",
                "client_id", clientId));
        assertOAuthError(400, "invalid_request", oauth.form(OAuthFixture.TOKEN, "grant_type", "refresh_token",
                "grant_type", "refresh_token"));
        assertOAuthError(400, "invalid_request", client.postRaw(OAuthFixture.TOKEN, Json.createObjectBuilder()
                .add("grant_type", "refresh_token").build().toString().getBytes(StandardCharsets.UTF_8),
                "application/json"));
    }
}
