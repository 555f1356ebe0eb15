package org.turnkey.persistence;

import org.junit.jupiter.api.Test;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.PayaraProcess;

import java.io.File;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's view: Turnkey started as a Payara Micro process with {@code TURNKEY_*}
 * environment variables and the default embedded H2 file database, stopped and started again.
 */
class RestartIT {

    private static final String PASSWORD = "correct horse battery";

    @Test
    void usersAndTokensSurviveARestartOnTheEmbeddedDatabase() {
        File data = PayaraProcess.dataDir("restart");
        String access;
        String refresh;
        try (PayaraProcess first = PayaraProcess.start(Map.of(
                "TURNKEY_DATA_DIR", data.getPath(),
                "TURNKEY_REGISTRATION_ENABLED", "true"), List.of("--nocluster"))) {
            MatrixClient client = first.client();
            assertEquals(200, client.register("survivor", PASSWORD).status());
            Reply login = client.login("survivor", PASSWORD, MatrixClient.withRefresh());
            access = login.string("access_token");
            refresh = login.string("refresh_token");
            assertEquals(200, client.whoami(access).status());
        }
        assertTrue(new File(data, "turnkey.mv.db").isFile(), "H2 file under TURNKEY_DATA_DIR");

        try (PayaraProcess second = PayaraProcess.start(Map.of("TURNKEY_DATA_DIR", data.getPath()),
                List.of("--nocluster"))) {
            MatrixClient client = second.client();
            assertEquals("@survivor:localhost", client.whoami(access).string("user_id"), "token survived");
            Reply refreshed = client.refresh(refresh);
            assertEquals(200, refreshed.status(), refreshed.toString());
            assertEquals(200, client.login("survivor", PASSWORD).status(), "password survived");
            Reply register = client.register("newcomer", PASSWORD);
            assertEquals(403, register.status(), "registration is off by default: " + register);
            assertEquals("M_FORBIDDEN", register.errcode());
        }
    }

    @Test
    void aBadConfigurationValueStopsStartupNamingTheKey() {
        try (PayaraProcess payara = PayaraProcess.start(Map.of(
                "TURNKEY_DATA_DIR", PayaraProcess.dataDir("badconfig").getPath(),
                "TURNKEY_ACCESS_TOKEN_LIFETIME", "five minutes"), List.of("--nocluster"))) {
            assertTrue(payara.output().contains("turnkey.access-token.lifetime"), payara.output());
            assertNotEquals(200, payara.client().get("/_matrix/client/versions").status(),
                    "Turnkey must not serve with a bad configuration");
        }
    }
}
