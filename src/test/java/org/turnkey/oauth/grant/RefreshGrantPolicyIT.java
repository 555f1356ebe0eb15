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

import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.turnkey.support.MatrixClient.unique;

/**
 * The refresh token grant under {@code turnkey.refresh-token.reuse-policy=reject} with a
 * {@code turnkey.refresh-token.duplicate-allowance} of 3 s (spec "Refresh token grant", RFC 9700
 * section 4.14.2; the rule is {@code token.RefreshTokenPolicy}'s, shared with {@code /refresh}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RefreshGrantPolicyIT {

    private static final String NAME = "oauth-refresh-reject";
    private static final long ALLOWANCE_MS = 3_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of("turnkey.registration.enabled", "true",
                "turnkey.refresh-token.reuse-policy", "reject",
                "turnkey.refresh-token.duplicate-allowance", "PT3S"));
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
        String user = unique("p");
        userId = "@" + user + ":localhost";
        assertEquals(200, client.register(user, "correct horse battery").status());
        clientId = oauth.registerClient("Policy IT");
    }

    private void assertInvalidGrant(Reply reply) {
        assertEquals(400, reply.status(), reply.toString());
        assertEquals("invalid_grant", reply.string("error"), reply.toString());
    }

    /**
     * A rotated refresh token presented inside the allowance is a duplicate the client had in
     * flight: invalid_grant (like /refresh's 401 without tokens), and nothing is revoked.
     */
    @Test
    void duplicateInsideTheAllowanceIsInvalidGrantAndRevokesNothing() {
        Reply login = oauth.login(clientId, userId, "DUPLICATE1");
        Reply refreshed = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(200, client.whoami(refreshed.string("access_token")).status());
        assertInvalidGrant(oauth.refresh(clientId, login.string("refresh_token")));
        assertEquals(200, client.whoami(refreshed.string("access_token")).status());
        assertEquals(200, oauth.refresh(clientId, refreshed.string("refresh_token")).status());
    }

    /** Under reject, a replay after the allowance is refused and the device's current tokens stay. */
    @Test
    void replayAfterTheAllowanceIsInvalidGrantAndUnderRejectKeepsTheSession() throws InterruptedException {
        Reply login = oauth.login(clientId, userId, "REJECT0001");
        Reply refreshed = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(200, client.whoami(refreshed.string("access_token")).status());
        Thread.sleep(ALLOWANCE_MS + 500);
        assertInvalidGrant(oauth.refresh(clientId, login.string("refresh_token")));
        assertEquals(200, client.whoami(refreshed.string("access_token")).status());
        assertEquals(200, oauth.refresh(clientId, refreshed.string("refresh_token")).status());
    }
}
