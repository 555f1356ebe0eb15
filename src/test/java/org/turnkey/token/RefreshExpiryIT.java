package org.turnkey.token;

import jakarta.json.JsonValue;
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

import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.SessionAsserts.assertSoftLogout;

/**
 * Lifetimes and the {@code reject} reuse policy (spec "Refreshing access tokens", "Soft logout"),
 * on a server whose tokens expire within seconds. These tests wait for real expiry.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RefreshExpiryIT {

    private static final String PASSWORD = "correct horse battery";
    private static final long ACCESS_MS = 2_000;
    private static final long REFRESH_MS = 5_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("expiry", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.access-token.lifetime", "PT2S",
                "turnkey.refresh-token.lifetime", "PT5S",
                "turnkey.nonrefreshable-access-token.lifetime", "PT2S",
                "turnkey.refresh-token.reuse-policy", "reject",
                "turnkey.uia.session-timeout", "PT6S"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    String user;

    @BeforeEach
    void registerUser() {
        client = new MatrixClient(base);
        user = unique("x");
        assertEquals(200, client.register(user, PASSWORD).status());
    }

    private Reply login(String deviceId) {
        Reply login = client.loginRefreshable(user, PASSWORD, deviceId);
        assertEquals(200, login.status(), login.toString());
        return login;
    }

    private static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    @Test
    void expiresInMsFollowsTheConfiguredLifetime() {
        long expires = login("LIFE").json().getJsonNumber("expires_in_ms").longValue();
        assertTrue(expires > 0 && expires <= ACCESS_MS, "expires_in_ms " + expires);
    }

    @Test
    void expiredAccessTokenIsASoftLogoutAndRefreshRecovers() throws Exception {
        Reply login = login("EXP");
        pause(ACCESS_MS + 300);
        assertSoftLogout(client.whoami(login.string("access_token")));
        Reply refreshed = client.refresh(login.string("refresh_token"));
        assertEquals(200, refreshed.status(), refreshed.toString());
        assertEquals("EXP", client.whoami(refreshed.string("access_token")).string("device_id"));
    }

    @Test
    void expiredRefreshTokenIsASoftLogoutAndReloginOnTheDeviceWorks() throws Exception {
        Reply login = login("OLD");
        pause(REFRESH_MS + 300);
        assertSoftLogout(client.refresh(login.string("refresh_token")));
        assertEquals("OLD", login("OLD").string("device_id"));
    }

    @Test
    void nonRefreshableTokensExpireWhenTheirLifetimeIsConfigured() throws Exception {
        Reply login = client.login(user, PASSWORD);
        assertTrue(login.json().getJsonNumber("expires_in_ms").longValue() <= ACCESS_MS);
        pause(ACCESS_MS + 300);
        assertSoftLogout(client.whoami(login.string("access_token")));
    }

    @Test
    void expiredAccessTokenCanStillLogOut() throws Exception {
        Reply login = login("BYE");
        pause(ACCESS_MS + 300);
        assertEquals(200, client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT,
                login.string("access_token")).status());
        Reply gone = client.refresh(login.string("refresh_token"));
        assertEquals(401, gone.status());
        assertTrue(!gone.softLogout(), "after logout the session is gone: " + gone);
    }

    @Test
    void expiredAccessTokenCanStillLogOutEverywhere() throws Exception {
        Reply a = login("ALL1");
        Reply b = login("ALL2");
        pause(ACCESS_MS + 300);
        assertEquals(200, client.post("/_matrix/client/v3/logout/all", JsonValue.EMPTY_JSON_OBJECT,
                a.string("access_token")).status());
        assertEquals(401, client.refresh(b.string("refresh_token")).status());
    }

    @Test
    void repeatedRefreshAfterTheUnusedSuccessorExpiredGivesAFreshPair() throws Exception {
        Reply login = login("STALE");
        Reply first = client.refresh(login.string("refresh_token"));
        pause(ACCESS_MS + 300);
        Reply second = client.refresh(login.string("refresh_token"));
        assertEquals(200, second.status(), second.toString());
        assertNotEquals(first.string("access_token"), second.string("access_token"));
        assertEquals("STALE", client.whoami(second.string("access_token")).string("device_id"));
    }

    /** Spec "User-interactive API in the REST API": sessions end; here after turnkey.uia.session-timeout. */
    @Test
    void userInteractiveAuthSessionExpiresAfterItsTimeout() throws Exception {
        Reply login = login("UIA");
        String path = "/_matrix/client/v3/devices/UIA";
        Reply challenge = client.delete(path, null, login.string("access_token"));
        assertEquals(401, challenge.status(), challenge.toString());
        String session = challenge.string("session");
        // Long enough that registering in @BeforeEach (two requests) never outlives it on a busy machine.
        pause(6_300);
        // Past the refresh token's lifetime too: sign in on the device again for a valid token.
        String access = login("UIA").string("access_token");
        Reply late = client.delete(path, org.turnkey.uia.Uia.body(org.turnkey.uia.Uia.password(session, user, PASSWORD)),
                access);
        assertEquals(400, late.status(), late.toString());
        assertEquals(200, client.whoami(access).status(), "the device was not deleted");
    }

    @Test
    void rejectPolicyRefusesOnlyTheReplayedToken() {
        Reply login = login("REJ");
        Reply current = client.refresh(login.string("refresh_token"));
        assertEquals(200, client.whoami(current.string("access_token")).status());
        assertSoftLogout(client.refresh(login.string("refresh_token")));
        assertEquals(200, client.whoami(current.string("access_token")).status(),
                "with reuse-policy=reject the device's current tokens keep working");
        assertEquals(200, client.refresh(current.string("refresh_token")).status());
    }
}
