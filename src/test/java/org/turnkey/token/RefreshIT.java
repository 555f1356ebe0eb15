package org.turnkey.token;

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
import org.turnkey.support.TestDatabase;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.SessionAsserts.assertSoftLogout;
import static org.turnkey.support.SessionAsserts.assertHardLogout;

/**
 * Refresh tokens and soft logout over HTTP (spec "Refreshing access tokens", "Soft logout",
 * "Relationship between access tokens and devices", refresh.yaml), with the default
 * {@code revoke-device} reuse policy and default lifetimes. The duplicate allowance is zero here,
 * so a rotated token presented after the new pair was used is a replay at once; the allowance
 * itself is proven by {@code RefreshRaceIT}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RefreshIT {

    private static final String NAME = "refresh";
    private static final String PASSWORD = "correct horse battery";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of("turnkey.registration.enabled", "true",
                "turnkey.refresh-token.duplicate-allowance", "PT0S"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    String user;
    String userId;

    @BeforeEach
    void registerUser() {
        client = new MatrixClient(base);
        user = unique("r");
        userId = "@" + user + ":localhost";
        assertEquals(200, client.register(user, PASSWORD).status());
    }

    private Reply login(String deviceId) {
        Reply login = client.loginRefreshable(user, PASSWORD, deviceId);
        assertEquals(200, login.status(), login.toString());
        return login;
    }

    private Reply refresh(String refreshToken) {
        Reply reply = client.refresh(refreshToken);
        assertEquals(200, reply.status(), reply.toString());
        return reply;
    }

    private void assertWorks(String accessToken, String deviceId) {
        Reply who = client.whoami(accessToken);
        assertEquals(200, who.status(), who.toString());
        assertEquals(deviceId, who.string("device_id"));
    }

    @Test
    void loginWithRefreshTokenReturnsRefreshTokenAndExpiry() {
        Reply login = login("DEV");
        assertTrue(login.string("refresh_token").length() > 20);
        long expires = login.json().getJsonNumber("expires_in_ms").longValue();
        assertTrue(expires > 290_000 && expires <= 300_000, "default lifetime PT5M: " + expires);
        Reply plain = client.login(user, PASSWORD);
        assertFalse(plain.json().containsKey("refresh_token"));
        assertFalse(plain.json().containsKey("expires_in_ms"), "non-refreshable tokens do not expire by default");
    }

    @Test
    void registrationWithRefreshTokenReturnsRefreshToken() {
        Reply reg = client.register(unique("rr"), PASSWORD, MatrixClient.withRefresh());
        assertEquals(200, reg.status(), reg.toString());
        assertTrue(reg.json().containsKey("refresh_token"));
        assertTrue(reg.json().containsKey("expires_in_ms"));
        assertEquals(200, refresh(reg.string("refresh_token")).status());
    }

    @Test
    void refreshNeedsNoAccessTokenAndBindsTheNewTokensToTheSameDevice() {
        Reply login = login("SAME");
        Reply refreshed = refresh(login.string("refresh_token"));
        assertNotEquals(login.string("access_token"), refreshed.string("access_token"));
        assertNotEquals(login.string("refresh_token"), refreshed.string("refresh_token"));
        assertTrue(refreshed.json().getJsonNumber("expires_in_ms").longValue() > 0);
        assertWorks(refreshed.string("access_token"), "SAME");
    }

    @Test
    void refreshRepeatedWithTheOldTokenBeforeTheNewOnesAreUsedSucceedsAgain() {
        Reply login = login("RETRY");
        Reply first = refresh(login.string("refresh_token"));
        Reply second = refresh(login.string("refresh_token"));
        assertEquals(first.string("access_token"), second.string("access_token"),
                "a client that lost the first response gets the same tokens again");
        assertEquals(first.string("refresh_token"), second.string("refresh_token"));
        assertWorks(second.string("access_token"), "RETRY");
    }

    @Test
    void oldRefreshTokenRevokedOnceTheNewAccessTokenIsUsed() {
        Reply login = login("USEACC");
        Reply refreshed = refresh(login.string("refresh_token"));
        assertWorks(login.string("access_token"), "USEACC");
        assertWorks(refreshed.string("access_token"), "USEACC");
        assertSoftLogout(client.refresh(login.string("refresh_token")));
        assertSoftLogout(client.whoami(login.string("access_token")));
        assertWorks(client.login(user, PASSWORD, Json.createObjectBuilder().add("device_id", "USEACC").build())
                .string("access_token"), "USEACC");
    }

    @Test
    void oldRefreshTokenRevokedOnceTheNewRefreshTokenIsUsed() {
        String deviceId = "USEREF";
        Reply login = login(deviceId);
        Reply first = refresh(login.string("refresh_token"));
        Reply second = refresh(first.string("refresh_token"));
        assertWorks(second.string("access_token"), deviceId);
        assertSoftLogout(client.whoami(login.string("access_token")));
    }

    @Test
    void replayedRefreshTokenRevokesEveryTokenOfTheDeviceButKeepsTheDevice() {
        String deviceId = "STOLEN";
        Reply login = login(deviceId);
        Reply legit = refresh(login.string("refresh_token"));
        assertWorks(legit.string("access_token"), deviceId);

        assertSoftLogout(client.refresh(login.string("refresh_token")));

        assertSoftLogout(client.whoami(legit.string("access_token")));
        assertSoftLogout(client.refresh(legit.string("refresh_token")));
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM devices WHERE user_id = ? AND device_id = ?",
                userId, deviceId), "the device and its keys survive; only its tokens are revoked");
        Reply again = login(deviceId);
        assertEquals(deviceId, again.string("device_id"));
        assertWorks(again.string("access_token"), deviceId);
    }

    @Test
    void unknownRefreshTokenIsAHardLogoutAndAnAccessTokenIsNoRefreshToken() {
        assertHardLogout(client.refresh("tkr_never_issued"));
        Reply login = login("MIXUP");
        assertHardLogout(client.refresh(login.string("access_token")));
    }

    @Test
    void refreshAfterLogoutIsAHardLogout() {
        Reply login = login("GONE");
        Reply refreshed = refresh(login.string("refresh_token"));
        assertEquals(200, client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT,
                refreshed.string("access_token")).status());
        assertHardLogout(client.refresh(refreshed.string("refresh_token")));
        assertHardLogout(client.refresh(login.string("refresh_token")));
        assertHardLogout(client.whoami(refreshed.string("access_token")));
        assertEquals(0, TestDatabase.tokenRows(NAME, userId, "GONE"));
    }

    @Test
    void loginOnAnExistingDeviceRevokesItsOldTokensAndKeepsDeviceAndName() {
        Reply first = client.login(user, PASSWORD, Json.createObjectBuilder().add("device_id", "RELOG")
                .add("refresh_token", true).add("initial_device_display_name", "Work phone").build());
        Reply second = client.login(user, PASSWORD, Json.createObjectBuilder().add("device_id", "RELOG")
                .add("refresh_token", true).add("initial_device_display_name", "Ignored").build());
        assertEquals("RELOG", second.string("device_id"));
        assertSoftLogout(client.whoami(first.string("access_token")));
        assertSoftLogout(client.refresh(first.string("refresh_token")));
        assertWorks(second.string("access_token"), "RELOG");
        assertEquals("Work phone", TestDatabase.string(NAME,
                "SELECT display_name FROM devices WHERE user_id = ? AND device_id = ?", userId, "RELOG"));
    }

    @Test
    void anotherUsersDeviceIdNeverTouchesThatUsersDevice() {
        Reply mine = login("SHARED");
        String other = unique("o");
        assertEquals(200, client.register(other, PASSWORD).status());
        Reply theirs = client.login(other, PASSWORD, Json.createObjectBuilder().add("device_id", "SHARED").build());
        assertEquals(200, theirs.status());
        assertWorks(mine.string("access_token"), "SHARED");
        assertEquals(200, refresh(mine.string("refresh_token")).status());
        assertEquals("@" + other + ":localhost", client.whoami(theirs.string("access_token")).string("user_id"));
    }

    @Test
    void fiftyConcurrentRefreshesOfOneTokenLeaveTheDeviceConsistent() throws Exception {
        String deviceId = "BURST";
        Reply login = login(deviceId);
        String refreshToken = login.string("refresh_token");
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Reply>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(() -> {
                start.await();
                return client.refresh(refreshToken);
            });
        }
        List<Future<Reply>> futures;
        try {
            futures = new ArrayList<>();
            for (Callable<Reply> call : calls) {
                futures.add(pool.submit(call));
            }
            start.countDown();
            Set<String> pairs = new HashSet<>();
            List<Reply> successes = new ArrayList<>();
            for (Future<Reply> future : futures) {
                Reply reply = future.get();
                if (reply.status() == 200) {
                    successes.add(reply);
                    pairs.add(reply.string("access_token") + " " + reply.string("refresh_token"));
                } else {
                    assertSoftLogout(reply);
                }
            }
            assertFalse(successes.isEmpty(), "at least one refresh succeeds");
            assertEquals(1, pairs.size(), "every successful answer is the same pair: " + pairs.size());
            Reply winner = successes.get(0);
            assertWorks(winner.string("access_token"), deviceId);
            assertEquals(200, refresh(winner.string("refresh_token")).status());
            assertSoftLogout(client.refresh(refreshToken));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThousandSequentialRefreshesKeepABoundedNumberOfTokenRows() {
        String deviceId = "CHAIN";
        Reply current = login(deviceId);
        for (int i = 0; i < 1000; i++) {
            current = refresh(current.string("refresh_token"));
            if (i % 2 == 0) {
                assertWorks(current.string("access_token"), deviceId);
            }
        }
        long rows = TestDatabase.tokenRows(NAME, userId, deviceId);
        // RefreshTokenPolicy.maxPairsPerSession: four kept generations and up to four since the
        // last prune (every fourth generation), the newest an unused successor.
        assertTrue(rows <= 8, "token rows of one device after 1000 refreshes: " + rows);
        assertWorks(current.string("access_token"), deviceId);
        assertEquals(200, client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT,
                current.string("access_token")).status());
        assertEquals(0, TestDatabase.tokenRows(NAME, userId, deviceId));
    }

    @Test
    void tokensAreStoredOnlyAsHashes() {
        Reply login = login("HASHED");
        String access = login.string("access_token");
        String refresh = login.string("refresh_token");
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM token_pairs WHERE access_hash = ? OR refresh_hash = ?",
                access, refresh));
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM token_pairs WHERE access_hash = ? AND refresh_hash = ?",
                Tokens.hash(access), Tokens.hash(refresh)));
    }

    static JsonObject body(String key, String value) {
        return Json.createObjectBuilder().add(key, value).build();
    }
}
