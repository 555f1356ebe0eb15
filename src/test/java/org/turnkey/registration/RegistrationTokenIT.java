package org.turnkey.registration;

import jakarta.json.Json;
import jakarta.json.JsonObject;
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
import org.turnkey.uia.Uia;

import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spec "Token-authenticated registration" and registration_tokens.yaml, on a server that
 * requires a token to register. Tokens come from {@code turnkey.registration.tokens}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RegistrationTokenIT {

    private static final String VALIDITY = "/_matrix/client/v1/register/m.login.registration_token/validity?token=";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("regtoken", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.registration.requires-token", "true",
                "turnkey.registration.tokens", "open-token,once;uses=1,old;expires=2000-01-01T00:00:00Z,never;uses=0",
                "turnkey.password.argon2.memory-kib", "1024"));
    }

    @ArquillianResource
    URL base;

    private MatrixClient client() {
        return new MatrixClient(base);
    }

    private static JsonObject register(String name, JsonObject auth) {
        var body = Json.createObjectBuilder().add("username", name).add("password", "pw-" + name);
        if (auth != null) {
            body.add("auth", auth);
        }
        return body.build();
    }

    private static JsonObject tokenAuth(String session, String token) {
        return Json.createObjectBuilder().add("type", "m.login.registration_token").add("token", token)
                .add("session", session).build();
    }

    @Test
    @DisplayName("GET .../validity: true for a live token, false for unknown, expired and used-up ones; token required")
    void validity() {
        assertTrue(client().get(VALIDITY + "open-token").json().getBoolean("valid"));
        assertFalse(client().get(VALIDITY + "no-such-token").json().getBoolean("valid"));
        assertFalse(client().get(VALIDITY + "old").json().getBoolean("valid"));
        assertFalse(client().get(VALIDITY + "never").json().getBoolean("valid"));
        assertFalse(client().get(VALIDITY + "bad%20token").json().getBoolean("valid"));
        MatrixClient.Reply missing = client().get("/_matrix/client/v1/register/m.login.registration_token/validity");
        assertEquals(400, missing.status());
        assertEquals("M_MISSING_PARAM", missing.errcode());
    }

    @Test
    @DisplayName("Registration offers only m.login.registration_token; a bad token is 401 M_FORBIDDEN, a good one registers")
    void registerWithToken() {
        String name = MatrixClient.unique("tok");
        MatrixClient.Reply challenge = client().post("/_matrix/client/v3/register", register(name, null));
        assertEquals(401, challenge.status(), challenge.toString());
        assertEquals(List.of(List.of("m.login.registration_token")), Uia.flows(challenge));
        String session = challenge.string("session");

        MatrixClient.Reply dummy = client().post("/_matrix/client/v3/register", register(name,
                Json.createObjectBuilder().add("type", "m.login.dummy").add("session", session).build()));
        assertEquals(401, dummy.status());
        assertEquals("M_UNRECOGNIZED", dummy.errcode());

        MatrixClient.Reply bad = client().post("/_matrix/client/v3/register", register(name, tokenAuth(session, "wrong")));
        assertEquals(401, bad.status(), bad.toString());
        assertEquals("M_FORBIDDEN", bad.errcode());
        assertEquals(session, bad.string("session"));

        MatrixClient.Reply expired = client().post("/_matrix/client/v3/register", register(name, tokenAuth(session, "old")));
        assertEquals(401, expired.status());
        assertEquals("M_FORBIDDEN", expired.errcode());

        MatrixClient.Reply ok = client().post("/_matrix/client/v3/register", register(name, tokenAuth(session, "open-token")));
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(200, client().whoami(ok.string("access_token")).status());
    }

    @Test
    @DisplayName("A token limited to one use registers one account; then it is invalid")
    void usesAreCounted() {
        assertTrue(client().get(VALIDITY + "once").json().getBoolean("valid"));
        String first = MatrixClient.unique("once");
        String s1 = client().post("/_matrix/client/v3/register", register(first, null)).string("session");
        assertEquals(200, client().post("/_matrix/client/v3/register", register(first, tokenAuth(s1, "once"))).status());
        assertFalse(client().get(VALIDITY + "once").json().getBoolean("valid"));

        String second = MatrixClient.unique("twice");
        String s2 = client().post("/_matrix/client/v3/register", register(second, null)).string("session");
        MatrixClient.Reply refused = client().post("/_matrix/client/v3/register", register(second, tokenAuth(s2, "once")));
        assertEquals(401, refused.status(), refused.toString());
        assertEquals("M_FORBIDDEN", refused.errcode());
    }
}
