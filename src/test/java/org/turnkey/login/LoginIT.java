package org.turnkey.login;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.MatrixAsserts.assertError;

/**
 * Login, whoami and logout over HTTP (spec "Login", "Using access tokens", {@code login.yaml},
 * {@code whoami.yaml}, {@code logout.yaml}).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LoginIT {

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
        String name = client.registered("user", PASSWORD);
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
        String name = client.registered("user", PASSWORD);
        Reply login = client.post("/_matrix/client/v3/login", Json.createObjectBuilder()
                .add("type", "m.login.password").add("user", name).add("password", PASSWORD).build());
        assertEquals(200, login.status(), login.toString());
    }

    @Test
    void clientChosenDeviceIdIsKeptAndOverlongOneRejected() {
        String name = client.registered("user", PASSWORD);
        Reply login = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "LAPTOP")
                .add("initial_device_display_name", "My laptop").build());
        assertEquals("LAPTOP", login.string("device_id"));
        assertError(400, "M_INVALID_PARAM", client.login(name, PASSWORD,
                Json.createObjectBuilder().add("device_id", "D".repeat(256)).build()));
    }

    @Test
    void unknownUserAndWrongPasswordAreTheSameForbidden() {
        String name = client.registered("user", PASSWORD);
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
        String name = client.registered("user", PASSWORD);
        assertError(400, "M_BAD_JSON", client.login(name, PASSWORD,
                Json.createObjectBuilder().add("refresh_token", "yes").build()));
    }

    // ---- spec "Using access tokens", whoami.yaml, logout.yaml ----

    @Test
    void whoamiNamesUserAndDeviceAndIsNeverGuest() {
        String name = client.registered("user", PASSWORD);
        Reply login = client.login(name, PASSWORD, Json.createObjectBuilder().add("device_id", "WHO").build());
        Reply who = client.whoami(login.string("access_token"));
        assertEquals(200, who.status());
        assertEquals("@" + name + ":localhost", who.string("user_id"));
        assertEquals("WHO", who.string("device_id"));
        assertFalse(who.json().getBoolean("is_guest"));
    }

    @Test
    void accessTokenIsAcceptedFromTheDeprecatedQueryParameter() {
        String token = client.login(client.registered("user", PASSWORD), PASSWORD).string("access_token");
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
        String name = client.registered("user", PASSWORD);
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
        String name = client.registered("user", PASSWORD);
        String other = client.registered("user", PASSWORD);
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
        String name = client.registered("user", PASSWORD);
        String first = client.login(name, PASSWORD).string("access_token");
        String second = client.login(name, PASSWORD).string("access_token");
        assertNotEquals(first, second);
        assertFalse(first.contains(name));
    }
}
