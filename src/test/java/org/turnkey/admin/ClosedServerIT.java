package org.turnkey.admin;

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
import org.turnkey.support.MatrixClient.Reply;

import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server as operators run it by default: registration closed ({@code turnkey.registration.enabled}
 * unset) and, here, login tokens turned off ({@code turnkey.login-token.enabled=false}). Accounts
 * come only from the operator, through shared-secret registration.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ClosedServerIT {

    private static final String SECRET = "closed-it-shared-secret-0123456789";
    private static final String PASSWORD = "closed-server-password";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("closed", Map.of(
                "turnkey.login-token.enabled", "false",
                "turnkey.registration.shared-secret", SECRET,
                "turnkey.password.argon2.memory-kib", "1024"));
    }

    @ArquillianResource
    URL base;

    private MatrixClient client() {
        return new MatrixClient(base);
    }

    private String operatorCreatedUser() {
        MatrixClient client = client();
        String name = MatrixClient.unique("closed");
        String nonce = client.get("/_synapse/admin/v1/register").string("nonce");
        Reply created = client.post("/_synapse/admin/v1/register", Json.createObjectBuilder()
                .add("nonce", nonce).add("username", name).add("password", PASSWORD).add("admin", false)
                .add("mac", SharedSecretMac.compute(SECRET, nonce, name, PASSWORD, false)).build());
        assertEquals(200, created.status(), created.raw());
        return name;
    }

    @Test
    @DisplayName("registration.yaml: POST /register is 403 M_FORBIDDEN when the server does not allow registration")
    void registrationIsForbidden() {
        Reply reply = client().register(MatrixClient.unique("nobody"), PASSWORD);
        assertEquals(403, reply.status(), reply.raw());
        assertEquals("M_FORBIDDEN", reply.errcode());
    }

    @Test
    @DisplayName("registration_tokens.yaml: the validity check is 403 M_FORBIDDEN when registration is not allowed")
    void registrationTokenValidityIsForbiddenWhileRegistrationIsClosed() {
        Reply reply = client().get("/_matrix/client/v1/register/m.login.registration_token/validity?token=any");
        assertEquals(403, reply.status(), reply.raw());
        assertEquals("M_FORBIDDEN", reply.errcode());
    }

    @Test
    @DisplayName("Operator-created accounts log in with a password; GET /login offers no m.login.token")
    void loginFlowsWithoutLoginTokens() {
        String name = operatorCreatedUser();
        assertEquals(200, client().login(name, PASSWORD).status());
        var flows = client().get("/_matrix/client/v3/login").json().getJsonArray("flows");
        assertTrue(flows.getValuesAs(JsonObject.class).stream().anyMatch(f -> f.getString("type").equals("m.login.password")));
        assertFalse(flows.getValuesAs(JsonObject.class).stream().anyMatch(f -> f.getString("type").equals("m.login.token")));
    }

    @Test
    @DisplayName("login_token.yaml: with login tokens off, /login/get_token is 404 M_UNRECOGNIZED and the capability says disabled")
    void getTokenIsUnrecognizedWhileLoginTokensAreOff() {
        String name = operatorCreatedUser();
        String token = client().login(name, PASSWORD).string("access_token");
        Reply reply = client().post("/_matrix/client/v1/login/get_token", Json.createObjectBuilder().build(), token);
        assertEquals(404, reply.status(), reply.raw());
        assertEquals("M_UNRECOGNIZED", reply.errcode());
        JsonObject capabilities = client().get("/_matrix/client/v3/capabilities", token).json().getJsonObject("capabilities");
        assertFalse(capabilities.getJsonObject("m.get_login_token").getBoolean("enabled"));
    }

    @Test
    @DisplayName("login.yaml: with login tokens off, m.login.token is an unsupported login type (400 M_UNKNOWN)")
    void tokenLoginIsRefusedWhileLoginTokensAreOff() {
        Reply reply = client().post("/_matrix/client/v3/login", Json.createObjectBuilder()
                .add("type", "m.login.token").add("token", "tkl_anything").build());
        assertEquals(400, reply.status(), reply.raw());
        assertEquals("M_UNKNOWN", reply.errcode());
    }
}
