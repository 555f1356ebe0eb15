package org.turnkey.api;

import jakarta.json.JsonObject;
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
import org.turnkey.support.RawHttp;
import org.turnkey.support.RawHttp.Answer;
import org.turnkey.uia.Uia;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;

/**
 * The HTTP layer as Payara Micro runs it with {@code server-config/payara-micro.preboot} (the run
 * command's settings, see docs/http.md): request bodies on DELETE, JSON that must not become a
 * 500, the requests the container refuses before Turnkey sees them, and connections that never
 * complete a request. Bytes are sent over plain sockets, exactly as written here.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HttpLayerIT {

    private static final String PASSWORD = "correct horse battery";
    private static final int TIMEOUT = 60_000;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.standard();
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    RawHttp raw;

    @BeforeEach
    void clients() {
        client = new MatrixClient(base);
        raw = new RawHttp(base);
    }

    private record Session(String userId, String accessToken, String deviceId) {
    }

    private Session newUser() {
        String name = unique("http");
        assertEquals(200, client.register(name, PASSWORD).status());
        return login(name);
    }

    private Session login(String user) {
        MatrixClient.Reply reply = client.login(user, PASSWORD);
        assertEquals(200, reply.status(), reply.toString());
        return new Session(reply.string("user_id"), reply.string("access_token"), reply.string("device_id"));
    }

    private Answer request(String method, String path, String token, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[start.length + content.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(content, 0, all, start.length, content.length);
        return raw.send(all, TIMEOUT);
    }

    private static void assertMatrixError(int status, String errcode, Answer answer) {
        assertEquals(status, answer.status(), answer.toString());
        assertTrue(answer.isMatrixError(), "a Matrix error body: " + answer);
        assertEquals(errcode, answer.json().getString("errcode"), answer.toString());
    }

    // ---- spec "Device management", DELETE /_matrix/client/v3/devices/{deviceId}, with
    // ---- "User-interactive API in the REST API": bodies exactly as matrix-js-sdk's deleteDevice sends them

    @Test
    void deleteDeviceWithEmptyJsonBodyAsMatrixJsSdkSendsIt() {
        Session alice = newUser();
        Session other = login(alice.userId());
        Answer challenge = request("DELETE", "/_matrix/client/v3/devices/" + other.deviceId(), alice.accessToken(), "{}");
        assertEquals(401, challenge.status(), challenge.toString());
        JsonObject json = challenge.json();
        assertNotNull(json, challenge.toString());
        assertTrue(json.containsKey("session"), challenge.toString());
        assertTrue(json.containsKey("flows"), challenge.toString());
        assertFalse(json.containsKey("errcode"), "the first challenge has no errcode");
        assertEquals(200, client.whoami(other.accessToken()).status(), "nothing deleted yet");
    }

    @Test
    void deleteDeviceWithAuthBodyCompletesUserInteractiveAuth() {
        Session alice = newUser();
        Session other = login(alice.userId());
        String path = "/_matrix/client/v3/devices/" + other.deviceId();
        String session = request("DELETE", path, alice.accessToken(), "{}").json().getString("session");

        Answer deleted = request("DELETE", path, alice.accessToken(),
                Uia.body(Uia.password(session, alice.userId(), PASSWORD)).toString());
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals("{}", deleted.text());
        assertEquals(401, client.whoami(other.accessToken()).status(), "the deleted device's token is gone");
        assertEquals(200, client.whoami(alice.accessToken()).status());
    }

    @Test
    void deleteOwnDeviceWithEmptyBodyAsElementSignsOutThisSession() {
        Session alice = newUser();
        String path = "/_matrix/client/v3/devices/" + alice.deviceId();
        String session = request("DELETE", path, alice.accessToken(), "{}").json().getString("session");
        Answer deleted = request("DELETE", path, alice.accessToken(),
                Uia.body(Uia.password(session, alice.userId(), PASSWORD)).toString());
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(401, client.whoami(alice.accessToken()).status());
    }

    @Test
    void deleteWithABodyOnAnUnauthenticatedCallIsAMatrixError() {
        assertMatrixError(401, "M_MISSING_TOKEN", request("DELETE", "/_matrix/client/v3/devices/ABC", null, "{}"));
    }

    // ---- spec "API Standards": M_NOT_JSON / M_BAD_JSON, never a 500, on every endpoint that reads a body

    private static final Map<String, String> BODY_ENDPOINTS = new LinkedHashMap<>();

    static {
        BODY_ENDPOINTS.put("POST /_matrix/client/v3/login", null);
        BODY_ENDPOINTS.put("POST /_matrix/client/v3/register", null);
        BODY_ENDPOINTS.put("POST /_matrix/client/v3/refresh", null);
        BODY_ENDPOINTS.put("POST /_synapse/admin/v1/register", null);
        BODY_ENDPOINTS.put("POST /_matrix/client/v3/account/password", "token");
        BODY_ENDPOINTS.put("POST /_matrix/client/v3/account/deactivate", "token");
        BODY_ENDPOINTS.put("POST /_matrix/client/v3/delete_devices", "token");
        BODY_ENDPOINTS.put("PUT /_matrix/client/v3/devices/{own}", "token");
        BODY_ENDPOINTS.put("DELETE /_matrix/client/v3/devices/{own}", "token");
        BODY_ENDPOINTS.put("POST /_matrix/client/v1/login/get_token", "token");
    }

    private void assertEveryBodyEndpointAnswers(String body, String errcode) {
        Session alice = newUser();
        BODY_ENDPOINTS.forEach((endpoint, auth) -> {
            String[] parts = endpoint.split(" ");
            String path = parts[1].replace("{own}", alice.deviceId());
            Answer answer = request(parts[0], path, auth == null ? null : alice.accessToken(), body);
            assertEquals(400, answer.status(), endpoint + ": " + answer);
            assertTrue(answer.isMatrixError(), endpoint + ": " + answer);
            assertEquals(errcode, answer.json().getString("errcode"), endpoint + ": " + answer);
        });
        assertEquals(200, client.whoami(alice.accessToken()).status(), "no endpoint acted on the body");
    }

    @Test
    void jsonNestedAThousandLevelsIsBadJsonOnEveryEndpoint() {
        assertEveryBodyEndpointAnswers("{\"a\":" + "[".repeat(999) + "]".repeat(999) + "}", "M_BAD_JSON");
    }

    @Test
    void jsonNestedDeeperThanTheParserGoesIsBadJsonOnEveryEndpoint() {
        assertEveryBodyEndpointAnswers("{\"a\":" + "{\"b\":".repeat(5000) + "1" + "}".repeat(5000) + "}", "M_BAD_JSON");
    }

    @Test
    void numberWithAHugeExponentIsBadJsonOnEveryEndpoint() {
        assertEveryBodyEndpointAnswers("{\"refresh_token\":1E+99999999999,\"type\":1E+99999999999}", "M_BAD_JSON");
    }

    @Test
    void unclosedDeepJsonIsNotJsonOrBadJson() {
        Answer answer = request("POST", "/_matrix/client/v3/login", null, "[".repeat(100_000));
        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.isMatrixError(), answer.toString());
    }

    // ---- what reaches Turnkey thanks to the listener settings, and Turnkey's own paths

    @Test
    void authorizationHeaderOfTenKilobytesIsAnUnknownToken() {
        Answer answer = request("GET", "/_matrix/client/v3/account/whoami", "a".repeat(10 * 1024), null);
        assertMatrixError(401, "M_UNKNOWN_TOKEN", answer);
    }

    @Test
    void requestLineOfNineKilobytesIsUnrecognized() {
        assertMatrixError(404, "M_UNRECOGNIZED", request("GET", "/_matrix/client/v3/" + "a".repeat(9 * 1024), null, null));
    }

    @Test
    void errorPagePathRequestedDirectlyIsUnrecognized() {
        assertMatrixError(404, "M_UNRECOGNIZED", request("GET", "/__turnkey_error", null, null));
        assertMatrixError(404, "M_UNRECOGNIZED", request("POST", "/__turnkey_error", null, "{}"));
    }

    @Test
    void unknownMethodIsUnrecognized() {
        assertMatrixError(405, "M_UNRECOGNIZED", request("PATCH", "/_matrix/client/versions", null, "{}"));
        assertMatrixError(405, "M_UNRECOGNIZED", request("FOO", "/_matrix/client/versions", null, null));
    }

    // ---- refused by the container before Turnkey sees them (docs/http.md, "What the container answers")

    private void assertContainerRefusal(int status, Answer answer) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(0, answer.body().length, "the container's refusal has no body: " + answer);
    }

    @Test
    void containerRefusesInvalidPathsWith400() {
        String host = "Host: " + base.getHost() + "\r\n";
        for (String path : new String[]{"/_matrix/client/v3/devices/%00", "/_matrix/client/v3/devices/%ED%A0%80",
                "/_matrix/client/v3/devices/a\u0000b", "/_matrix/client/v3/devices/a\\b", "/_matrix/../../etc/passwd"}) {
            assertContainerRefusal(400, raw.send("GET " + path + " HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", TIMEOUT));
        }
    }

    @Test
    void containerRefusesHeadersOverSixteenKilobytesWith400() {
        assertContainerRefusal(400, request("GET", "/_matrix/client/v3/account/whoami", "a".repeat(17 * 1024), null));
        assertContainerRefusal(400, request("GET", "/_matrix/client/v3/" + "a".repeat(17 * 1024), null, null));
    }

    @Test
    void containerRefusesMissingHostTraceAndUnknownVersions() {
        assertContainerRefusal(400, raw.send("GET /_matrix/client/versions HTTP/1.1\r\nConnection: close\r\n\r\n", TIMEOUT));
        assertContainerRefusal(405, raw.send("TRACE /_matrix/client/versions HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", TIMEOUT));
        assertContainerRefusal(505, raw.send("GET /_matrix/client/versions HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n", TIMEOUT));
    }

    /**
     * Payara Micro 6.2025.10 answers 200 with an empty body to a path with a percent sign not
     * followed by two hex digits (payara/Payara#8000: the decoder's exception is logged and the
     * untouched response sent). Turnkey never sees the request; pinned here so an upgrade that
     * fixes it shows, and docs/http.md is updated.
     */
    @Test
    void malformedPercentEscapeNeverReachesTurnkeyAndGetsAnEmptyBody() {
        Answer answer = raw.send("GET /_matrix/client/v3/devices/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", TIMEOUT);
        assertEquals(0, answer.body().length, answer.toString());
        assertFalse(answer.status() >= 500, answer.toString());
        assertEquals(null, answer.header("Access-Control-Allow-Origin"), "not answered by Turnkey: " + answer);
    }

    /**
     * The same defect, reached through Grizzly's path normaliser: whether it throws (an
     * ArrayIndexOutOfBoundsException) depends on the bytes that follow the path in the request,
     * so a path ending in "/.." gets either Turnkey's 404 or Payara's empty answer.
     */
    @Test
    void pathEndingInDotDotIsAMatrixErrorOrPayarasEmptyAnswer() {
        for (String rest : new String[]{"Host: x\r\n\r\n", "Host: x\r\nConnection: close\r\n\r\n"}) {
            Answer answer = raw.send("GET /_matrix/client/v3/login/.. HTTP/1.1\r\n" + rest, TIMEOUT);
            assertFalse(answer.status() >= 500, answer.toString());
            assertTrue(answer.isMatrixError() || answer.body().length == 0, answer.toString());
        }
    }

    // ---- connections that never complete a request are closed by the listener's 5 s idle timeout

    @Test
    void connectionsThatNeverCompleteARequestAreClosedPromptly() {
        Map<String, byte[]> openings = new LinkedHashMap<>();
        openings.put("garbage", "\u0001\u0002garbage".getBytes(StandardCharsets.ISO_8859_1));
        openings.put("bare GET", "GET\r\n".getBytes(StandardCharsets.ISO_8859_1));
        openings.put("TLS ClientHello", new byte[]{0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03});
        openings.put("CONNECT", "CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        openings.put("HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        openings.put("nothing", new byte[0]);
        // Payara's default keeps these 30 s; 25 s leaves the 5 s setting ample room on a busy machine.
        int limit = 25_000;
        ExecutorService threads = Executors.newFixedThreadPool(openings.size());
        try {
            Map<String, CompletableFuture<Answer>> answers = new LinkedHashMap<>();
            openings.forEach((name, bytes) -> answers.put(name, CompletableFuture.supplyAsync(() -> raw.send(bytes, limit), threads)));
            answers.forEach((name, answer) -> {
                Answer a = answer.join();
                assertFalse(a.timedOut(), name + ": still open after " + limit + " ms: " + a);
                assertFalse(a.status() >= 500, name + ": " + a);
            });
        } finally {
            threads.shutdownNow();
        }
        assertEquals(200, client.get("/_matrix/client/versions").status());
    }
}
