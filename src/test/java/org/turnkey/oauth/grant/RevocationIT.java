package org.turnkey.oauth.grant;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.TestDatabase;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.SessionAsserts.assertHardLogout;

/**
 * Token revocation over HTTP, {@code POST /_turnkey/oauth2/revoke} (RFC 7009 section 2, spec
 * "Token revocation"): either token ends the whole session and its device, as {@code /logout}
 * does; unknown tokens and a missing or wrong client_id still answer 200.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RevocationIT {

    private static final String NAME = "oauth-revoke";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of("turnkey.registration.enabled", "true"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    OAuthFixture oauth;
    String userId;
    String clientId;

    @BeforeEach
    void setUp() {
        client = new MatrixClient(base);
        oauth = new OAuthFixture(client, NAME);
        String user = unique("v");
        userId = "@" + user + ":localhost";
        assertEquals(200, client.register(user, "correct horse battery").status());
        clientId = oauth.registerClient("Revocation IT");
    }

    private void assertRevoked200(Reply reply) {
        assertEquals(200, reply.status(), reply.toString());
        assertEquals("{}", reply.raw().strip());
        assertEquals("no-store", reply.header("Cache-Control"));
    }

    /** The spec: "The server MUST revoke both the access token and refresh token"; the device goes too. */
    private void assertSessionGone(Reply login, String deviceId) {
        assertHardLogout(client.whoami(login.string("access_token")));
        Reply refresh = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(400, refresh.status(), refresh.toString());
        assertEquals("invalid_grant", refresh.string("error"));
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM devices WHERE user_id = ? AND device_id = ?",
                userId, deviceId));
    }

    /** Spec "Token revocation": revoking the access token revokes the refresh token too; the device goes as with /logout. */
    @Test
    void revokingTheAccessTokenEndsBothTokensAndTheDevice() {
        Reply login = oauth.login(clientId, userId, "REVACCESS1");
        assertRevoked200(oauth.revoke("token", login.string("access_token"), "token_type_hint", "access_token",
                "client_id", clientId));
        assertSessionGone(login, "REVACCESS1");
    }

    /** Spec "Token revocation": revoking the refresh token revokes the access token too; the device goes as with /logout. */
    @Test
    void revokingTheRefreshTokenEndsBothTokensAndTheDevice() {
        Reply login = oauth.login(clientId, userId, "REVREFRSH1");
        assertRevoked200(oauth.revoke("token", login.string("refresh_token"), "token_type_hint", "refresh_token",
                "client_id", clientId));
        assertSessionGone(login, "REVREFRSH1");
    }

    /** The hint only helps the lookup: a wrong one still finds the token (RFC 7009 section 2.1). */
    @Test
    void aWrongHintStillRevokes() {
        Reply login = oauth.login(clientId, userId, "REVHINT001");
        assertRevoked200(oauth.revoke("token", login.string("refresh_token"), "token_type_hint", "access_token"));
        assertSessionGone(login, "REVHINT001");
    }

    /** The spec: without client_id, or with another client's, the server SHOULD still revoke. */
    @Test
    void missingOrWrongClientIdStillRevokes() {
        Reply a = oauth.login(clientId, userId, "REVNOCLNT1");
        assertRevoked200(oauth.revoke("token", a.string("access_token")));
        assertSessionGone(a, "REVNOCLNT1");
        Reply b = oauth.login(clientId, userId, "REVWRONG01");
        assertRevoked200(oauth.revoke("token", b.string("access_token"), "client_id", "tkclient_someone_else"));
        assertSessionGone(b, "REVWRONG01");
    }

    /** The spec: "If the token is already revoked or invalid, the server returns a 200 OK response". */
    @Test
    void unknownOrAlreadyRevokedTokensGet200() {
        assertRevoked200(oauth.revoke("token", "tka_not_a_token", "client_id", clientId));
        Reply login = oauth.login(clientId, userId, "REVTWICE01");
        assertRevoked200(oauth.revoke("token", login.string("access_token")));
        assertRevoked200(oauth.revoke("token", login.string("access_token")));
        assertRevoked200(oauth.revoke("token", login.string("refresh_token")));
    }

    /** RFC 7009 section 2.2.1: no token is invalid_request, an unknown hint unsupported_token_type. */
    @Test
    void missingTokenOrUnknownHintIsA400() {
        Reply missing = oauth.revoke("client_id", clientId);
        assertEquals(400, missing.status(), missing.toString());
        assertEquals("invalid_request", missing.string("error"));
        Reply login = oauth.login(clientId, userId, "REVBADHNT1");
        Reply badHint = oauth.revoke("token", login.string("access_token"), "token_type_hint", "id_token");
        assertEquals(400, badHint.status(), badHint.toString());
        assertEquals("unsupported_token_type", badHint.string("error"));
        assertEquals(200, client.whoami(login.string("access_token")).status(), "a refused request revokes nothing");
    }

    /**
     * matrix-js-sdk revokes the access and the refresh token in parallel: both get 200, no 5xx,
     * no deadlock, and both tokens are refused afterwards. Repeated to catch interleavings.
     */
    @Test
    void concurrentRevocationsOfBothTokensBothSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String deviceId = "REVPARAL0" + round;
                Reply login = oauth.login(clientId, userId, deviceId);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Reply>> replies = new ArrayList<>();
                for (String[] token : List.of(new String[]{login.string("access_token"), "access_token"},
                        new String[]{login.string("refresh_token"), "refresh_token"})) {
                    replies.add(pool.submit(() -> {
                        start.await();
                        return oauth.revoke("token", token[0], "token_type_hint", token[1], "client_id", clientId);
                    }));
                }
                start.countDown();
                for (Future<Reply> reply : replies) {
                    assertRevoked200(reply.get());
                }
                assertSessionGone(login, deviceId);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
