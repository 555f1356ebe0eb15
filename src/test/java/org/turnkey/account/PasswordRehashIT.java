package org.turnkey.account;

import org.junit.jupiter.api.Test;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.PayaraProcess;
import org.turnkey.support.TestPostgres;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An operator raises {@code turnkey.password.argon2.*} and restarts: each account's hash is
 * upgraded to the new parameters at its next successful login, and keeps working.
 */
class PasswordRehashIT {

    private static final String PASSWORD = "correct horse battery";

    @Test
    void raisedArgon2ParametersUpgradeTheStoredHashAtTheNextLogin() {
        File data = PayaraProcess.dataDir("rehash");
        String url = TestPostgres.enabled() ? TestPostgres.createDatabase("rehash")
                : "jdbc:h2:file:" + data + "/turnkey;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE";
        Map<String, String> weak = new HashMap<>(Map.of(
                "TURNKEY_DATA_DIR", data.getPath(),
                "TURNKEY_DB_URL", url,
                "TURNKEY_REGISTRATION_ENABLED", "true",
                "TURNKEY_PASSWORD_ARGON2_MEMORY_KIB", "8192",
                "TURNKEY_PASSWORD_ARGON2_ITERATIONS", "1"));
        try (PayaraProcess first = PayaraProcess.start(weak, List.of("--nocluster"))) {
            assertEquals(200, first.client().register("upgraded", PASSWORD).status());
        }
        assertTrue(storedHash(url).startsWith("$argon2id$v=19$m=8192,t=1,p=1$"), "registered with the weak parameters");

        Map<String, String> raised = new HashMap<>(weak);
        raised.put("TURNKEY_PASSWORD_ARGON2_MEMORY_KIB", "16384");
        raised.put("TURNKEY_PASSWORD_ARGON2_ITERATIONS", "3");
        try (PayaraProcess second = PayaraProcess.start(raised, List.of("--nocluster"))) {
            MatrixClient client = second.client();
            assertEquals(403, client.login("upgraded", "wrong password").status());
            assertTrue(storedHash(url).startsWith("$argon2id$v=19$m=8192,t=1,p=1$"), "a wrong password upgrades nothing");
            assertEquals(200, client.login("upgraded", PASSWORD).status(), "the old hash still verifies");
            assertTrue(storedHash(url).startsWith("$argon2id$v=19$m=16384,t=3,p=1$"), "upgraded in place");
            assertEquals(200, client.login("upgraded", PASSWORD).status(), "the new hash verifies");
            assertEquals(403, client.login("upgraded", "wrong password").status());
        }
    }

    /** The account's hash read straight from the database (AUTO_SERVER lets this JVM share the H2 file). */
    private static String storedHash(String url) {
        try (Connection c = DriverManager.getConnection(url, "turnkey", "turnkey");
             PreparedStatement statement = c.prepareStatement("SELECT password_hash FROM users WHERE user_id = ?")) {
            statement.setString(1, "@upgraded:localhost");
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), "account row");
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
