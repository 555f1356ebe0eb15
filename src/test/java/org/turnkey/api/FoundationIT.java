package org.turnkey.api;

import jakarta.json.Json;
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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.MatrixAsserts.assertError;

/**
 * The API's conventions over HTTP, as a client sees them: the error model, unknown paths and
 * methods, JSON bodies, CORS, the OpenAPI document and {@code /versions}.
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
}
