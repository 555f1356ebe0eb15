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

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;
import static org.turnkey.support.SessionAsserts.assertSoftLogout;

/**
 * Refreshes as a real network delivers them (spec "Refreshing access tokens": "the old refresh
 * token remains valid until the new access token or refresh token is used, at which point it is
 * revoked"): retries and concurrent duplicates, responses lost mid-flight, duplicates that reach
 * the server after the client already used the new pair, and logins and logouts of the same
 * device at the same time. The server runs with the default settings, so the duplicate allowance
 * is the default 5 s that operators get.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RefreshRaceIT {

    private static final String NAME = "race";
    private static final String PASSWORD = "correct horse battery";
    private static final long SEED = Long.getLong("turnkey.it.seed", 20261202L);

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of("turnkey.registration.enabled", "true"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    String user;

    @BeforeEach
    void registerUser() {
        client = new MatrixClient(base);
        user = unique("race");
        assertEquals(200, client.register(user, PASSWORD).status());
    }

    private Reply login(String deviceId) {
        Reply login = client.loginRefreshable(user, PASSWORD, deviceId);
        assertEquals(200, login.status(), login.toString());
        return login;
    }

    @Test
    void duplicateArrivingRightAfterTheNewPairIsUsedIsRefusedWithoutRevokingTheDevice() {
        Reply login = login("DUP");
        Reply first = client.refresh(login.string("refresh_token"));
        assertEquals(200, first.status(), first.toString());
        assertEquals(200, client.whoami(first.string("access_token")).status());

        assertSoftLogout(client.refresh(login.string("refresh_token")));

        assertEquals(200, client.whoami(first.string("access_token")).status(), "the new pair still works");
        Reply next = client.refresh(first.string("refresh_token"));
        assertEquals(200, next.status(), "and refreshes: " + next);
        assertEquals(200, client.whoami(next.string("access_token")).status());
    }

    @Test
    void replayAfterTheAllowanceRevokesEveryTokenOfTheDeviceButKeepsIt() throws InterruptedException {
        Reply login = login("LATE");
        Reply legit = client.refresh(login.string("refresh_token"));
        assertEquals(200, client.whoami(legit.string("access_token")).status());
        TimeUnit.MILLISECONDS.sleep(5_500);

        assertSoftLogout(client.refresh(login.string("refresh_token")));

        assertSoftLogout(client.whoami(legit.string("access_token")));
        assertSoftLogout(client.refresh(legit.string("refresh_token")));
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM devices WHERE user_id = ? AND device_id = ?",
                "@" + user + ":localhost", "LATE"), "the device and its keys survive");
    }

    /**
     * 100 devices, 5 rounds each. A round sends the device's refresh token four times at once;
     * one of them is written on a raw socket that is closed without reading the answer (a
     * response lost mid-flight). The client uses the first pair it receives at once, and right
     * after that use a retry of the old token, delayed in the network, reaches the server. No
     * device may lose its session, and nothing may answer 5xx.
     */
    @Test
    void lostResponsesAndLateDuplicatesNeverLockADeviceOut() throws Exception {
        int devices = 100;
        int rounds = 5;
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger serverErrors = new AtomicInteger();
        AtomicInteger duplicatesRefused = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        ExecutorService senders = Executors.newCachedThreadPool();
        try {
            List<Future<String[]>> chains = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                String deviceId = "RACE" + d;
                Random random = new Random(SEED + d);
                chains.add(pool.submit(() -> {
                    Reply login = login(deviceId);
                    String access = login.string("access_token");
                    String refresh = login.string("refresh_token");
                    for (int round = 0; round < rounds; round++) {
                        String old = refresh;
                        List<CompletableFuture<Reply>> sent = new ArrayList<>();
                        int lost = random.nextInt(4);
                        for (int i = 0; i < 4; i++) {
                            requests.incrementAndGet();
                            if (i == lost) {
                                senders.submit(() -> refreshAndHangUp(old));
                            } else {
                                sent.add(CompletableFuture.supplyAsync(() -> client.refresh(old), senders));
                            }
                        }
                        Reply received = (Reply) CompletableFuture.anyOf(sent.toArray(CompletableFuture[]::new)).get();
                        if (received.status() != 200) {
                            // Only a duplicate can be refused, and only once a sibling was used.
                            failures.add(deviceId + " round " + round + ": first answer " + received);
                            return new String[]{access, refresh};
                        }
                        access = received.string("access_token");
                        refresh = received.string("refresh_token");
                        requests.incrementAndGet();
                        Reply used = client.whoami(access);
                        if (used.status() != 200) {
                            failures.add(deviceId + " round " + round + ": new pair refused " + used);
                        }
                        requests.incrementAndGet();
                        Reply late = client.refresh(old);
                        count(late, serverErrors, duplicatesRefused);
                        for (CompletableFuture<Reply> other : sent) {
                            count(other.get(), serverErrors, duplicatesRefused);
                        }
                    }
                    return new String[]{access, refresh};
                }));
            }
            int lockedOut = 0;
            for (int d = 0; d < devices; d++) {
                String[] held = chains.get(d).get(3, TimeUnit.MINUTES);
                Reply who = client.whoami(held[0]);
                Reply next = client.refresh(held[1]);
                if (who.status() != 200 || next.status() != 200) {
                    lockedOut++;
                    failures.add("RACE" + d + " locked out: whoami " + who + ", refresh " + next);
                }
            }
            System.out.printf("RefreshRaceIT: %d devices x %d rounds, %d requests, %d duplicates refused,"
                            + " %d locked out, %d server errors (seed %d)%n", devices, rounds, requests.get(),
                    duplicatesRefused.get(), lockedOut, serverErrors.get(), SEED);
            assertEquals(0, serverErrors.get(), "no 5xx");
            assertTrue(failures.isEmpty(), String.join("\n", failures));
            assertEquals(0, lockedOut);
        } finally {
            pool.shutdownNow();
            senders.shutdownNow();
        }
    }

    /** A duplicate is answered with the same pair (before the use) or a soft logout (after it). */
    private static void count(Reply reply, AtomicInteger serverErrors, AtomicInteger refused) {
        if (reply.status() >= 500) {
            serverErrors.incrementAndGet();
        } else if (reply.status() != 200) {
            assertSoftLogout(reply);
            refused.incrementAndGet();
        }
    }

    /** Sends a refresh and closes the connection without reading: the response is lost. */
    private void refreshAndHangUp(String refreshToken) {
        byte[] body = Json.createObjectBuilder().add("refresh_token", refreshToken).build().toString()
                .getBytes(StandardCharsets.UTF_8);
        String head = "POST /_matrix/client/v3/refresh HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Eight clients on one device at once, each looping: log in again on it, refresh its chain
     * twice (with a duplicate of each refresh), use the new pair, and now and then log out. Every
     * one of these writes the device's tokens; on either database none may deadlock or answer 5xx.
     */
    @Test
    void concurrentRefreshesLoginsAndLogoutsOfOneDeviceNeverAnswer5xx() throws Exception {
        int clients = 8;
        int iterations = 25;
        AtomicInteger requests = new AtomicInteger();
        ConcurrentLinkedQueue<String> serverErrors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients * 2);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Random random = new Random(SEED * 31 + c);
                running.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < iterations; i++) {
                        Reply login = check(client.login(user, PASSWORD, Json.createObjectBuilder()
                                .add("refresh_token", true).add("device_id", "HOT").build()), requests, serverErrors);
                        if (login.status() != 200) {
                            continue;
                        }
                        String access = login.string("access_token");
                        String refresh = login.string("refresh_token");
                        for (int step = 0; step < 2; step++) {
                            String old = refresh;
                            Future<Reply> duplicate = pool.submit(() -> client.refresh(old));
                            Reply next = check(client.refresh(old), requests, serverErrors);
                            check(duplicate.get(), requests, serverErrors);
                            if (next.status() != 200) {
                                break;
                            }
                            access = next.string("access_token");
                            refresh = next.string("refresh_token");
                            check(client.whoami(access), requests, serverErrors);
                        }
                        if (random.nextInt(4) == 0) {
                            check(client.post("/_matrix/client/v3/logout", JsonValue.EMPTY_JSON_OBJECT, access),
                                    requests, serverErrors);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("RefreshRaceIT: %d requests on one device, %d server errors%n", requests.get(),
                serverErrors.size());
        assertTrue(serverErrors.isEmpty(), String.join("\n", serverErrors));
        Reply after = login("HOT");
        assertEquals(200, client.whoami(after.string("access_token")).status(), "the device works afterwards");
    }

    private static Reply check(Reply reply, AtomicInteger requests, ConcurrentLinkedQueue<String> serverErrors) {
        requests.incrementAndGet();
        if (reply.status() >= 500) {
            serverErrors.add(reply.toString());
        } else if (reply.status() != 200) {
            JsonObject json = reply.json();
            assertFalse(json.getString("errcode", "").isEmpty(), "a Matrix error: " + reply);
        }
        return reply;
    }
}
