package org.turnkey.persistence;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.TestPostgres;

import java.net.URL;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A database outage is the server's fault, never the end of a client's session: spec "Soft
 * logout" says a 401 {@code M_UNKNOWN_TOKEN} without {@code soft_logout} makes the client discard
 * its keys, so while the database is away every request gets 503 {@code M_UNKNOWN} with
 * {@code Retry-After} (spec "Standard error response"), and service resumes without a restart.
 */
@EnabledIfSystemProperty(named = "turnkey.it.database", matches = "postgresql", disabledReason = "needs a"
        + " database server the test can stop and start; H2 is embedded in the application server")
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DatabaseOutageIT {

    private static final String PASSWORD = "outage-password-1";
    private static final long RECOVERY_SECONDS = 15;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.standard();
    }

    @ArquillianResource
    URL base;

    @Test
    void outageAnswers503NeverUnknownTokenAndServiceResumesWhenTheDatabaseReturns() {
        MatrixClient client = new MatrixClient(base);
        String user = MatrixClient.unique("outage");
        assertEquals(200, client.register(user, PASSWORD).status());
        // Never presented before the outage, so it is not in the access-token cache.
        MatrixClient.Reply session = client.login(user, PASSWORD, MatrixClient.withRefresh());
        assertEquals(200, session.status(), session.toString());
        String accessToken = session.string("access_token");
        String refreshToken = session.string("refresh_token");

        TestPostgres.stop();
        try {
            assertUnavailable(client.whoami(accessToken));
            assertUnavailable(client.refresh(refreshToken));
            assertUnavailable(client.login(user, PASSWORD));
            assertEquals(503, client.get("/health/ready").status(), "readiness is down with the database");
        } finally {
            TestPostgres.start();
        }

        MatrixClient.Reply whoami = awaitRecovery(() -> client.whoami(accessToken));
        assertEquals("@" + user + ":localhost", whoami.string("user_id"));
        assertEquals(200, client.refresh(refreshToken).status());
        assertEquals(200, client.login(user, PASSWORD).status());
        assertEquals(200, client.get("/health/ready").status());
    }

    private static void assertUnavailable(MatrixClient.Reply reply) {
        assertEquals(503, reply.status(), reply.toString());
        assertEquals("M_UNKNOWN", reply.errcode(), reply.toString());
        assertNotNull(reply.json().getString("error", null), reply.toString());
        assertNotNull(reply.header("Retry-After"), "503 carries Retry-After");
    }

    /** Retries until 200; anything but 200 or 503 on the way (a 401 above all) fails at once. */
    private static MatrixClient.Reply awaitRecovery(Supplier<MatrixClient.Reply> request) {
        long deadline = System.nanoTime() + RECOVERY_SECONDS * 1_000_000_000L;
        MatrixClient.Reply reply;
        do {
            reply = request.get();
            if (reply.status() == 200) {
                return reply;
            }
            assertEquals(503, reply.status(), "while the pool recovers: " + reply);
            sleep();
        } while (System.nanoTime() < deadline);
        fail("no recovery within " + RECOVERY_SECONDS + " s after the database came back: " + reply);
        return reply;
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
