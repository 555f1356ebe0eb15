package org.turnkey.ratelimit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.OAuthFixture;
import org.turnkey.uia.Uia;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Spec "API Standards / Rate limiting" with small limits. Every request comes from 127.0.0.1,
 * so the per-address limits are shared by all tests here: they run in order, the address
 * exhaustion test last.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitIT {

    private static final String PASSWORD = "correct horse battery";

    @Deployment(testable = false)
    static WebArchive deployment() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("turnkey.registration.enabled", "true");
        settings.put("turnkey.password.argon2.memory-kib", "1024");
        settings.put("turnkey.ratelimit.enabled", "true");
        settings.put("turnkey.ratelimit.login.failed-attempts.per-second", "0.5");
        settings.put("turnkey.ratelimit.login.failed-attempts.burst-count", "2");
        settings.put("turnkey.ratelimit.login.account.per-second", "0.001");
        settings.put("turnkey.ratelimit.login.account.burst-count", "2");
        settings.put("turnkey.ratelimit.login.address.per-second", "0.001");
        settings.put("turnkey.ratelimit.login.address.burst-count", "25");
        settings.put("turnkey.ratelimit.registration.per-second", "0.001");
        settings.put("turnkey.ratelimit.registration.burst-count", "6");
        settings.put("turnkey.ratelimit.refresh.per-second", "0.001");
        settings.put("turnkey.ratelimit.refresh.burst-count", "3");
        settings.put("turnkey.ratelimit.device-authorization.per-second", "0.001");
        settings.put("turnkey.ratelimit.device-authorization.burst-count", "2");
        return Deployments.war("ratelimit", settings);
    }

    @ArquillianResource
    URL base;

    private MatrixClient client() {
        return new MatrixClient(base);
    }

    private String newUser(String prefix) {
        MatrixClient.Reply reg = client().register(MatrixClient.unique(prefix), PASSWORD,
                Json.createObjectBuilder().add("inhibit_login", true).build());
        assertEquals(200, reg.status(), reg.toString());
        return reg.string("user_id");
    }

    private static long assertLimited(MatrixClient.Reply reply) {
        assertEquals(429, reply.status(), reply.toString());
        assertEquals("M_LIMIT_EXCEEDED", reply.errcode());
        long retryAfterMs = reply.json().getJsonNumber("retry_after_ms").longValue();
        assertTrue(retryAfterMs > 0);
        String header = reply.header("Retry-After");
        assertNotNull(header, "Retry-After header");
        assertEquals((retryAfterMs + 999) / 1000, Long.parseLong(header));
        return retryAfterMs;
    }

    @Test
    @Order(1)
    @DisplayName("SyTest: repeated failed logins reach 429 and recover after the advertised wait")
    void failedLoginsReach429AndRecover() throws InterruptedException {
        String user = newUser("failing");
        assertEquals(403, client().login(user, "wrong-1").status());
        assertEquals(403, client().login(user, "wrong-2").status());
        long wait = assertLimited(client().login(user, PASSWORD));
        assertTrue(wait <= 2000, "one attempt drains in 2 s: " + wait);
        Thread.sleep(wait);
        MatrixClient.Reply ok = client().login(user, PASSWORD);
        assertEquals(200, ok.status(), ok.toString());
    }

    @Test
    @Order(2)
    @DisplayName("Wrong passwords in user-interactive auth count toward the failed-login limit")
    void uiaWrongPasswordsCount() throws InterruptedException {
        String user = newUser("uiafail");
        MatrixClient.Reply login = client().login(user, PASSWORD);
        assertEquals(200, login.status());
        String token = login.string("access_token");
        String path = "/_matrix/client/v3/devices/" + login.string("device_id");
        String session = client().delete(path, null, token).string("session");
        assertEquals(401, client().delete(path, Uia.body(Uia.password(session, user, "wrong-1")), token).status());
        assertEquals(401, client().delete(path, Uia.body(Uia.password(session, user, "wrong-2")), token).status());
        long wait = assertLimited(client().delete(path, Uia.body(Uia.password(session, user, PASSWORD)), token));
        assertLimited(client().login(user, PASSWORD));
        Thread.sleep(wait);
        assertEquals(200, client().delete(path, Uia.body(Uia.password(session, user, PASSWORD)), token).status());
    }

    @Test
    @Order(3)
    @DisplayName("Successful logins are limited per account (rc_login.account)")
    void loginsPerAccount() {
        String user = newUser("busy");
        assertEquals(200, client().login(user, PASSWORD).status());
        assertEquals(200, client().login(user, PASSWORD).status());
        assertLimited(client().login(user, PASSWORD));
        String other = newUser("calm");
        assertEquals(200, client().login(other, PASSWORD).status());
    }

    @Test
    @Order(4)
    @DisplayName("Login tokens: at most one a minute per account by default")
    void loginTokenIssue() {
        String user = newUser("issuer");
        String token = client().login(user, PASSWORD).string("access_token");
        String path = "/_matrix/client/v1/login/get_token";
        String s1 = client().post(path, JsonValue.EMPTY_JSON_OBJECT, token).string("session");
        assertEquals(200, client().post(path, Uia.body(Uia.password(s1, user, PASSWORD)), token).status());
        long wait = assertLimited(client().post(path, JsonValue.EMPTY_JSON_OBJECT, token));
        assertTrue(wait > 50_000 && wait <= 60_000, "about a minute: " + wait);
    }

    @Test
    @Order(5)
    @DisplayName("Refreshes are limited per client address")
    void refreshes() {
        String user = newUser("refresher");
        MatrixClient.Reply login = client().login(user, PASSWORD, MatrixClient.withRefresh());
        String refresh = login.string("refresh_token");
        for (int i = 0; i < 3; i++) {
            MatrixClient.Reply r = client().refresh(refresh);
            assertEquals(200, r.status(), r.toString());
        }
        assertLimited(client().refresh(refresh));
    }

    /**
     * Device sign-ins started per address (each stores a pending code): beyond the burst, 503
     * temporarily_unavailable with Retry-After (RFC 6749 section 5.2 shape), never a 4xx that
     * matrix-js-sdk would take as final.
     */
    @Test
    @Order(6)
    void deviceAuthorizationsPerAddress() {
        OAuthFixture oauth = new OAuthFixture(client(), "ratelimit");
        MatrixClient.Reply registered = oauth.register(Json.createObjectBuilder().add("client_uri", "https://tv.example.com/")
                .add("application_type", "native")
                .add("grant_types", Json.createArrayBuilder().add("urn:ietf:params:oauth:grant-type:device_code")).build());
        assertEquals(201, registered.status(), registered.toString());
        String clientId = registered.string("client_id");
        for (int i = 0; i < 2; i++) {
            MatrixClient.Reply started = oauth.form("/_turnkey/oauth2/device", "client_id", clientId);
            assertEquals(200, started.status(), started.toString());
        }
        MatrixClient.Reply limited = oauth.form("/_turnkey/oauth2/device", "client_id", clientId);
        assertEquals(503, limited.status(), limited.toString());
        assertEquals("temporarily_unavailable", limited.string("error"));
        assertTrue(Long.parseLong(limited.header("Retry-After")) > 0, limited.toString());
    }

    @Test
    @Order(6)
    @DisplayName("Registrations are limited per client address (rc_registration); challenges do not count")
    void registrations() {
        for (int i = 0; i < 10; i++) {
            MatrixClient.Reply reg = client().register(MatrixClient.unique("many"), PASSWORD,
                    Json.createObjectBuilder().add("inhibit_login", true).build());
            if (reg.status() == 429) {
                assertLimited(reg);
                return;
            }
            assertEquals(200, reg.status(), reg.toString());
        }
        fail("registration was never limited");
    }

    @Test
    @Order(7)
    @DisplayName("Login attempts are limited per client address (rc_login.address)")
    void loginsPerAddress() {
        JsonObject bogus = Json.createObjectBuilder().add("type", "m.login.token").add("token", "tkl_bogus").build();
        for (int i = 0; i < 30; i++) {
            MatrixClient.Reply reply = client().post("/_matrix/client/v3/login", bogus);
            if (reply.status() == 429) {
                assertLimited(reply);
                return;
            }
            assertEquals(403, reply.status(), reply.toString());
        }
        fail("login was never limited by address");
    }
}
