package org.turnkey.admin;

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
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;

/**
 * The Synapse-shaped admin API and account locking over HTTP: the first admin made with the
 * shared secret, user listing and changes, devices, and what a locked user's client sees.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminIT {

    private static final String SECRET = "it-shared-secret-0123456789";
    private static final String PASSWORD = "correct horse battery";
    private static final String USERS = "/_synapse/admin/v2/users";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("admin", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.registration.shared-secret", SECRET));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    String admin;

    @BeforeEach
    void adminSession() {
        client = new MatrixClient(base);
        Reply reply = sharedSecretRegister(unique("admin"), PASSWORD, true, SECRET);
        assertEquals(200, reply.status(), reply.toString());
        admin = reply.string("access_token");
    }

    private Reply sharedSecretRegister(String username, String password, boolean asAdmin, String secret) {
        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        return client.post("/_synapse/admin/v1/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", username).add("password", password).add("admin", asAdmin)
                .add("mac", SharedSecretMac.compute(secret, nonce, username, password, asAdmin)).build());
    }

    private String userId(String localpart) {
        return "@" + localpart + ":localhost";
    }

    private String registeredUser() {
        String name = unique("user");
        Reply reply = client.register(name, PASSWORD);
        assertEquals(200, reply.status(), reply.toString());
        return name;
    }

    private static void assertError(int status, String errcode, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals(errcode, reply.errcode(), reply.toString());
    }

    private Reply put(String localpart, JsonObject body) {
        return client.put(USERS + "/" + userId(localpart), body, admin);
    }

    // ---- shared-secret registration ----

    @Test
    void sharedSecretCreatesAnAdminWhoseTokenWorks() {
        String name = unique("first");
        Reply reply = sharedSecretRegister(name, PASSWORD, true, SECRET);
        assertEquals(200, reply.status(), reply.toString());
        assertEquals(userId(name), reply.string("user_id"));
        assertEquals("localhost", reply.string("home_server"));
        assertNotNull(reply.string("device_id"));
        String token = reply.string("access_token");
        assertEquals(userId(name), client.whoami(token).string("user_id"));
        Reply self = client.get(USERS + "/" + userId(name), token);
        assertEquals(200, self.status(), self.toString());
        assertTrue(self.json().getBoolean("admin"));
        assertEquals(200, client.login(name, PASSWORD).status(), "the password was stored");

        String plain = unique("plain");
        assertEquals(200, sharedSecretRegister(plain, PASSWORD, false, SECRET).status());
        assertFalse(client.get(USERS + "/" + userId(plain), token).json().getBoolean("admin"));
    }

    @Test
    void sharedSecretRefusesWrongMacsAndSpentNonces() {
        String name = unique("mallory");
        assertError(403, "M_FORBIDDEN", sharedSecretRegister(name, PASSWORD, true, "not-the-shared-secret-at-all"));
        assertError(404, "M_NOT_FOUND", client.get(USERS + "/" + userId(name), admin));

        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        String mac = SharedSecretMac.compute(SECRET, nonce, name, PASSWORD, false);
        // The admin flag is under the MAC: claiming it with a MAC for "notadmin" fails.
        Reply promoted = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder().add("nonce", nonce)
                .add("username", name).add("password", PASSWORD).add("admin", true).add("mac", mac).build());
        assertError(403, "M_FORBIDDEN", promoted);
        Reply reused = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder().add("nonce", nonce)
                .add("username", name).add("password", PASSWORD).add("admin", false).add("mac", mac).build());
        assertError(400, "M_UNKNOWN", reused);

        String taken = unique("taken");
        assertEquals(200, sharedSecretRegister(taken, PASSWORD, false, SECRET).status());
        assertError(400, "M_USER_IN_USE", sharedSecretRegister(taken, PASSWORD, false, SECRET));
    }

    // ---- who may use the admin API ----

    @Test
    void nonAdminsAreForbiddenBeforeAnyLookup() {
        String name = registeredUser();
        String token = client.login(name, PASSWORD).string("access_token");
        String victim = registeredUser();
        for (String target : List.of(userId(victim), userId("nobody-here"))) {
            assertError(403, "M_FORBIDDEN", client.get(USERS + "/" + target, token));
            assertError(403, "M_FORBIDDEN", client.put(USERS + "/" + target,
                    Json.createObjectBuilder().add("admin", true).build(), token));
            assertError(403, "M_FORBIDDEN", client.get(USERS + "/" + target + "/devices", token));
            assertError(403, "M_FORBIDDEN", client.delete(USERS + "/" + target + "/devices/X", null, token));
            assertError(403, "M_FORBIDDEN", client.get("/_matrix/client/v1/admin/lock/" + target, token));
        }
        assertError(403, "M_FORBIDDEN", client.get(USERS, token));
        assertError(401, "M_MISSING_TOKEN", client.get(USERS));
        assertFalse(client.get(USERS + "/" + userId(name), admin).json().getBoolean("admin"), "still not admin");
    }

    // ---- users ----

    @Test
    void listingPagesWithNextTokenAndTotal() {
        String prefix = unique("page");
        for (String suffix : List.of("a", "b", "c")) {
            assertEquals(201, put(prefix + suffix, Json.createObjectBuilder().add("password", PASSWORD).build()).status());
        }
        assertEquals(201, put(prefix + "d", Json.createObjectBuilder().add("deactivated", true).build()).status());

        Reply first = client.get(USERS + "?name=" + prefix + "&limit=2", admin);
        assertEquals(200, first.status(), first.toString());
        assertEquals(3, first.json().getInt("total"), "deactivated users are left out by default");
        assertEquals(List.of(userId(prefix + "a"), userId(prefix + "b")), names(first));
        assertEquals("2", first.string("next_token"));

        Reply last = client.get(USERS + "?name=" + prefix + "&limit=2&from=2", admin);
        assertEquals(List.of(userId(prefix + "c")), names(last));
        assertFalse(last.json().containsKey("next_token"), last.toString());

        Reply all = client.get(USERS + "?name=" + prefix + "&deactivated=true&dir=b", admin);
        assertEquals(4, all.json().getInt("total"));
        assertEquals(userId(prefix + "d"), names(all).get(0));
        assertTrue(all.json().getJsonArray("users").getJsonObject(0).getBoolean("deactivated"));

        assertError(400, "M_INVALID_PARAM", client.get(USERS + "?from=-1", admin));
        assertError(400, "M_INVALID_PARAM", client.get(USERS + "?limit=ten", admin));
    }

    private static List<String> names(Reply reply) {
        return reply.json().getJsonArray("users").getValuesAs(JsonObject.class).stream()
                .map(u -> u.getString("name")).toList();
    }

    @Test
    void putCreatesThenChangesPasswordAdminAndDeactivation() {
        String name = unique("carol");
        Reply created = put(name, Json.createObjectBuilder().add("password", PASSWORD).add("displayname", "Carol").build());
        assertEquals(201, created.status(), created.toString());
        assertEquals(userId(name), created.string("name"));
        assertFalse(created.json().getBoolean("admin"));
        assertFalse(created.json().getBoolean("locked"));
        String oldToken = client.login(name, PASSWORD).string("access_token");

        Reply changed = put(name, Json.createObjectBuilder().add("password", "new password 1").build());
        assertEquals(200, changed.status(), changed.toString());
        Reply gone = client.whoami(oldToken);
        assertError(401, "M_UNKNOWN_TOKEN", gone);
        assertFalse(gone.softLogout(), "logout_devices deletes the devices: " + gone);
        assertError(403, "M_FORBIDDEN", client.login(name, PASSWORD));
        String token = client.login(name, "new password 1").string("access_token");

        assertEquals(200, put(name, Json.createObjectBuilder().add("password", "new password 2")
                .add("logout_devices", false).build()).status());
        assertEquals(200, client.whoami(token).status(), "logout_devices: false keeps the devices");

        assertTrue(put(name, Json.createObjectBuilder().add("admin", true).build()).json().getBoolean("admin"));
        assertTrue(client.get(USERS + "/" + userId(name), admin).json().getBoolean("admin"));
        assertEquals(200, client.get(USERS, token).status(), "the new admin may use the admin API");

        assertTrue(put(name, Json.createObjectBuilder().add("deactivated", true).build()).json().getBoolean("deactivated"));
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(token));
        assertError(403, "M_USER_DEACTIVATED", client.login(name, "new password 2"));
        assertError(400, "M_INVALID_PARAM", put(name, Json.createObjectBuilder().add("deactivated", false).build()));
        assertError(400, "M_INVALID_PARAM", put(name, Json.createObjectBuilder().add("password", "sneaky").build()));
        assertEquals(200, put(name, Json.createObjectBuilder().add("deactivated", false)
                .add("password", "back again").build()).status());
        assertEquals(200, client.login(name, "back again").status());

        assertError(404, "M_NOT_FOUND", client.get(USERS + "/" + userId(unique("nobody")), admin));
        assertError(400, "M_INVALID_PARAM", client.get(USERS + "/@someone:other.example", admin));
        assertError(400, "M_INVALID_USERNAME", put("not!valid", Json.createObjectBuilder().build()));
    }

    @Test
    void adminsListAndDeleteDevices() {
        String name = registeredUser();
        String phone = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "PHONE")
                .add("initial_device_display_name", "My phone").build()).string("access_token");
        String laptop = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "LAPTOP").build())
                .string("access_token");

        Reply listed = client.get(USERS + "/" + userId(name) + "/devices", admin);
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(3, listed.json().getInt("total"), "registration's device, PHONE and LAPTOP");
        JsonObject phoneDevice = listed.json().getJsonArray("devices").getValuesAs(JsonObject.class).stream()
                .filter(d -> d.getString("device_id").equals("PHONE")).findFirst().orElseThrow();
        assertEquals("My phone", phoneDevice.getString("display_name"));
        assertEquals(userId(name), phoneDevice.getString("user_id"));

        Reply deleted = client.delete(USERS + "/" + userId(name) + "/devices/PHONE", null, admin);
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, deleted.json());
        Reply gone = client.whoami(phone);
        assertError(401, "M_UNKNOWN_TOKEN", gone);
        assertFalse(gone.softLogout(), gone.toString());
        assertEquals(200, client.whoami(laptop).status());
        assertEquals(2, client.get(USERS + "/" + userId(name) + "/devices", admin).json().getInt("total"));
        assertEquals(200, client.delete(USERS + "/" + userId(name) + "/devices/PHONE", null, admin).status(),
                "deleting a device that is gone is not an error");
        assertError(404, "M_NOT_FOUND", client.get(USERS + "/" + userId(unique("nobody")) + "/devices", admin));
    }

    // ---- spec "Account locking" ----

    @Test
    void lockedUsersGetUserLockedAndUnlockingRestoresTheSameSession() {
        String name = registeredUser();
        Reply session = client.login(name, PASSWORD, MatrixClient.withRefresh());
        String token = session.string("access_token");
        String refresh = session.string("refresh_token");
        String other = client.login(name, PASSWORD).string("access_token");
        assertEquals(200, client.whoami(token).status(), "token is cached before the lock");

        Reply locked = put(name, Json.createObjectBuilder().add("locked", true).build());
        assertEquals(200, locked.status(), locked.toString());
        assertTrue(locked.json().getBoolean("locked"));

        for (Reply reply : List.of(client.whoami(token), client.whoami(other), client.refresh(refresh),
                client.login(name, PASSWORD))) {
            assertError(401, "M_USER_LOCKED", reply);
            assertTrue(reply.softLogout(), "locked is a soft logout: " + reply);
        }
        assertError(403, "M_FORBIDDEN", client.login(name, "wrong password"));
        Reply loggedOut = client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT, other);
        assertEquals(200, loggedOut.status(), "logout works while locked: " + loggedOut);

        assertFalse(put(name, Json.createObjectBuilder().add("locked", false).build()).json().getBoolean("locked"));
        Reply back = client.whoami(token);
        assertEquals(200, back.status(), "the same token works again: " + back);
        assertEquals(userId(name), back.string("user_id"));
        assertEquals(200, client.refresh(refresh).status(), "the refresh token was kept too");
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(other));
        assertEquals(200, client.login(name, PASSWORD).status());
    }

    @Test
    void specLockEndpointLocksOtherNonAdmins() {
        String name = registeredUser();
        String token = client.login(name, PASSWORD).string("access_token");
        String lockPath = "/_matrix/client/v1/admin/lock/" + userId(name);
        assertTrue(client.get("/_matrix/client/v3/capabilities", admin).json().getJsonObject("capabilities")
                .getJsonObject("m.account_moderation").getBoolean("lock"));
        assertFalse(client.get("/_matrix/client/v3/capabilities", token).json().getJsonObject("capabilities")
                .containsKey("m.account_moderation"), "omitted for non-admins");
        assertFalse(client.get(lockPath, admin).json().getBoolean("locked"));

        Reply locked = client.put(lockPath, Json.createObjectBuilder().add("locked", true).build(), admin);
        assertEquals(200, locked.status(), locked.toString());
        assertTrue(locked.json().getBoolean("locked"));
        assertTrue(client.get(lockPath, admin).json().getBoolean("locked"));
        assertError(401, "M_USER_LOCKED", client.whoami(token));
        assertError(401, "M_USER_LOCKED", client.get(lockPath, token));

        client.put(lockPath, Json.createObjectBuilder().add("locked", false).build(), admin);
        assertEquals(200, client.whoami(token).status());

        String self = client.whoami(admin).string("user_id");
        assertError(403, "M_FORBIDDEN", client.put("/_matrix/client/v1/admin/lock/" + self,
                Json.createObjectBuilder().add("locked", true).build(), admin));
        String otherAdmin = unique("boss");
        sharedSecretRegister(otherAdmin, PASSWORD, true, SECRET);
        assertError(403, "M_FORBIDDEN", client.put("/_matrix/client/v1/admin/lock/" + userId(otherAdmin),
                Json.createObjectBuilder().add("locked", true).build(), admin));
        assertError(404, "M_NOT_FOUND", client.get("/_matrix/client/v1/admin/lock/" + userId(unique("nobody")), admin));
        assertError(400, "M_MISSING_PARAM", client.put(lockPath, JsonValue.EMPTY_JSON_OBJECT, admin));
    }
}
