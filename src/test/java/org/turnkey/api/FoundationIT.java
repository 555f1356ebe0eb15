package org.turnkey.api;

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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;

/**
 * The foundation over HTTP: API standards and the error model, versions, registration, login,
 * whoami and logout, as a client sees them.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FoundationIT {

    private static final String PASSWORD = "correct horse battery";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.standard();
    }

    @ArquillianResource
    URL base;

    MatrixClient client;

    @BeforeEach
    void client() {
        client = new MatrixClient(base);
    }

    private String registered() {
        String name = unique("user");
        Reply reply = client.register(name, PASSWORD);
        assertEquals(200, reply.status(), reply.toString());
        return name;
    }

    private static void assertError(int status, String errcode, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals(errcode, reply.errcode(), reply.toString());
        assertNotNull(reply.json().getString("error", null), "every error has a message: " + reply);
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.header("Content-Type"));
        assertEquals("*", reply.header("Access-Control-Allow-Origin"), "CORS headers on errors too");
    }

    // ---- spec "API Standards", "Standard error response", "Web Browser Clients" ----

    @Test
    void unknownPathsUnderMatrixAreUnrecognized404() {
        assertError(404, "M_UNRECOGNIZED", client.get("/_matrix/client/v3/no_such_endpoint"));
        assertError(404, "M_UNRECOGNIZED", client.get("/_matrix/client/v3/login/extra/segments"));
    }

    @Test
    void wrongMethodIsUnrecognized405() {
        assertError(405, "M_UNRECOGNIZED", client.method("DELETE", "/_matrix/client/v3/login"));
        assertError(405, "M_UNRECOGNIZED", client.method("PUT", "/_matrix/client/versions"));
    }

    @Test
    void unparseableBodyIsNotJson() {
        assertError(400, "M_NOT_JSON", client.postRaw("/_matrix/client/v3/login",
                "{\"type\":".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertError(400, "M_NOT_JSON", client.postRaw("/_matrix/client/v3/login",
                "[]".getBytes(StandardCharsets.UTF_8), "application/json"));
    }

    @Test
    void nonUtf8BodyIsNotJson() {
        byte[] latin1 = "{\"type\":\"m.login.password\",\"user\":\"j\u00f6rg\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertError(400, "M_NOT_JSON", client.postRaw("/_matrix/client/v3/login", latin1, "application/json"));
    }

    @Test
    void bodyWithoutContentTypeIsStillReadAsJson() {
        Reply reply = client.postRaw("/_matrix/client/v3/login", "{}".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertError(400, "M_MISSING_PARAM", reply);
    }

    @Test
    void wellFormedJsonOfTheWrongShapeIsBadJsonOrMissingParam() {
        assertError(400, "M_MISSING_PARAM", client.post("/_matrix/client/v3/login", JsonValue.EMPTY_JSON_OBJECT));
        assertError(400, "M_BAD_JSON", client.post("/_matrix/client/v3/login",
                Json.createObjectBuilder().add("type", 7).build()));
        assertError(400, "M_BAD_JSON", client.post("/_matrix/client/v3/login",
                Json.createObjectBuilder().add("type", "m.login.password").add("identifier", "alice").build()));
        assertError(400, "M_MISSING_PARAM", client.post("/_matrix/client/v3/refresh", JsonValue.EMPTY_JSON_OBJECT));
    }

    @Test
    void bodiesOverOneMebibyteAreTooLarge() {
        byte[] big = ("{\"type\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertError(413, "M_TOO_LARGE", client.postRaw("/_matrix/client/v3/login", big, "application/json"));
    }

    @Test
    void optionsPreflightIsAnsweredWithCorsWithoutRunningTheEndpoint() {
        Reply preflight = client.method("OPTIONS", "/_matrix/client/v3/logout");
        assertEquals(200, preflight.status());
        assertEquals("*", preflight.header("Access-Control-Allow-Origin"));
        assertTrue(preflight.header("Access-Control-Allow-Methods").contains("POST"));
        assertTrue(preflight.header("Access-Control-Allow-Headers").contains("Authorization"));
        Reply ok = client.get("/_matrix/client/versions");
        assertEquals("*", ok.header("Access-Control-Allow-Origin"));
    }

    // ---- operations ----

    @Test
    void openApiDocumentDescribesEveryMatrixEndpoint() {
        MatrixClient.Reply openapi = client.send(client.request("/openapi", null).header("Accept", "application/json").GET());
        assertEquals(200, openapi.status(), openapi.toString());
        for (String path : new String[]{"/_matrix/client/versions", "/_matrix/client/v3/login", "/_matrix/client/v3/refresh",
                "/_matrix/client/v3/register", "/_matrix/client/v3/register/available", "/_matrix/client/v3/logout",
                "/_matrix/client/v3/logout/all", "/_matrix/client/v3/account/whoami", "/_matrix/client/v3/account/password",
                "/_matrix/client/v3/account/deactivate", "/_matrix/client/v3/devices", "/_matrix/client/v3/devices/{deviceId}",
                "/_matrix/client/v3/delete_devices", "/_matrix/client/v3/capabilities", "/_matrix/client/v1/login/get_token",
                "/_matrix/client/v1/register/m.login.registration_token/validity"}) {
            assertTrue(openapi.raw().contains("\"" + path + "\""), "OpenAPI lacks " + path);
        }
    }

    /** Spec "API Standards": bodies are UTF-8 JSON; each is sent whole, with its length, not chunked. */
    @Test
    void jsonBodiesCarryTheirExactUtf8Length() {
        String name = unique("len");
        Reply registered = client.register(name, PASSWORD, Json.createObjectBuilder()
                .add("device_id", "LENGTH").add("initial_device_display_name", "T\u00e9l\u00e9phone \ud83d\udcf1").build());
        assertEquals(200, registered.status(), registered.toString());
        Reply device = client.get("/_matrix/client/v3/devices/LENGTH", registered.string("access_token"));
        assertEquals("T\u00e9l\u00e9phone \ud83d\udcf1", device.string("display_name"), device.toString());
        for (Reply reply : List.of(device, client.get("/_matrix/client/versions"),
                client.get("/_matrix/client/v3/no_such_endpoint"), client.get("/not_matrix_at_all"),
                client.method("DELETE", "/_matrix/client/v3/login"),
                client.method("OPTIONS", "/_matrix/client/v3/login"))) {
            assertEquals(String.valueOf(reply.raw().getBytes(StandardCharsets.UTF_8).length),
                    reply.header("Content-Length"), reply.toString());
            assertNull(reply.header("Transfer-Encoding"), reply.toString());
        }
    }

    // ---- spec "API Versions" ----

    @Test
    void versionsListsTheImplementedSpecVersions() {
        Reply reply = client.get("/_matrix/client/versions");
        assertEquals(200, reply.status());
        assertTrue(reply.json().getJsonArray("versions").getValuesAs(jakarta.json.JsonString.class)
                .stream().anyMatch(v -> v.getString().equals("v1.3")), "refresh tokens arrived in v1.3");
        // Spec "OAuth 2.0 API": added in v1.15; ruma-based clients look for it before discovery.
        assertTrue(reply.json().getJsonArray("versions").getValuesAs(jakarta.json.JsonString.class)
                .stream().anyMatch(v -> v.getString().equals("v1.15")), "the OAuth 2.0 API arrived in v1.15");
    }

    // ---- spec "Account registration", registration.yaml ----

    @Test
    void registrationStartsUserInteractiveAuthWithDummyFlow() {
        Reply challenge = client.post("/_matrix/client/v3/register",
                Json.createObjectBuilder().add("username", unique("u")).add("password", PASSWORD).build());
        assertEquals(401, challenge.status());
        assertEquals("m.login.dummy", challenge.json().getJsonArray("flows").getJsonObject(0)
                .getJsonArray("stages").getString(0));
        assertNotNull(challenge.json().getJsonObject("params"));
        assertFalse(challenge.string("session").isEmpty());
        assertFalse(challenge.json().containsKey("errcode"), "the first challenge is not an error");
    }

    @Test
    void registrationReturnsUserIdAccessTokenAndDevice() {
        String name = unique("Reg");
        Reply reply = client.register(name, PASSWORD, Json.createObjectBuilder()
                .add("device_id", "MYPHONE").add("initial_device_display_name", "Phone").build());
        assertEquals(200, reply.status(), reply.toString());
        assertEquals("@" + name.toLowerCase() + ":localhost", reply.string("user_id"), "user names are lower-cased");
        assertEquals("MYPHONE", reply.string("device_id"));
        assertEquals(reply.string("user_id"), client.whoami(reply.string("access_token")).string("user_id"));
    }

    @Test
    void invalidUsernamesAreRejected() {
        for (String bad : new String[]{"has space", "colon:name", "emoji\u263a"}) {
            assertError(400, "M_INVALID_USERNAME", client.register(bad, PASSWORD));
        }
        assertError(400, "M_INVALID_USERNAME", client.get("/_matrix/client/v3/register/available?username=a%20b"));
    }

    @Test
    void takenNameIsUserInUseBeforeAnyAuthentication() {
        String name = registered();
        Reply reply = client.post("/_matrix/client/v3/register",
                Json.createObjectBuilder().add("username", name.toUpperCase()).add("password", PASSWORD).build());
        assertError(400, "M_USER_IN_USE", reply);
        assertError(400, "M_USER_IN_USE", client.get("/_matrix/client/v3/register/available?username=" + name));
        assertTrue(client.get("/_matrix/client/v3/register/available?username=" + unique("free"))
                .json().getBoolean("available"));
    }

    @Test
    void inhibitLoginReturnsOnlyTheUserId() {
        Reply reply = client.register(unique("inh"), PASSWORD,
                Json.createObjectBuilder().add("inhibit_login", true).add("refresh_token", true).build());
        assertEquals(200, reply.status(), reply.toString());
        assertEquals(List.of("user_id"), new ArrayList<>(reply.json().keySet()));
    }

    @Test
    void guestRegistrationIsForbidden() {
        assertError(403, "M_FORBIDDEN", client.post("/_matrix/client/v3/register?kind=guest", JsonValue.EMPTY_JSON_OBJECT));
    }

    @Test
    void tenConcurrentRegistrationsOfOneNameYieldExactlyOneAccount() throws Exception {
        String name = unique("race");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Reply>> attempts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                attempts.add(() -> client.post("/_matrix/client/v3/register", Json.createObjectBuilder()
                        .add("username", name).add("password", PASSWORD)
                        .add("auth", Json.createObjectBuilder().add("type", "m.login.dummy")).build()));
            }
            int created = 0;
            for (Future<Reply> result : pool.invokeAll(attempts)) {
                Reply reply = result.get();
                if (reply.status() == 200) {
                    created++;
                } else {
                    assertError(400, "M_USER_IN_USE", reply);
                }
            }
            assertEquals(1, created);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- spec "Login", login.yaml ----

    @Test
    void loginFlowsOfferPassword() {
        Reply flows = client.get("/_matrix/client/v3/login");
        assertEquals(200, flows.status());
        assertTrue(flows.json().getJsonArray("flows").getValuesAs(JsonObject.class).stream()
                .anyMatch(f -> f.getString("type").equals("m.login.password")));
    }

    @Test
    void loginAcceptsLocalpartOrFullUserIdInAnyCase() {
        String name = registered();
        String userId = "@" + name + ":localhost";
        for (String identifier : new String[]{name, name.toUpperCase(), "@" + name.toUpperCase() + ":localhost", userId}) {
            Reply login = client.login(identifier, PASSWORD);
            assertEquals(200, login.status(), identifier + " -> " + login);
            assertEquals(userId, login.string("user_id"));
            assertFalse(login.string("device_id").isEmpty());
        }
    }

    @Test
    void deprecatedTopLevelUserFieldStillLogsIn() {
        String name = registered();
        Reply login = client.post("/_matrix/client/v3/login", Json.createObjectBuilder()
                .add("type", "m.login.password").add("user", name).add("password", PASSWORD).build());
        assertEquals(200, login.status(), login.toString());
    }

    @Test
    void clientChosenDeviceIdIsKeptAndOverlongOneRejected() {
        String name = registered();
        Reply login = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "LAPTOP")
                .add("initial_device_display_name", "My laptop").build());
        assertEquals("LAPTOP", login.string("device_id"));
        assertError(400, "M_INVALID_PARAM", client.login(name, PASSWORD,
                Json.createObjectBuilder().add("device_id", "D".repeat(256)).build()));
    }

    @Test
    void unknownUserAndWrongPasswordAreTheSameForbidden() {
        String name = registered();
        Reply wrong = client.login(name, "wrong password");
        Reply unknown = client.login(unique("nobody"), PASSWORD);
        assertError(403, "M_FORBIDDEN", wrong);
        assertError(403, "M_FORBIDDEN", unknown);
        assertEquals(wrong.json().getString("error"), unknown.json().getString("error"));
        assertError(403, "M_FORBIDDEN", client.login("@" + name + ":other.server", PASSWORD));
    }

    @Test
    void unsupportedLoginTypeIsRejected() {
        Reply reply = client.post("/_matrix/client/v3/login",
                Json.createObjectBuilder().add("type", "m.login.carrier_pigeon").build());
        assertError(400, "M_UNKNOWN", reply);
    }

    @Test
    void nonBooleanRefreshTokenFlagIsBadJson() {
        String name = registered();
        assertError(400, "M_BAD_JSON", client.login(name, PASSWORD,
                Json.createObjectBuilder().add("refresh_token", "yes").build()));
    }

    // ---- spec "Using access tokens", whoami.yaml, logout.yaml ----

    @Test
    void whoamiNamesUserAndDeviceAndIsNeverGuest() {
        String name = registered();
        Reply login = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "WHO").build());
        Reply who = client.whoami(login.string("access_token"));
        assertEquals(200, who.status());
        assertEquals("@" + name + ":localhost", who.string("user_id"));
        assertEquals("WHO", who.string("device_id"));
        assertFalse(who.json().getBoolean("is_guest"));
    }

    @Test
    void accessTokenIsAcceptedFromTheDeprecatedQueryParameter() {
        String token = client.login(registered(), PASSWORD).string("access_token");
        assertEquals(200, client.get("/_matrix/client/v3/account/whoami?access_token=" + token).status());
    }

    @Test
    void missingTokenAndUnknownTokenAreDistinct401s() {
        assertError(401, "M_MISSING_TOKEN", client.whoami(null));
        Reply unknown = client.whoami("tka_never_issued");
        assertError(401, "M_UNKNOWN_TOKEN", unknown);
        assertFalse(unknown.softLogout(), "a token that never existed is not a soft logout");
    }

    @Test
    void logoutDeletesTheTokenAndItsDeviceOnly() {
        String name = registered();
        String phone = client.login(name, PASSWORD).string("access_token");
        String laptop = client.login(name, PASSWORD).string("access_token");
        assertEquals(200, client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT, phone).status());
        Reply after = client.whoami(phone);
        assertError(401, "M_UNKNOWN_TOKEN", after);
        assertFalse(after.softLogout(), "the device is gone, so the session is really over");
        assertEquals(200, client.whoami(laptop).status());
    }

    @Test
    void logoutAllDeletesEveryTokenOfTheUserOnly() {
        String name = registered();
        String other = registered();
        String a = client.login(name, PASSWORD).string("access_token");
        String b = client.login(name, PASSWORD, MatrixClient.withRefresh()).string("access_token");
        String bystander = client.login(other, PASSWORD).string("access_token");
        assertEquals(200, client.post("/_matrix/client/v3/logout/all", JsonValue.EMPTY_JSON_OBJECT, a).status());
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(a));
        assertError(401, "M_UNKNOWN_TOKEN", client.whoami(b));
        assertEquals(200, client.whoami(bystander).status());
    }

    @Test
    void tokensAreOpaqueAndDistinctPerLogin() {
        String name = registered();
        String first = client.login(name, PASSWORD).string("access_token");
        String second = client.login(name, PASSWORD).string("access_token");
        assertNotEquals(first, second);
        assertFalse(first.contains(name));
    }
}
