package org.turnkey.cluster;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.turnkey.support.ClusterDatabase;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.PayaraProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;

/**
 * Two Payara Micro instances in one data grid on one database: any instance accepts any token,
 * rotation follows the spec across instances, and a revocation on one is refused on the other
 * at once, because the revoking request waits for every member to evict its cache.
 */
class ClusterIT {

    private static final String PASSWORD = "correct horse battery";
    private static PayaraProcess a;
    private static PayaraProcess b;
    private static MatrixClient onA;
    private static MatrixClient onB;

    @BeforeAll
    static void startTwoInstances() {
        Map<String, String> env = new HashMap<>(ClusterDatabase.environment("cluster"));
        env.put("TURNKEY_REGISTRATION_ENABLED", "true");
        // Every test registers a user from 127.0.0.1; the registration limit would refuse the fourth.
        env.put("TURNKEY_RATELIMIT_ENABLED", "false");
        // A replay right after the successor's use must revoke the device, not pass as a duplicate.
        env.put("TURNKEY_REFRESH_TOKEN_DUPLICATE_ALLOWANCE", "PT0S");
        // Ports and name follow turnkey.it.hzport / turnkey.it.cluster (as arquillian.xml does), so
        // runs from several checkouts on one machine never join each other's grid.
        int port = Integer.getInteger("turnkey.it.hzport", 6900) + 70;
        String members = "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1);
        List<String> grid = List.of("--clustermode", "tcpip:" + members, "--startport", Integer.toString(port),
                "--clustername", System.getProperty("turnkey.it.cluster", "turnkey-it") + "-cluster",
                "--interfaces", "127.0.0.1", "--hzpublicaddress", "127.0.0.1");
        a = PayaraProcess.start(env, grid);
        b = PayaraProcess.start(env, grid);
        a.awaitClusterSize(2, Duration.ofMinutes(2));
        onA = a.client();
        onB = b.client();
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static String user() {
        String name = unique("c");
        assertEquals(200, onA.register(name, PASSWORD).status());
        return name;
    }

    private static Reply login(MatrixClient client, String user, String device) {
        Reply login = client.login(user, PASSWORD, Json.createObjectBuilder()
                .add("refresh_token", true).add("device_id", device).build());
        assertEquals(200, login.status(), login.toString());
        return login;
    }

    private static void assertRefused(Reply reply, boolean soft) {
        assertEquals(401, reply.status(), reply.toString());
        assertEquals("M_UNKNOWN_TOKEN", reply.errcode());
        assertEquals(soft, reply.softLogout(), reply.toString());
    }

    @Test
    void anyInstanceAcceptsAnyToken() {
        String user = user();
        Reply login = login(onA, user, "ANY");
        assertEquals("ANY", onB.whoami(login.string("access_token")).string("device_id"));
        assertEquals("ANY", onA.whoami(login.string("access_token")).string("device_id"));
    }

    @Test
    void rotationFollowsTheSpecAcrossInstances() {
        String user = user();
        Reply login = login(onA, user, "ROT");
        onB.whoami(login.string("access_token"));
        Reply refreshed = onA.refresh(login.string("refresh_token"));
        assertEquals(200, refreshed.status());
        Reply repeated = onB.refresh(login.string("refresh_token"));
        assertEquals(refreshed.string("access_token"), repeated.string("access_token"), "repeat on the other instance");
        assertEquals(200, onB.whoami(refreshed.string("access_token")).status());
        assertRefused(onA.refresh(login.string("refresh_token")), true);
        assertRefused(onA.whoami(login.string("access_token")), true);
    }

    @Test
    void logoutOnOneInstanceIsRefusedOnTheOtherAtOnceEveryTime() {
        String user = user();
        for (int i = 0; i < 25; i++) {
            Reply login = login(onA, user, "L" + i);
            String token = login.string("access_token");
            assertEquals(200, onB.whoami(token).status(), "cached on B");
            assertEquals(200, onA.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT, token).status());
            assertRefused(onB.whoami(token), false);
        }
    }

    @Test
    void reloginAndReplayRevocationsReachTheOtherInstanceAtOnce() {
        String user = user();
        for (int i = 0; i < 10; i++) {
            Reply first = login(onA, user, "RE");
            assertEquals(200, onB.whoami(first.string("access_token")).status());
            Reply second = login(onA, user, "RE");
            assertRefused(onB.whoami(first.string("access_token")), true);

            Reply next = onA.refresh(second.string("refresh_token"));
            assertEquals(200, onB.whoami(next.string("access_token")).status(), "successor used on B");
            assertRefused(onA.refresh(second.string("refresh_token")), true);
            assertRefused(onB.whoami(next.string("access_token")), true);
        }
    }

    @Test
    void concurrentRefreshesOfOneTokenOnTwoInstancesStayConsistent() throws Exception {
        String user = user();
        Reply login = login(onA, user, "TWIN");
        String refreshToken = login.string("refresh_token");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Reply>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                MatrixClient client = i % 2 == 0 ? onA : onB;
                results.add(pool.submit(() -> {
                    go.await();
                    return client.refresh(refreshToken);
                }));
            }
            go.countDown();
            Set<String> pairs = new HashSet<>();
            for (Future<Reply> result : results) {
                Reply reply = result.get();
                if (reply.status() == 200) {
                    pairs.add(reply.string("access_token") + " " + reply.string("refresh_token"));
                } else {
                    assertRefused(reply, true);
                }
            }
            assertEquals(1, pairs.size(), "one successor pair, whichever instance answered");
            String access = pairs.iterator().next().split(" ")[0];
            assertEquals(200, onB.whoami(access).status());
            assertEquals(200, onA.whoami(access).status());
            assertFalse(onA.refresh(refreshToken).status() == 200, "the old token is revoked after use");
        } finally {
            pool.shutdownNow();
        }
        assertTrue(a.output().contains("Token cache invalidation through the data grid"), a.output());
    }
}
