package org.turnkey.registration;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.MatrixAsserts.assertError;

/** Account registration over HTTP (spec "Account registration", {@code registration.yaml}). */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RegistrationIT {

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
        String name = client.registered("user", PASSWORD);
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
}
