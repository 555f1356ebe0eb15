package org.turnkey.device;

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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device API over HTTP (spec "Device management", {@code device_management.yaml}): listing,
 * renaming, last seen, and deletion behind user-interactive auth bound to the devices named.
 * Includes the SyTest / Complement cases named in the test names.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DeviceManagementIT {

    private static final String PASSWORD = "correct horse battery";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("devices", Map.of("turnkey.registration.enabled", "true",
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

    private static String enc(String deviceId) {
        return java.net.URLEncoder.encode(deviceId, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- UIA shape (spec "User-interactive API in the REST API") ----

    @Test
    @DisplayName("Complement: DELETE /devices/{id} with no body gives 401 with session, flows and params")
    void deleteDeviceWithoutBodyIsAChallenge() {
        Session s = newUser("nobody");
        MatrixClient.Reply reply = client().delete("/_matrix/client/v3/devices/" + s.deviceId(), null, s.accessToken());
        assertEquals(401, reply.status(), reply.toString());
        assertNotNull(reply.string("session"));
        assertEquals(List.of(List.of("m.login.password")), Uia.flows(reply));
        assertEquals(JsonValue.ValueType.OBJECT, reply.json().get("params").getValueType());
        assertFalse(reply.json().containsKey("errcode"), "the first challenge has no errcode");
        assertFalse(reply.json().containsKey("completed"));
        assertEquals(200, client().whoami(s.accessToken()).status(), "device untouched");
    }

    @Test
    @DisplayName("SyTest: a wrong password gives 401 M_FORBIDDEN with flows and session; the right one then deletes the device")
    void wrongPasswordThenRightPassword() {
        Session s = newUser("wrongpw");
        Session other = login(s.userId(), PASSWORD);
        String path = "/_matrix/client/v3/devices/" + other.deviceId();
        String session = client().delete(path, JsonValue.EMPTY_JSON_OBJECT, s.accessToken()).string("session");

        MatrixClient.Reply wrong = client().delete(path, Uia.body(Uia.password(session, s.userId(), "nope")), s.accessToken());
        assertEquals(401, wrong.status(), wrong.toString());
        assertEquals("M_FORBIDDEN", wrong.errcode());
        assertNotNull(wrong.json().getString("error"));
        assertEquals(session, wrong.string("session"));
        assertEquals(List.of(List.of("m.login.password")), Uia.flows(wrong));
        assertTrue(wrong.json().containsKey("params"));
        assertEquals(200, client().whoami(other.accessToken()).status());

        MatrixClient.Reply ok = client().delete(path, Uia.body(Uia.password(session, s.userId(), PASSWORD)), s.accessToken());
        assertEquals(200, ok.status(), ok.toString());

        // The deleted device's tokens are gone (not soft logout), the caller's are not.
        MatrixClient.Reply gone = client().whoami(other.accessToken());
        assertEquals(401, gone.status());
        assertEquals("M_UNKNOWN_TOKEN", gone.errcode());
        assertFalse(gone.softLogout());
        assertEquals(401, client().refresh(other.refreshToken()).status());
        assertEquals(404, client().get(path, s.accessToken()).status());
        assertEquals(200, client().whoami(s.accessToken()).status());

        // The completed session is gone: it cannot be replayed.
        MatrixClient.Reply replay = client().delete(path, Uia.body(Uia.password(session, s.userId(), PASSWORD)), s.accessToken());
        assertEquals(400, replay.status(), replay.toString());
    }

    @Test
    @DisplayName("SyTest: another user's correct credentials give 403 and the device is untouched")
    void anotherUsersCredentialsAreForbidden() {
        Session alice = newUser("alice");
        Session mallory = newUser("mallory");
        String path = "/_matrix/client/v3/devices/" + alice.deviceId();
        String session = client().delete(path, null, alice.accessToken()).string("session");
        MatrixClient.Reply reply = client().delete(path,
                Uia.body(Uia.password(session, mallory.userId(), PASSWORD)), alice.accessToken());
        assertEquals(403, reply.status(), reply.toString());
        assertEquals("M_FORBIDDEN", reply.errcode());
        assertEquals(200, client().whoami(alice.accessToken()).status());
        assertEquals(200, client().get(path, alice.accessToken()).status());
    }

    @Test
    @DisplayName("A UIA session started to delete device A cannot authorise deleting device B")
    void sessionIsBoundToTheDevice() {
        Session s = newUser("bound");
        Session a = login(s.userId(), PASSWORD);
        Session b = login(s.userId(), PASSWORD);
        String session = client().delete("/_matrix/client/v3/devices/" + a.deviceId(), null, s.accessToken()).string("session");
        MatrixClient.Reply reply = client().delete("/_matrix/client/v3/devices/" + b.deviceId(),
                Uia.body(Uia.password(session, s.userId(), PASSWORD)), s.accessToken());
        assertEquals(403, reply.status(), reply.toString());
        assertEquals(200, client().whoami(b.accessToken()).status());
        assertEquals(200, client().whoami(a.accessToken()).status());

        // Nor another endpoint, nor another set in POST /delete_devices.
        MatrixClient.Reply password = client().post("/_matrix/client/v3/account/password", Json.createObjectBuilder()
                .add("new_password", "x-new-password").add("auth", Uia.password(session, s.userId(), PASSWORD)).build(),
                s.accessToken());
        assertEquals(403, password.status(), password.toString());
        String bulk = client().post("/_matrix/client/v3/delete_devices", Json.createObjectBuilder()
                .add("devices", Json.createArrayBuilder().add(a.deviceId())).build(), s.accessToken()).string("session");
        MatrixClient.Reply other = client().post("/_matrix/client/v3/delete_devices", Json.createObjectBuilder()
                .add("devices", Json.createArrayBuilder().add(b.deviceId()))
                .add("auth", Uia.password(bulk, s.userId(), PASSWORD)).build(), s.accessToken());
        assertEquals(403, other.status(), other.toString());
        assertEquals(200, client().whoami(b.accessToken()).status());
    }

    @Test
    @DisplayName("Unknown stage types and unknown sessions are refused in the spec's shapes")
    void unknownStageAndSession() {
        Session s = newUser("stage");
        String path = "/_matrix/client/v3/devices/" + s.deviceId();
        String session = client().delete(path, null, s.accessToken()).string("session");
        MatrixClient.Reply dummy = client().delete(path, Uia.body(Json.createObjectBuilder()
                .add("type", "m.login.dummy").add("session", session).build()), s.accessToken());
        assertEquals(401, dummy.status(), dummy.toString());
        assertEquals("M_UNRECOGNIZED", dummy.errcode());
        assertEquals(session, dummy.string("session"));
        MatrixClient.Reply unknown = client().delete(path, Uia.body(Uia.password("no-such-session", s.userId(), PASSWORD)),
                s.accessToken());
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals(200, client().whoami(s.accessToken()).status());
    }

    // ---- Devices (device_management.yaml) ----

    @Test
    @DisplayName("Each device's own request shows in its last_seen_ts, written together in one batch (device_management.yaml)")
    void everyDeviceSeenIsRecorded() throws InterruptedException {
        Session first = newUser("seen");
        List<Session> others = List.of(login(first.userId(), PASSWORD), login(first.userId(), PASSWORD),
                login(first.userId(), PASSWORD));
        // Later than any timestamp the logins themselves could have written.
        Thread.sleep(5);
        long before = System.currentTimeMillis();
        for (Session s : others) {
            assertEquals(200, client().whoami(s.accessToken()).status());
        }
        MatrixClient.Reply list = client().get("/_matrix/client/v3/devices", first.accessToken());
        assertEquals(200, list.status(), list.toString());
        Map<String, Long> seen = new java.util.HashMap<>();
        list.json().getJsonArray("devices").stream().map(JsonValue::asJsonObject)
                .forEach(d -> seen.put(d.getString("device_id"), d.getJsonNumber("last_seen_ts").longValue()));
        assertEquals(4, seen.size(), seen.toString());
        for (Session s : others) {
            assertTrue(seen.get(s.deviceId()) >= before, s.deviceId() + " not recorded: " + seen);
        }
    }

    @Test
    @DisplayName("GET /devices lists the user's devices with last_seen_ts and last_seen_ip; GET/PUT one; unknown is 404")
    void listGetRename() {
        Session s = newUser("devices");
        MatrixClient.Reply second = client().login(s.userId(), PASSWORD, Json.createObjectBuilder()
                .add("initial_device_display_name", "phone").build());
        long before = System.currentTimeMillis();
        MatrixClient.Reply list = client().get("/_matrix/client/v3/devices", s.accessToken());
        assertEquals(200, list.status(), list.toString());
        var devices = list.json().getJsonArray("devices");
        assertEquals(2, devices.size());
        JsonObject mine = devices.stream().map(JsonValue::asJsonObject)
                .filter(d -> d.getString("device_id").equals(s.deviceId())).findFirst().orElseThrow();
        assertEquals("127.0.0.1", mine.getString("last_seen_ip"));
        assertTrue(mine.getJsonNumber("last_seen_ts").longValue() >= before - 60_000);

        String path = "/_matrix/client/v3/devices/" + second.string("device_id");
        MatrixClient.Reply one = client().get(path, s.accessToken());
        assertEquals(200, one.status(), one.toString());
        assertEquals("phone", one.string("display_name"));

        assertEquals(200, client().put(path, Json.createObjectBuilder().add("display_name", "tablet").build(),
                s.accessToken()).status());
        assertEquals("tablet", client().get(path, s.accessToken()).string("display_name"));
        assertEquals(200, client().put(path, JsonValue.EMPTY_JSON_OBJECT, s.accessToken()).status());
        assertEquals("tablet", client().get(path, s.accessToken()).string("display_name"));

        MatrixClient.Reply missing = client().get("/_matrix/client/v3/devices/NOSUCHDEVICE", s.accessToken());
        assertEquals(404, missing.status());
        assertEquals("M_NOT_FOUND", missing.errcode());
        MatrixClient.Reply missingPut = client().put("/_matrix/client/v3/devices/NOSUCHDEVICE",
                Json.createObjectBuilder().add("display_name", "x").build(), s.accessToken());
        assertEquals(404, missingPut.status());
        assertEquals("M_NOT_FOUND", missingPut.errcode());

        // Another user's device is as unknown as a missing one.
        Session other = newUser("otherdev");
        assertEquals(404, client().get("/_matrix/client/v3/devices/" + enc(s.deviceId()), other.accessToken()).status());
        assertEquals(401, client().get("/_matrix/client/v3/devices").status());
    }

    @Test
    @DisplayName("A string with U+0000 (which PostgreSQL cannot store or compare) is 400 M_INVALID_PARAM wherever a client sends it")
    void nulCharacterInAStringIsAClientError() {
        Session s = newUser("nul");
        String path = "/_matrix/client/v3/devices/" + enc(s.deviceId());
        MatrixClient.Reply rename = client().put(path, Json.createObjectBuilder().add("display_name", "a\u0000b").build(),
                s.accessToken());
        assertEquals(400, rename.status(), rename.toString());
        assertEquals("M_INVALID_PARAM", rename.errcode());
        assertEquals(200, client().get(path, s.accessToken()).status());

        MatrixClient.Reply deviceId = client().login(s.userId(), PASSWORD, Json.createObjectBuilder()
                .add("device_id", "\u0000").build());
        assertEquals(400, deviceId.status(), deviceId.toString());
        assertEquals("M_INVALID_PARAM", deviceId.errcode());
        MatrixClient.Reply user = client().login("nul\u0000", PASSWORD);
        assertEquals(400, user.status(), user.toString());
        MatrixClient.Reply register = client().register("nul\u0000x", PASSWORD);
        assertEquals(400, register.status(), register.toString());
    }

    @Test
    @DisplayName("POST /delete_devices deletes several devices after UIA and invalidates their tokens")
    void bulkDelete() {
        Session s = newUser("bulk");
        Session a = login(s.userId(), PASSWORD);
        Session b = login(s.userId(), PASSWORD);
        JsonObject request = Json.createObjectBuilder()
                .add("devices", Json.createArrayBuilder().add(a.deviceId()).add(b.deviceId())).build();
        MatrixClient.Reply challenge = client().post("/_matrix/client/v3/delete_devices", request, s.accessToken());
        assertEquals(401, challenge.status());
        MatrixClient.Reply ok = client().post("/_matrix/client/v3/delete_devices", Json.createObjectBuilder()
                .add("devices", Json.createArrayBuilder().add(b.deviceId()).add(a.deviceId()))
                .add("auth", Uia.password(challenge.string("session"), s.userId(), PASSWORD)).build(), s.accessToken());
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(401, client().whoami(a.accessToken()).status());
        assertEquals(401, client().whoami(b.accessToken()).status());
        assertEquals(1, client().get("/_matrix/client/v3/devices", s.accessToken()).json().getJsonArray("devices").size());
        MatrixClient.Reply noList = client().post("/_matrix/client/v3/delete_devices", JsonValue.EMPTY_JSON_OBJECT, s.accessToken());
        assertEquals(400, noList.status());
        assertEquals("M_MISSING_PARAM", noList.errcode());
    }
}
