package org.turnkey.oauth;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.admin.SharedSecretMac;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.OAuthFixture;
import org.turnkey.uia.Uia;

import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.SessionAsserts.assertHardLogout;
import static org.turnkey.support.SessionAsserts.assertSoftLogout;

/**
 * One session model: tokens from the OAuth 2.0 API on the Matrix endpoints (spec "OAuth 2.0
 * API", "Using access tokens", "Soft logout", "Relationship between access tokens and
 * devices"), and the spec's warning that the User-Interactive Authentication endpoints cannot be
 * used with them. Access tokens live 5 s here so expiry can be shown.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OAuthSessionIT {

    private static final String NAME = "oauth-session";
    private static final String PASSWORD = "correct horse battery";
    private static final long ACCESS_LIFETIME_MS = 5_000;
    private static final String SECRET = "oauth-session-it-shared-secret";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of("turnkey.registration.enabled", "true",
                "turnkey.registration.shared-secret", SECRET,
                "turnkey.access-token.lifetime", "PT5S"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    OAuthFixture oauth;
    String user;
    String userId;
    String clientId;
    String clientName;

    @BeforeEach
    void setUp() {
        client = new MatrixClient(base);
        oauth = new OAuthFixture(client, NAME);
        user = unique("s");
        userId = "@" + user + ":localhost";
        assertEquals(200, client.register(user, PASSWORD).status());
        clientName = unique("Session IT ");
        clientId = oauth.registerClient(clientName);
    }

    /** The device the scope names is an ordinary device: whoami and GET /devices show it, named after the client. */
    @Test
    void oauthAccessTokenWorksOnMatrixEndpointsAndItsDeviceIsListed() {
        Reply login = oauth.login(clientId, userId, "SESSDEV001");
        Reply who = client.whoami(login.string("access_token"));
        assertEquals(200, who.status(), who.toString());
        assertEquals(userId, who.string("user_id"));
        assertEquals("SESSDEV001", who.string("device_id"));
        Reply devices = client.get("/_matrix/client/v3/devices", login.string("access_token"));
        assertEquals(200, devices.status(), devices.toString());
        JsonObject device = devices.json().getJsonArray("devices").stream().map(JsonValue::asJsonObject)
                .filter(d -> d.getString("device_id").equals("SESSDEV001")).findFirst().orElseThrow();
        assertEquals(clientName, device.getString("display_name"));
    }

    /** Spec "Soft logout": an expired OAuth access token is 401 M_UNKNOWN_TOKEN soft_logout, and refresh brings it back. */
    @Test
    void expiredOauthAccessTokenIsSoftLogoutAndRefreshRecovers() throws InterruptedException {
        Reply login = oauth.login(clientId, userId, "SESSEXP001");
        Thread.sleep(ACCESS_LIFETIME_MS + 500);
        assertSoftLogout(client.whoami(login.string("access_token")));
        Reply refreshed = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(200, refreshed.status(), refreshed.toString());
        assertEquals(200, client.whoami(refreshed.string("access_token")).status());
    }

    /** POST /logout ends an OAuth session as it ends a legacy one: device and both tokens. */
    @Test
    void logoutEndsTheOauthSession() {
        Reply login = oauth.login(clientId, userId, "SESSLOG001");
        assertEquals(200, client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT,
                login.string("access_token")).status());
        assertHardLogout(client.whoami(login.string("access_token")));
        Reply refresh = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(400, refresh.status());
        assertEquals("invalid_grant", refresh.string("error"));
    }

    /**
     * Spec "OAuth 2.0 API" warning: UIA endpoints "can't be used when an access token is obtained
     * with this API". Each answers 403 M_FORBIDDEN pointing at the account management web UI,
     * and does nothing; a legacy token still gets the UIA challenge.
     */
    @Test
    void uiaEndpointsRefuseOauthTokensWithForbidden() {
        String token = oauth.login(clientId, userId, "SESSUIA001").string("access_token");
        JsonObject auth = Uia.body(Uia.password(null, userId, PASSWORD));
        Reply[] replies = {
                client.delete("/_matrix/client/v3/devices/SESSUIA001", auth, token),
                client.post("/_matrix/client/v3/delete_devices", Json.createObjectBuilder()
                        .add("devices", Json.createArrayBuilder().add("SESSUIA001")).add("auth", auth.get("auth"))
                        .build(), token),
                client.post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                        .add("new_password", "another horse battery").add("auth", auth.get("auth")).build(), token),
                client.post("/_matrix/client/v3/account/deactivate", auth, token)};
        for (Reply reply : replies) {
            assertEquals(403, reply.status(), reply.toString());
            assertEquals("M_FORBIDDEN", reply.errcode(), reply.toString());
            assertTrue(reply.string("error").contains("account management"), reply.toString());
        }
        assertEquals(200, client.whoami(token).status(), "nothing was deleted or deactivated");
        Reply legacy = client.login(user, PASSWORD);
        Reply challenge = client.post("/_matrix/client/v3/delete_devices", Json.createObjectBuilder()
                .add("devices", Json.createArrayBuilder().add("SESSUIA001")).build(), legacy.string("access_token"));
        assertEquals(401, challenge.status(), challenge.toString());
        assertTrue(challenge.json().containsKey("flows"));
    }

    /** A password change from a legacy session logs out the user's other devices, OAuth ones included. */
    @Test
    void passwordChangeFromALegacySessionEndsOauthSessions() {
        Reply login = oauth.login(clientId, userId, "SESSPWD001");
        String legacy = client.login(user, PASSWORD).string("access_token");
        JsonObject change = Json.createObjectBuilder().add("new_password", "another horse battery")
                .add("auth", Uia.password(null, userId, PASSWORD)).build();
        Reply first = client.post("/_matrix/client/v3/account/password", change, legacy);
        if (first.status() == 401 && first.json().containsKey("session")) {
            first = client.post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                    .add("new_password", "another horse battery")
                    .add("auth", Uia.password(first.string("session"), userId, PASSWORD)).build(), legacy);
        }
        assertEquals(200, first.status(), first.toString());
        assertEquals(401, client.whoami(login.string("access_token")).status());
        assertEquals(400, oauth.refresh(clientId, login.string("refresh_token")).status());
    }

    /** An admin's access token, made with the shared secret as {@code AdminIT} does. */
    private String admin() {
        String name = unique("admin");
        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        Reply reply = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", name).add("password", PASSWORD).add("admin", true)
                .add("mac", SharedSecretMac.compute(SECRET, nonce, name, PASSWORD, true)).build());
        assertEquals(200, reply.status(), reply.toString());
        return reply.string("access_token");
    }

    /** The admin API lists the OAuth device like any other (Synapse's GET /_synapse/admin/v2/users/{id}/devices). */
    @Test
    void adminApiListsTheOauthDevice() {
        oauth.login(clientId, userId, "SESSADM001");
        Reply devices = client.get("/_synapse/admin/v2/users/" + userId + "/devices", admin());
        assertEquals(200, devices.status(), devices.toString());
        assertTrue(devices.json().getJsonArray("devices").stream().map(JsonValue::asJsonObject)
                .anyMatch(d -> d.getString("device_id").equals("SESSADM001")), devices.toString());
    }

    /**
     * Synapse's admin API {@code GET /_synapse/admin/v1/whois/{userId}} (what {@code synadm user
     * whois} calls): an OAuth device is listed with the address, time and user agent of its last
     * request, like a legacy one.
     */
    @Test
    void whoisShowsTheOauthDeviceWithItsLastRequest() {
        Reply login = oauth.login(clientId, userId, "SESSWHO001");
        Reply seen = client.send(client.request("/_matrix/client/v3/account/whoami", login.string("access_token"))
                .header("User-Agent", "Element X/25.1 (OAuthSessionIT)").GET());
        assertEquals(200, seen.status(), seen.toString());
        Reply whois = client.get("/_synapse/admin/v1/whois/" + userId, admin());
        assertEquals(200, whois.status(), whois.toString());
        JsonObject connection = whois.json().getJsonObject("devices").getJsonObject("SESSWHO001")
                .getJsonArray("sessions").getJsonObject(0).getJsonArray("connections").getJsonObject(0);
        assertEquals("Element X/25.1 (OAuthSessionIT)", connection.getString("user_agent"), whois.toString());
        assertEquals("127.0.0.1", connection.getString("ip"));
    }

    /**
     * Spec "Account locking": an OAuth session of a locked account gets 401 M_USER_LOCKED with
     * soft_logout on Matrix endpoints, as a legacy one does; its refresh grant is invalid_grant
     * (the token endpoint has no soft logout); unlocking restores the session.
     */
    @Test
    void lockingTheAccountStopsOauthTokensAsItStopsLegacyOnes() {
        String admin = admin();
        Reply login = oauth.login(clientId, userId, "SESSLCK001");
        assertEquals(200, client.put("/_matrix/client/v1/admin/lock/" + userId,
                Json.createObjectBuilder().add("locked", true).build(), admin).status());
        Reply locked = client.whoami(login.string("access_token"));
        assertEquals(401, locked.status(), locked.toString());
        assertEquals("M_USER_LOCKED", locked.errcode());
        assertTrue(locked.softLogout());
        assertEquals("invalid_grant", oauth.refresh(clientId, login.string("refresh_token")).string("error"));
        assertEquals(200, client.put("/_matrix/client/v1/admin/lock/" + userId,
                Json.createObjectBuilder().add("locked", false).build(), admin).status());
        // Refresh rather than the access token itself: it may have outlived its 5 s by now.
        Reply refreshed = oauth.refresh(clientId, login.string("refresh_token"));
        assertEquals(200, refreshed.status(), "the refusal while locked revoked nothing: " + refreshed);
        assertEquals(200, client.whoami(refreshed.string("access_token")).status());
    }

    /** Deactivation deletes every device, OAuth ones included: both tokens are gone for good. */
    @Test
    void deactivationEndsOauthSessions() {
        Reply login = oauth.login(clientId, userId, "SESSDEA001");
        assertEquals(200, client.post("/_synapse/admin/v1/deactivate/" + userId, JsonValue.EMPTY_JSON_OBJECT,
                admin()).status());
        assertHardLogout(client.whoami(login.string("access_token")));
        assertEquals("invalid_grant", oauth.refresh(clientId, login.string("refresh_token")).string("error"));
    }
}
