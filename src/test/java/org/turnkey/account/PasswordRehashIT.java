package org.turnkey.account;

import org.junit.jupiter.api.Test;
import org.turnkey.support.ClusterDatabase;
import org.turnkey.oauth.code.Pkce;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.PageBrowser;
import org.turnkey.support.PageBrowser.Page;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.PayaraProcess;
import org.turnkey.uia.Uia;

import java.net.MalformedURLException;
import java.net.URL;
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
 * upgraded to the new parameters at its next successful password check (login,
 * user-interactive auth or the OAuth 2.0 sign-in page), in the transaction of that sign-in, and
 * keeps working.
 */
class PasswordRehashIT {

    private static final String PASSWORD = "correct horse battery";
    private static final String WEAK = "$argon2id$v=19$m=8192,t=1,p=1$";
    private static final String RAISED = "$argon2id$v=19$m=16384,t=3,p=1$";

    @Test
    void raisedArgon2ParametersUpgradeStoredHashesAtTheNextPasswordCheck() throws MalformedURLException {
        // One database for both runs, which this JVM can also read while Turnkey holds it.
        Map<String, String> weak = new HashMap<>(ClusterDatabase.environment("rehash"));
        weak.put("TURNKEY_REGISTRATION_ENABLED", "true");
        // Its logins from one address would otherwise meet the login limit's burst.
        weak.put("TURNKEY_RATELIMIT_ENABLED", "false");
        weak.put("TURNKEY_PASSWORD_ARGON2_MEMORY_KIB", "8192");
        weak.put("TURNKEY_PASSWORD_ARGON2_ITERATIONS", "1");
        String url = weak.get("TURNKEY_DB_URL");
        String uiaToken;
        String otherDevice;
        try (PayaraProcess first = PayaraProcess.start(weak, List.of("--nocluster"))) {
            MatrixClient client = first.client();
            assertEquals(200, client.register("upgraded", PASSWORD).status());
            uiaToken = client.register("viauia", PASSWORD).string("access_token");
            otherDevice = client.login("viauia", PASSWORD).string("device_id");
            assertEquals(200, client.register("viapage", PASSWORD).status());
        }
        assertTrue(storedHash(url, "upgraded").startsWith(WEAK), "registered with the weak parameters");
        assertTrue(storedHash(url, "viauia").startsWith(WEAK), "a login with the configured parameters rehashes nothing");

        Map<String, String> raised = new HashMap<>(weak);
        raised.put("TURNKEY_PASSWORD_ARGON2_MEMORY_KIB", "16384");
        raised.put("TURNKEY_PASSWORD_ARGON2_ITERATIONS", "3");
        try (PayaraProcess second = PayaraProcess.start(raised, List.of("--nocluster"))) {
            MatrixClient client = second.client();
            assertEquals(403, client.login("upgraded", "wrong password").status());
            assertTrue(storedHash(url, "upgraded").startsWith(WEAK), "a wrong password upgrades nothing");
            assertEquals(200, client.login("upgraded", PASSWORD).status(), "the old hash still verifies");
            assertTrue(storedHash(url, "upgraded").startsWith(RAISED), "upgraded in place");
            assertEquals(200, client.login("upgraded", PASSWORD).status(), "the new hash verifies");
            assertEquals(403, client.login("upgraded", "wrong password").status());

            // The user-interactive password stage is the same check, so it upgrades too.
            Reply deleted = client.delete("/_matrix/client/v3/devices/" + otherDevice,
                    Uia.body(Uia.password(null, "viauia", PASSWORD)), uiaToken);
            assertEquals(200, deleted.status(), deleted.toString());
            assertTrue(storedHash(url, "viauia").startsWith(RAISED), "upgraded by user-interactive auth");
            assertEquals(200, client.login("viauia", PASSWORD).status());

            // And so is the OAuth 2.0 sign-in page: a wrong password first, then the right one.
            PageBrowser browser = new PageBrowser(new URL(second.url()));
            Page login = browser.get(browser.get(authorizeUrl(new OAuthFixture(client, "rehash")
                    .registerClient("rehash"))).location());
            assertEquals(200, login.status(), login::toString);
            Page refused = browser.submit(login, "login", Map.of("username", "viapage", "password", "wrong password"));
            assertEquals(403, refused.status(), refused::toString);
            assertTrue(storedHash(url, "viapage").startsWith(WEAK), "a wrong password on the page upgrades nothing");
            Page signedIn = browser.submit(refused, "login", Map.of("username", "viapage", "password", PASSWORD));
            assertEquals(303, signedIn.status(), signedIn::toString);
            assertTrue(storedHash(url, "viapage").startsWith(RAISED), "upgraded by the sign-in page");
            assertEquals(200, client.login("viapage", PASSWORD).status());
        }
    }

    private static String authorizeUrl(String clientId) {
        return "_turnkey/oauth2/authorize?" + PageBrowser.encode(Map.of("response_type", "code",
                "client_id", clientId, "redirect_uri", OAuthFixture.REDIRECT,
                "scope", OAuthFixture.scope("REHASHDEV01"), "state", "s",
                "code_challenge", Pkce.challengeOf("v".repeat(43)), "code_challenge_method", "S256"));
    }

    /** The account's hash, read straight from the database. */
    private static String storedHash(String url, String localpart) {
        try (Connection c = DriverManager.getConnection(url, "turnkey", "turnkey");
             PreparedStatement statement = c.prepareStatement("SELECT password_hash FROM users WHERE user_id = ?")) {
            statement.setString(1, "@" + localpart + ":localhost");
            try (ResultSet rows = statement.executeQuery()) {
                assertTrue(rows.next(), "account row");
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
