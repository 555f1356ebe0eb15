package org.turnkey.admin;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
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

import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.MatrixAsserts.assertError;

/**
 * What operators' tools call: Synapse's v1 admin endpoints for one account (whois, reset_password,
 * users/{userId}/login, deactivate, server_version), the {@code /_matrix/client/r0/} paths of
 * the auth endpoints, and the real synadm (Debian's package) driving all of it.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AdminToolsIT {

    private static final String SECRET = "it-shared-secret-tools-0123";
    private static final String PASSWORD = "correct horse battery";
    private static final String V1 = "/_synapse/admin/v1";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("admintools", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.registration.shared-secret", SECRET));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    String adminName;
    String admin;

    @BeforeEach
    void adminSession() {
        client = new MatrixClient(base);
        adminName = unique("admin");
        String nonce = client.get(V1 + "/register").string("nonce");
        Reply reply = client.post(V1 + "/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", adminName).add("password", PASSWORD).add("admin", true)
                .add("mac", SharedSecretMac.compute(SECRET, nonce, adminName, PASSWORD, true)).build());
        assertEquals(200, reply.status(), reply.toString());
        admin = reply.string("access_token");
    }

    private String registeredUser() {
        String name = unique("user");
        assertEquals(200, client.register(name, PASSWORD).status());
        return name;
    }

    private static String id(String localpart) {
        return "@" + localpart + ":localhost";
    }

    private Reply login(String localpart, String password, String deviceId) {
        return client.login(localpart, password, Json.createObjectBuilder().add("device_id", deviceId).build());
    }

    @Test
    void whoisListsEachDeviceWithTheAddressTimeAndUserAgentOfItsLastRequest() {
        String user = registeredUser();
        String token = login(user, PASSWORD, "PHONE").string("access_token");
        Reply seen = client.send(client.request("/_matrix/client/v3/account/whoami", token)
                .header("User-Agent", "Element/1.11.85 (TurnkeyIT)").GET());
        assertEquals(200, seen.status());

        Reply whois = client.get(V1 + "/whois/" + id(user), admin);

        assertEquals(200, whois.status(), whois.toString());
        assertEquals(id(user), whois.string("user_id"));
        JsonObject connection = whois.json().getJsonObject("devices").getJsonObject("PHONE")
                .getJsonArray("sessions").getJsonObject(0).getJsonArray("connections").getJsonObject(0);
        assertEquals("127.0.0.1", connection.getString("ip"));
        assertEquals("Element/1.11.85 (TurnkeyIT)", connection.getString("user_agent"));
        assertTrue(connection.getJsonNumber("last_seen").longValue() > System.currentTimeMillis() - 60_000);
        assertEquals(2, whois.json().getJsonObject("devices").size(), "the registration's device too: " + whois);
    }

    @Test
    void everyV1AccountEndpointRefusesNonAdminsBeforeLookingTheAccountUp() {
        String user = registeredUser();
        String token = login(user, PASSWORD, "NOTADMIN").string("access_token");
        JsonObject password = Json.createObjectBuilder().add("new_password", "x").build();
        for (Reply reply : List.of(
                client.get(V1 + "/whois/" + id(user), token),
                client.get(V1 + "/whois/@nobody:localhost", token),
                client.post(V1 + "/reset_password/" + id(user), password, token),
                client.post(V1 + "/users/" + id(user) + "/login", JsonValue.EMPTY_JSON_OBJECT, token),
                client.post(V1 + "/deactivate/" + id(user), JsonValue.EMPTY_JSON_OBJECT, token),
                client.get(V1 + "/server_version", token))) {
            assertError(403, "M_FORBIDDEN", reply);
        }
        assertError(404, "M_NOT_FOUND", client.get(V1 + "/whois/@nobody:localhost", admin));
    }

    @Test
    void resetPasswordSetsTheNewPasswordAndLogsOutEveryDeviceByDefault() {
        String user = registeredUser();
        String old = login(user, PASSWORD, "OLD").string("access_token");

        Reply reset = client.post(V1 + "/reset_password/" + id(user),
                Json.createObjectBuilder().add("new_password", "a new password").build(), admin);

        assertEquals(200, reset.status(), reset.toString());
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, reset.json());
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(old));
        assertError(403, "M_FORBIDDEN", login(user, PASSWORD, "AGAIN"));
        assertEquals(200, login(user, "a new password", "AGAIN").status());
    }

    @Test
    void resetPasswordWithLogoutDevicesFalseKeepsTheSessions() {
        String user = registeredUser();
        String kept = login(user, PASSWORD, "KEPT").string("access_token");
        Reply reset = client.post(V1 + "/reset_password/" + id(user), Json.createObjectBuilder()
                .add("new_password", "another password").add("logout_devices", false).build(), admin);
        assertEquals(200, reset.status(), reset.toString());
        assertEquals(200, client.whoami(kept).status());
        assertError(400, "M_MISSING_PARAM", client.post(V1 + "/reset_password/" + id(user),
                JsonValue.EMPTY_JSON_OBJECT, admin));
    }

    @Test
    void loginAsIssuesATokenThatExpiresOnADeviceTheUserDoesNotSee() throws InterruptedException {
        String user = registeredUser();
        String own = login(user, PASSWORD, "OWN").string("access_token");
        long validUntil = System.currentTimeMillis() + 4_000;

        Reply issued = client.post(V1 + "/users/" + id(user) + "/login",
                Json.createObjectBuilder().add("valid_until_ms", validUntil).build(), admin);

        assertEquals(200, issued.status(), issued.toString());
        String token = issued.string("access_token");
        Reply who = client.whoami(token);
        assertEquals(id(user), who.string("user_id"));
        String hidden = who.string("device_id");
        String listed = client.get("/_matrix/client/v3/devices", own).raw();
        assertFalse(listed.contains(hidden), "the user's device list does not show it: " + listed);
        assertError(404, "M_NOT_FOUND", client.get("/_matrix/client/v3/devices/" + hidden, own));
        assertFalse(client.get("/_synapse/admin/v2/users/" + id(user) + "/devices", admin).raw().contains(hidden));
        assertTrue(client.get(V1 + "/whois/" + id(user), admin).json().getJsonObject("devices").containsKey(hidden),
                "whois shows it to admins");

        TimeUnit.MILLISECONDS.sleep(Math.max(0, validUntil - System.currentTimeMillis()) + 300);
        Reply expired = client.whoami(token);
        assertError(401, "M_UNKNOWN_TOKEN", expired);
        assertTrue(expired.softLogout(), expired.toString());
    }

    @Test
    void loginAsIsNeverIssuedForAnAdminAccountOneselfOrAPastExpiry() {
        String otherAdmin = unique("admin2");
        String nonce = client.get(V1 + "/register").string("nonce");
        assertEquals(200, client.post(V1 + "/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", otherAdmin).add("password", PASSWORD).add("admin", true)
                .add("mac", SharedSecretMac.compute(SECRET, nonce, otherAdmin, PASSWORD, true)).build()).status());
        assertError(403, "M_FORBIDDEN", client.post(V1 + "/users/" + id(otherAdmin) + "/login",
                JsonValue.EMPTY_JSON_OBJECT, admin));
        assertError(400, "M_INVALID_PARAM", client.post(V1 + "/users/" + id(adminName) + "/login",
                JsonValue.EMPTY_JSON_OBJECT, admin));
        assertError(400, "M_INVALID_PARAM", client.post(V1 + "/users/" + id(registeredUser()) + "/login",
                Json.createObjectBuilder().add("valid_until_ms", 1000).build(), admin));
    }

    @Test
    void deactivateEndsEverySessionAndTheAccountCannotLogInAgain() {
        String user = registeredUser();
        String token = login(user, PASSWORD, "GONE").string("access_token");

        Reply deactivated = client.post(V1 + "/deactivate/" + id(user),
                Json.createObjectBuilder().add("erase", true).build(), admin);

        assertEquals(200, deactivated.status(), deactivated.toString());
        assertEquals("success", deactivated.string("id_server_unbind_result"));
        Reply refused = client.whoami(token);
        assertError(401, "M_UNKNOWN_TOKEN", refused);
        assertFalse(refused.softLogout(), "the session is really gone");
        assertNotEquals(200, login(user, PASSWORD, "BACK").status());
        assertEquals(200, client.post(V1 + "/deactivate/" + id(user), JsonValue.EMPTY_JSON_OBJECT, admin).status(),
                "deactivating again succeeds, as in Synapse");
        assertError(400, "M_INVALID_PARAM", client.post(V1 + "/deactivate/" + id(adminName),
                JsonValue.EMPTY_JSON_OBJECT, admin));
    }

    @Test
    void serverVersionNamesTurnkey() {
        Reply version = client.get(V1 + "/server_version", admin);
        assertEquals(200, version.status(), version.toString());
        assertTrue(version.string("server_version").startsWith("Turnkey "), version.toString());
    }

    @Test
    void roomShapedAdminEndpointsAreUnrecognizedBecauseRoomsBelongToTheHomeserver() {
        String user = registeredUser();
        for (String path : List.of(V1 + "/users/" + id(user) + "/joined_rooms", V1 + "/rooms",
                "/_synapse/admin/v2/rooms/!r:localhost", V1 + "/users/" + id(user) + "/media")) {
            assertError(404, "M_UNRECOGNIZED", client.get(path, admin));
        }
    }

    /** Synapse still serves these endpoints under r0 (spec r0.6.1, the last r0 release), so older tools call them there. */
    @Test
    void r0PathsOfTheAuthEndpointsAnswerAsTheirV3Twins() {
        String user = registeredUser();
        // synadm's "matrix login" body, with the deprecated top-level "user".
        Reply login = client.post("/_matrix/client/r0/login", Json.createObjectBuilder()
                .add("type", "m.login.password").add("user", id(user)).add("password", PASSWORD)
                .add("initial_device_display_name", "synadm matrix login command")
                .add("refresh_token", true).build());
        assertEquals(200, login.status(), login.toString());
        String token = login.string("access_token");
        assertEquals(id(user), client.get("/_matrix/client/r0/account/whoami", token).string("user_id"));
        assertEquals(200, client.get("/_matrix/client/r0/capabilities", token).status());
        assertTrue(client.get("/_matrix/client/r0/devices", token).raw().contains(login.string("device_id")));
        assertEquals(200, client.get("/_matrix/client/r0/devices/" + login.string("device_id"), token).status());
        Reply refreshed = client.post("/_matrix/client/r0/refresh",
                Json.createObjectBuilder().add("refresh_token", login.string("refresh_token")).build());
        assertEquals(200, refreshed.status(), refreshed.toString());
        assertEquals(200, client.get("/_matrix/client/r0/register/available?username=" + unique("free")).status());
        assertEquals(200, client.post("/_matrix/client/r0/logout", JsonValue.EMPTY_JSON_OBJECT,
                refreshed.string("access_token")).status());
        assertError(401, "M_UNKNOWN_TOKEN", client.get("/_matrix/client/r0/account/whoami",
                refreshed.string("access_token")));
        for (String other : List.of("/_matrix/client/r0/sync", "/_matrix/client/r0/profile/" + id(user),
                "/_matrix/client/r0/login/get_token", "/_matrix/client/r0/versions")) {
            assertError(404, "M_UNRECOGNIZED", client.get(other, token));
        }
    }

    /**
     * The real synadm against Turnkey, configured as an operator would, in batch mode with JSON
     * output. Needs Debian's synadm ({@code .ci/run} installs it).
     */
    @Test
    void synadmManagesAccountsThroughTurnkey() throws Exception {
        String user = registeredUser();
        Path home = Files.createTempDirectory("synadm");
        Path config = home.resolve("synadm.yaml");
        Files.writeString(config, String.join("\n",
                "user: " + adminName,
                "token: " + admin,
                "base_url: " + client.base(),
                "admin_path: /_synapse/admin",
                "matrix_path: /_matrix",
                "timeout: 30",
                "server_discovery: well-known",
                "homeserver: localhost",
                "format: json",
                "ssl_verify: true", ""));

        assertTrue(synadm(home, config, "version").contains("Turnkey"));
        assertTrue(synadm(home, config, "user", "list").contains(id(user)));
        assertTrue(synadm(home, config, "user", "details", user).contains(id(user)));
        login(user, PASSWORD, "SYNADM");
        assertTrue(synadm(home, config, "user", "whois", user).contains("SYNADM"));

        synadm(home, config, "user", "password", user, "-p", "set by synadm");
        assertEquals(200, login(user, "set by synadm", "NEWPW").status(), "the reset password works");

        JsonObject issued = json(synadm(home, config, "user", "login", user, "--expire-ts",
                Long.toString(System.currentTimeMillis() + 60_000)));
        assertEquals(id(user), client.whoami(issued.getString("access_token")).string("user_id"),
                "the admin-issued token works");

        JsonObject matrixLogin = json(synadm(home, config, "matrix", "login", user, "-p", "set by synadm"));
        assertEquals(200, client.whoami(matrixLogin.getString("access_token")).status());

        synadm(home, config, "user", "modify", user, "-P", "modified by synadm");
        assertEquals(200, login(user, "modified by synadm", "MOD").status());

        String token = "synadm-" + System.nanoTime();
        assertTrue(synadm(home, config, "regtok", "new", "-n", token, "-u", "3").contains(token));
        assertTrue(synadm(home, config, "regtok", "details", token).contains("\"uses_allowed\": 3"));
        synadm(home, config, "regtok", "update", token, "-u", "5");
        assertTrue(synadm(home, config, "regtok", "details", token).contains("\"uses_allowed\": 5"));
        assertTrue(synadm(home, config, "regtok", "list").contains("token_sha256"));
        synadm(home, config, "regtok", "delete", token);
        assertEquals(404, client.get(V1 + "/registration_tokens/" + token, admin).status());

        synadm(home, config, "user", "deactivate", user);
        assertNotEquals(200, login(user, "modified by synadm", "AFTER").status(), "the deactivated user cannot log in");
        assertEquals(401, client.whoami(issued.getString("access_token")).status());
    }

    private static JsonObject json(String output) {
        String text = output.substring(output.indexOf('{'));
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static String synadm(Path home, Path config, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("synadm", "--batch", "-o", "json", "-c", config.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "synadm finished");
        assertEquals(0, process.exitValue(), String.join(" ", args) + ":\n" + output);
        assertFalse(output.contains("Traceback"), output);
        return output;
    }
}
