package org.turnkey.admin;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.MatrixClient.Session;
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.TestDatabase;

import java.net.URL;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixAsserts.assertError;

/**
 * The admin API's OAuth 2.0 clients ({@code /_turnkey/admin/v1/oauth_clients}: Synapse has no such
 * API) and which API created each device (Synapse's {@code /_synapse/admin/v2/users/{userId}/devices}
 * plus Turnkey's {@code created_by} and {@code oauth_client_id}). Spec "OAuth 2.0 API": tokens
 * issued through a client are that client's sessions; deleting the client ends them all.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminOAuthClientsIT {

    static final String NAME = "adminoauth";
    static final String CLIENTS = "/_turnkey/admin/v1/oauth_clients";
    static final String USERS = "/_synapse/admin/v2/users";
    static final String PASSWORD = "admin-oauth-pw";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.password.argon2.memory-kib", "1024",
                "turnkey.password.argon2.iterations", "1"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client() {
        return new MatrixClient(base);
    }

    OAuthFixture oauth() {
        return new OAuthFixture(client(), NAME);
    }

    /** A signed-in admin (the flag set in the database, as an operator's first admin could be). */
    Session admin() {
        Session admin = client().newSession("oadm", PASSWORD);
        oauth().sql("UPDATE users SET admin = TRUE WHERE user_id = ?", admin.userId());
        return admin;
    }

    String newClient() {
        return oauth().registerClient("Admin Test " + MatrixClient.unique("c"));
    }

    Reply delete(String path, String token) {
        return client().send(client().request(path, token).DELETE());
    }

    /** Admin API: only admins; everyone else 403 M_FORBIDDEN, before any client is looked up. */
    @Test
    void nonAdminIsForbiddenFromEveryOAuthClientEndpoint() {
        String clientId = newClient();
        Session user = client().newSession("onot", PASSWORD);
        assertError(403, "M_FORBIDDEN", client().get(CLIENTS, user.accessToken()));
        assertError(403, "M_FORBIDDEN", client().get(CLIENTS + "/" + clientId, user.accessToken()));
        assertError(403, "M_FORBIDDEN", delete(CLIENTS + "/" + clientId, user.accessToken()));
        assertError(403, "M_FORBIDDEN", delete(CLIENTS + "/unknown", user.accessToken()));
        assertError(401, "M_MISSING_TOKEN", client().get(CLIENTS));
        assertEquals(200, client().get(CLIENTS + "/" + clientId, admin().accessToken()).status(), "still there");
    }

    /** Paginated like Synapse's admin lists: from, limit, next_token, total. */
    @Test
    void clientListIsPaginatedWithNextTokenAndTotal() {
        for (int i = 0; i < 3; i++) {
            newClient();
        }
        String token = admin().accessToken();
        long total = client().get(CLIENTS, token).json().getJsonNumber("total").longValue();
        assertTrue(total >= 3, "total " + total);
        Set<String> seen = new HashSet<>();
        String from = "0";
        int pages = 0;
        while (from != null) {
            Reply page = client().get(CLIENTS + "?limit=2&from=" + from, token);
            assertEquals(200, page.status(), page.toString());
            List<JsonObject> clients = page.json().getJsonArray("clients").getValuesAs(JsonObject.class);
            assertTrue(clients.size() <= 2);
            clients.forEach(c -> assertTrue(seen.add(c.getString("client_id")), "listed twice: " + c));
            assertEquals(total, page.json().getJsonNumber("total").longValue());
            from = page.json().containsKey("next_token") ? page.string("next_token") : null;
            pages++;
        }
        assertEquals(total, seen.size());
        assertEquals((total + 1) / 2, pages);
        assertError(400, "M_INVALID_PARAM", client().get(CLIENTS + "?limit=-1", token));
    }

    /** One client with its registered metadata and how many devices hold its sessions; unknown 404. */
    @Test
    void oneClientShowsItsMetadataAndDevicesUnknownIsNotFound() {
        String clientId = newClient();
        Session user = client().newSession("oone", PASSWORD);
        oauth().login(clientId, user.userId(), "ONEDEVICE01");
        String token = admin().accessToken();
        Reply one = client().get(CLIENTS + "/" + clientId, token);
        assertEquals(200, one.status(), one.toString());
        assertEquals(clientId, one.string("client_id"));
        assertTrue(one.string("client_name").startsWith("Admin Test "));
        assertEquals(List.of(OAuthFixture.REDIRECT), one.json().getJsonArray("redirect_uris").getValuesAs(
                jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList());
        assertEquals("web", one.string("application_type"));
        assertEquals(1, one.json().getInt("devices"));
        assertEquals("https://example.com/", one.json().getJsonObject("metadata").getString("client_uri"));
        assertError(404, "M_NOT_FOUND", client().get(CLIENTS + "/no-such-client", token));
        assertError(404, "M_NOT_FOUND", delete(CLIENTS + "/no-such-client", token));
    }

    /**
     * Deleting a client deletes every device with a session of it, for every user, as a device
     * deletion does: their access and refresh tokens stop working. Other devices stay.
     */
    @Test
    void deletingAClientRevokesEverySessionOfItAndDeletesTheirDevices() {
        String clientId = newClient();
        String otherClient = newClient();
        Session alice = client().newSession("oalice", PASSWORD);
        Session bob = client().newSession("obob", PASSWORD);
        Reply aliceOAuth = oauth().login(clientId, alice.userId(), "ALICEOAUTH1");
        Reply bobOAuth = oauth().login(clientId, bob.userId(), "BOBOAUTH001");
        Reply bobOther = oauth().login(otherClient, bob.userId(), "BOBOTHER001");
        for (Reply r : List.of(aliceOAuth, bobOAuth, bobOther)) {
            assertEquals(200, client().whoami(r.string("access_token")).status());
        }
        Session admin = admin();

        Reply deleted = delete(CLIENTS + "/" + clientId, admin.accessToken());
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(2, deleted.json().getInt("devices_deleted"));

        assertError(401, "M_UNKNOWN_TOKEN", client().whoami(aliceOAuth.string("access_token")));
        assertError(401, "M_UNKNOWN_TOKEN", client().whoami(bobOAuth.string("access_token")));
        Reply refresh = oauth().refresh(clientId, bobOAuth.string("refresh_token"));
        assertTrue(refresh.status() == 400 || refresh.status() == 401, refresh.toString());
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM devices WHERE device_id IN (?, ?)",
                "ALICEOAUTH1", "BOBOAUTH001"));
        // The other client's session and the password logins are not the deleted client's.
        assertEquals(200, client().whoami(bobOther.string("access_token")).status());
        assertEquals(200, client().whoami(alice.accessToken()).status());
        assertEquals(200, client().whoami(bob.accessToken()).status());
        assertError(404, "M_NOT_FOUND", client().get(CLIENTS + "/" + clientId, admin.accessToken()));
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM oauth_codes WHERE client_id = ?", clientId));
    }

    /** Each device says which API created it: legacy (password login) or oauth with the client's ID. */
    @Test
    void adminDeviceListAndOneDeviceShowWhichApiAndClientCreatedEachDevice() {
        String clientId = newClient();
        Session user = client().newSession("odev", PASSWORD);
        oauth().login(clientId, user.userId(), "OAUTHDEV001");
        // A later password login on the same device ID keeps the device's origin.
        assertEquals(200, client().loginRefreshable(user.userId(), PASSWORD, "OAUTHDEV001").status());
        String token = admin().accessToken();

        Reply list = client().get(USERS + "/" + user.userId() + "/devices", token);
        assertEquals(200, list.status(), list.toString());
        Map<String, JsonObject> byId = new java.util.HashMap<>();
        list.json().getJsonArray("devices").getValuesAs(JsonObject.class).forEach(d -> byId.put(d.getString("device_id"), d));
        assertEquals("legacy", byId.get(user.deviceId()).getString("created_by"));
        assertEquals(JsonValue.NULL, byId.get(user.deviceId()).get("oauth_client_id"));
        assertEquals("oauth", byId.get("OAUTHDEV001").getString("created_by"));
        assertEquals(clientId, byId.get("OAUTHDEV001").getString("oauth_client_id"));

        Reply one = client().get(USERS + "/" + user.userId() + "/devices/OAUTHDEV001", token);
        assertEquals(200, one.status(), one.toString());
        assertEquals("oauth", one.string("created_by"));
        assertEquals(clientId, one.string("oauth_client_id"));
        assertEquals(user.userId(), one.string("user_id"));
        assertError(404, "M_NOT_FOUND", client().get(USERS + "/" + user.userId() + "/devices/NOSUCHDEV", token));
        assertError(403, "M_FORBIDDEN", client().get(USERS + "/" + user.userId() + "/devices/OAUTHDEV001",
                user.accessToken()));
        assertFalse(byId.containsKey("NOSUCHDEV"));
    }
}
