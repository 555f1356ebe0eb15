package org.turnkey.account;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Session;
import org.turnkey.uia.Uia;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account's own management over HTTP: password change and deactivation behind
 * user-interactive auth, capabilities, and login tokens. Includes the SyTest / Complement cases
 * named in the test names.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AccountManagementIT {

    private static final String PASSWORD = "correct horse battery";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("account", Map.of("turnkey.registration.enabled", "true",
                "turnkey.password.argon2.memory-kib", "1024"));
    }

    @ArquillianResource
    URL base;

    private MatrixClient client() {
        return new MatrixClient(base);
    }

    private Session newUser(String prefix) {
        return client().newSession(prefix, PASSWORD);
    }

    private Session login(String userId, String password) {
        return client().signIn(userId, password);
    }

    // ---- Password (password_management.yaml) ----

    @Test
    @DisplayName("SyTest: a password change keeps the caller, logs out the others, and the old password stops working")
    void passwordChangeLogsOutOthers() {
        Session s = newUser("chpw");
        Session other = login(s.userId(), PASSWORD);
        JsonObject request = Json.createObjectBuilder().add("new_password", "new horse battery").build();
        MatrixClient.Reply challenge = client().post("/_matrix/client/v3/account/password", request, s.accessToken());
        assertEquals(401, challenge.status());
        MatrixClient.Reply ok = client().post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                .add("new_password", "new horse battery")
                .add("auth", Uia.password(challenge.string("session"), s.userId(), PASSWORD)).build(), s.accessToken());
        assertEquals(200, ok.status(), ok.toString());

        assertEquals(200, client().whoami(s.accessToken()).status());
        assertEquals(200, client().refresh(s.refreshToken()).status());
        MatrixClient.Reply gone = client().whoami(other.accessToken());
        assertEquals(401, gone.status());
        assertFalse(gone.softLogout());
        assertEquals(404, client().get("/_matrix/client/v3/devices/" + other.deviceId(), s.accessToken()).status());

        MatrixClient.Reply old = client().login(s.userId(), PASSWORD);
        assertEquals(403, old.status());
        assertEquals("M_FORBIDDEN", old.errcode());
        assertEquals(200, client().login(s.userId(), "new horse battery").status());
    }

    @Test
    @DisplayName("A password change with logout_devices false keeps the other devices")
    void passwordChangeKeepingDevices() {
        Session s = newUser("keeppw");
        Session other = login(s.userId(), PASSWORD);
        String session = client().post("/_matrix/client/v3/account/password",
                Json.createObjectBuilder().add("new_password", "x").build(), s.accessToken()).string("session");
        MatrixClient.Reply ok = client().post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                .add("new_password", "another horse").add("logout_devices", false)
                .add("auth", Uia.password(session, s.userId(), PASSWORD)).build(), s.accessToken());
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(200, client().whoami(other.accessToken()).status());
        MatrixClient.Reply missing = client().post("/_matrix/client/v3/account/password",
                JsonValue.EMPTY_JSON_OBJECT, s.accessToken());
        assertEquals(400, missing.status());
        assertEquals("M_MISSING_PARAM", missing.errcode());
    }

    // ---- Deactivation (account_deactivation.yaml) ----

    @Test
    @DisplayName("SyTest: a deactivated user cannot log in (M_USER_DEACTIVATED), has no tokens, and the ID is never reused")
    void deactivation() {
        Session s = newUser("deact");
        Session other = login(s.userId(), PASSWORD);
        String localpart = s.userId().substring(1, s.userId().indexOf(':'));
        String session = client().post("/_matrix/client/v3/account/deactivate", JsonValue.EMPTY_JSON_OBJECT,
                s.accessToken()).string("session");
        MatrixClient.Reply ok = client().post("/_matrix/client/v3/account/deactivate", Json.createObjectBuilder()
                .add("erase", true).add("auth", Uia.password(session, s.userId(), PASSWORD)).build(), s.accessToken());
        assertEquals(200, ok.status(), ok.toString());
        assertEquals("success", ok.string("id_server_unbind_result"));

        assertEquals(401, client().whoami(s.accessToken()).status());
        assertEquals(401, client().whoami(other.accessToken()).status());
        assertEquals(401, client().refresh(s.refreshToken()).status());
        MatrixClient.Reply login = client().login(s.userId(), PASSWORD);
        assertEquals(403, login.status(), login.toString());
        assertEquals("M_USER_DEACTIVATED", login.errcode());
        MatrixClient.Reply again = client().register(localpart, PASSWORD);
        assertEquals(400, again.status(), again.toString());
        assertEquals("M_USER_IN_USE", again.errcode());
    }

    // ---- Capabilities and login tokens (capabilities.yaml, login_token.yaml) ----

    @Test
    @DisplayName("GET /capabilities advertises m.change_password and m.get_login_token")
    void capabilities() {
        Session s = newUser("caps");
        MatrixClient.Reply caps = client().get("/_matrix/client/v3/capabilities", s.accessToken());
        assertEquals(200, caps.status(), caps.toString());
        JsonObject c = caps.json().getJsonObject("capabilities");
        assertTrue(c.getJsonObject("m.change_password").getBoolean("enabled"));
        assertTrue(c.getJsonObject("m.get_login_token").getBoolean("enabled"));
        assertEquals(401, client().get("/_matrix/client/v3/capabilities").status());
    }

    @Test
    @DisplayName("Complement: a login token from /login/get_token logs in once; a second use is 403 M_FORBIDDEN")
    void loginTokenWorksOnce() {
        MatrixClient.Reply flows = client().get("/_matrix/client/v3/login");
        assertTrue(flows.json().getJsonArray("flows").stream().map(JsonValue::asJsonObject)
                .anyMatch(f -> f.getString("type").equals("m.login.token") && f.getBoolean("get_login_token", false)),
                flows.toString());

        Session s = newUser("ltoken");
        String path = "/_matrix/client/v1/login/get_token";
        MatrixClient.Reply challenge = client().post(path, JsonValue.EMPTY_JSON_OBJECT, s.accessToken());
        assertEquals(401, challenge.status(), challenge.toString());
        assertEquals(List.of(List.of("m.login.password")), Uia.flows(challenge));
        MatrixClient.Reply issued = client().post(path,
                Uia.body(Uia.password(challenge.string("session"), s.userId(), PASSWORD)), s.accessToken());
        assertEquals(200, issued.status(), issued.toString());
        assertEquals(120_000, issued.json().getJsonNumber("expires_in_ms").longValue(), 5_000);
        String token = issued.string("login_token");

        // Always re-prompted: the next call needs UIA again.
        assertEquals(401, client().post(path, JsonValue.EMPTY_JSON_OBJECT, s.accessToken()).status());

        JsonObject tokenLogin = Json.createObjectBuilder().add("type", "m.login.token").add("token", token).build();
        MatrixClient.Reply first = client().post("/_matrix/client/v3/login", tokenLogin);
        assertEquals(200, first.status(), first.toString());
        assertEquals(s.userId(), first.string("user_id"));
        assertNotEquals(s.deviceId(), first.string("device_id"));
        assertEquals(200, client().whoami(first.string("access_token")).status());

        MatrixClient.Reply second = client().post("/_matrix/client/v3/login", tokenLogin);
        assertEquals(403, second.status(), second.toString());
        assertEquals("M_FORBIDDEN", second.errcode());
        MatrixClient.Reply bogus = client().post("/_matrix/client/v3/login",
                Json.createObjectBuilder().add("type", "m.login.token").add("token", "tkl_nope").build());
        assertEquals(403, bogus.status());
        assertEquals("M_FORBIDDEN", bogus.errcode());
    }
}
