package org.turnkey.persistence;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.PayaraProcess;
import org.turnkey.support.TestPostgres;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 200 means durable: 20 clients register, log in, ask for login tokens and rotate refresh
 * tokens against a real Payara Micro process, which is killed with SIGKILL in the middle of that
 * load and started again on the same data, {@value #ROUNDS} times. Everything a client had been
 * answered 200 for before the kill must still work afterwards: each registered account (its
 * password and its first access token), each access token from a password login, each login
 * token, and the newest access and refresh token of each refresh chain (the chain must go on from
 * the newest refresh token the client received, even when a refresh the client never saw the
 * answer to was committed). The first failsafe run uses the embedded H2 database exactly as the
 * run command configures it (only {@code TURNKEY_DATA_DIR}, the WAR's default URL), the
 * {@code postgresql} run a real PostgreSQL server.
 */
class KillDashNineIT {

    private static final String PASSWORD = "correct horse battery";
    private static final int ROUNDS = Integer.getInteger("turnkey.it.kill-rounds", 2);
    private static final int CHAINS = 8;
    private static final int REGISTRARS = 4;
    private static final int LOGINS = 4;
    private static final int LOGIN_TOKENS = 4;
    private static final int SIGKILL_STATUS = 128 + 9;

    private final Random random = new Random(Long.getLong("turnkey.it.kill-seed", 17));
    private final AtomicInteger names = new AtomicInteger();
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

    /** One thing the server answered 200 for, and when the client received that answer. */
    private abstract static class Item {
        final long acknowledgedNanos = System.nanoTime();

        abstract String kind();

        /** Whether it still works on the restarted server; may move the client's state on. */
        abstract boolean verify(MatrixClient client);
    }

    private static final class Account extends Item {
        final String user;
        final String accessToken;

        Account(String user, String accessToken) {
            this.user = user;
            this.accessToken = accessToken;
        }

        String kind() {
            return "registration";
        }

        boolean verify(MatrixClient client) {
            return client.whoami(accessToken).status() == 200 && client.login(user, PASSWORD).status() == 200;
        }
    }

    private static final class Login extends Item {
        final String accessToken;

        Login(String accessToken) {
            this.accessToken = accessToken;
        }

        String kind() {
            return "password login";
        }

        boolean verify(MatrixClient client) {
            return client.whoami(accessToken).status() == 200;
        }
    }

    private static final class LoginToken extends Item {
        final String token;
        volatile boolean redeemed;

        LoginToken(String token) {
            this.token = token;
        }

        String kind() {
            return "login token";
        }

        boolean verify(MatrixClient client) {
            Reply login = client.post("/_matrix/client/v3/login", Json.createObjectBuilder()
                    .add("type", "m.login.token").add("token", token).build());
            redeemed = true;
            return login.status() == 200 && client.whoami(login.string("access_token")).status() == 200;
        }
    }

    /** The newest pair of one refresh chain the client was answered with. */
    private static final class Chain extends Item {
        final String accessToken;
        final String refreshToken;
        final List<Chain> history;

        Chain(String accessToken, String refreshToken, List<Chain> history) {
            this.accessToken = accessToken;
            this.refreshToken = refreshToken;
            this.history = history;
        }

        String kind() {
            return "refresh chain";
        }

        boolean verify(MatrixClient client) {
            if (client.whoami(accessToken).status() != 200) {
                return false;
            }
            Reply next = client.refresh(refreshToken);
            if (next.status() != 200 || client.whoami(next.string("access_token")).status() != 200) {
                return false;
            }
            history.add(new Chain(next.string("access_token"), next.string("refresh_token"), history));
            return true;
        }
    }

    /** What the clients were answered 200 for, across rounds. */
    private final ConcurrentLinkedQueue<Account> accounts = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Login> logins = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<LoginToken> loginTokens = new ConcurrentLinkedQueue<>();
    private final List<List<Chain>> chains = new ArrayList<>();
    /** Accounts the login and login-token clients use, made in the first round. */
    private final List<String> loginUsers = new ArrayList<>();
    private final List<String> tokenUsers = new ArrayList<>();

    @Test
    void everyAcknowledgedTokenSurvivesKillDashNine() throws Exception {
        long started = System.nanoTime();
        String database = TestPostgres.enabled() ? "PostgreSQL" : "H2";
        File data = PayaraProcess.dataDir("kill9");
        Map<String, String> env = environment(data);
        for (int i = 0; i < CHAINS; i++) {
            chains.add(new CopyOnWriteArrayList<>());
        }
        PayaraProcess payara = start(env, data, 0);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                MatrixClient client = payara.client();
                if (round == 1) {
                    prepare(client);
                }
                int[] before = counts();
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService load = Executors.newFixedThreadPool(CHAINS + REGISTRARS + LOGINS + LOGIN_TOKENS);
                List<Future<?>> clients = startLoad(load, client, stop);
                // Under load for a few seconds, and until every kind of request has been answered.
                long loadFor = 2000 + random.nextInt(3000);
                awaitLoad(round, loadFor);
                long pid = payara.pid();
                String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
                assertTrue(cmdline.contains("payara-micro"), "the PID is Payara's JVM itself: " + cmdline.replace('\0', ' '));
                int status = payara.killDashNine();
                long killed = System.nanoTime();
                stop.set(true);
                assertEquals(SIGKILL_STATUS, status, "Payara Micro ended by SIGKILL");
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "PID " + pid + " is gone");
                for (Future<?> c : clients) {
                    c.get(60, TimeUnit.SECONDS);
                }
                load.shutdown();
                int[] during = counts();
                for (int i = 0; i < during.length; i++) {
                    during[i] -= before[i];
                }

                long restarting = System.nanoTime();
                payara = start(env, data, round);
                long verifying = System.nanoTime();
                List<String> lost = verify(payara.client(), killed);
                System.out.printf("KillDashNineIT %s round %d: acknowledged under load before SIGKILL (at least %d ms of it):"
                                + " %d refreshes, %d registrations, %d password logins, %d login tokens;"
                                + " checked after the restart: %d registrations, %d password logins, %d login tokens,"
                                + " %d refresh chains; lost: %d; restart %d s, checks %d s%n",
                        database, round, loadFor, during[0], during[1], during[2], during[3],
                        checkedAccounts, checkedLogins, checkedTokens, CHAINS, lost.size(),
                        seconds(verifying - restarting), seconds(System.nanoTime() - verifying));
                assertTrue(lost.isEmpty(), database + ", round " + round + ": acknowledged before the kill and lost: " + lost);
            }
        } finally {
            payara.close();
            for (int instance = 0; instance <= ROUNDS; instance++) {
                deleteTree(rootDir(data, instance).toPath());
            }
        }
        if (!TestPostgres.enabled()) {
            assertTrue(new File(data, "turnkey.mv.db").isFile(), "the default H2 file under TURNKEY_DATA_DIR");
        }
        System.out.printf("KillDashNineIT %s: %d rounds in %d s%n", database, ROUNDS,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    /** H2 as the run command configures it (the WAR's default URL), or a fresh PostgreSQL database. */
    private static Map<String, String> environment(File data) {
        Map<String, String> env = new HashMap<>();
        env.put("TURNKEY_DATA_DIR", data.getPath());
        if (TestPostgres.enabled()) {
            env.put("TURNKEY_DB_URL", TestPostgres.createDatabase("kill9"));
            env.put("TURNKEY_DB_USER", TestPostgres.USER);
            env.put("TURNKEY_DB_PASSWORD", TestPostgres.USER);
        }
        env.put("TURNKEY_REGISTRATION_ENABLED", "true");
        // Every client is 127.0.0.1, and each login-token client asks for one every few hundred ms.
        env.put("TURNKEY_RATELIMIT_ENABLED", "false");
        // Login tokens acknowledged before the kill are checked after a restart, which can take minutes here.
        env.put("TURNKEY_LOGIN_TOKEN_LIFETIME", "PT15M");
        return env;
    }

    /**
     * Payara Micro on a root directory of its own, which the test deletes at the end: a killed
     * instance cannot delete its temporary one (Payara's runtime, over 100 MB).
     */
    private static PayaraProcess start(Map<String, String> env, File data, int instance) {
        return PayaraProcess.start(env, List.of("--nocluster", "--rootdir", rootDir(data, instance).getPath()));
    }

    private static File rootDir(File data, int instance) {
        return new File(data.getParentFile(), data.getName() + "-payara-" + instance);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void prepare(MatrixClient client) {
        for (int i = 0; i < LOGINS; i++) {
            loginUsers.add(register(client).user);
        }
        for (int i = 0; i < LOGIN_TOKENS; i++) {
            tokenUsers.add(register(client).user);
        }
        for (List<Chain> chain : chains) {
            Reply login = client.login(register(client).user, PASSWORD, MatrixClient.withRefresh());
            assertEquals(200, login.status(), login.toString());
            chain.add(new Chain(login.string("access_token"), login.string("refresh_token"), chain));
        }
    }

    private Account register(MatrixClient client) {
        String user = "k" + run + "x" + names.incrementAndGet();
        Reply reply = client.register(user, PASSWORD);
        assertEquals(200, reply.status(), reply.toString());
        Account account = new Account(user, reply.string("access_token"));
        accounts.add(account);
        return account;
    }

    private List<Future<?>> startLoad(ExecutorService load, MatrixClient client, AtomicBoolean stop) {
        List<Future<?>> clients = new ArrayList<>();
        for (List<Chain> chain : chains) {
            clients.add(load.submit(until(stop, () -> {
                Chain newest = chain.get(chain.size() - 1);
                Reply next = client.refresh(newest.refreshToken);
                if (next.status() == 200) {
                    chain.add(new Chain(next.string("access_token"), next.string("refresh_token"), chain));
                    return true;
                }
                return false;
            })));
        }
        for (int i = 0; i < REGISTRARS; i++) {
            clients.add(load.submit(until(stop, () -> {
                String user = "k" + run + "x" + names.incrementAndGet();
                Reply reply = client.register(user, PASSWORD);
                if (reply.status() == 200) {
                    accounts.add(new Account(user, reply.string("access_token")));
                }
                return true;
            })));
        }
        for (String user : loginUsers) {
            clients.add(load.submit(until(stop, () -> {
                Reply reply = client.login(user, PASSWORD);
                if (reply.status() == 200) {
                    logins.add(new Login(reply.string("access_token")));
                }
                return true;
            })));
        }
        for (String user : tokenUsers) {
            String session = client.login(user, PASSWORD).string("access_token");
            clients.add(load.submit(until(stop, () -> {
                Reply token = loginToken(client, user, session);
                if (token.status() == 200) {
                    loginTokens.add(new LoginToken(token.string("login_token")));
                }
                return true;
            })));
        }
        return clients;
    }

    /** POST /login/get_token, completing its user-interactive auth with the password. */
    private static Reply loginToken(MatrixClient client, String user, String accessToken) {
        String path = "/_matrix/client/v1/login/get_token";
        Reply challenge = client.post(path, Json.createObjectBuilder().build(), accessToken);
        if (challenge.status() != 401) {
            return challenge;
        }
        JsonObject auth = Json.createObjectBuilder()
                .add("type", "m.login.password")
                .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", user))
                .add("password", PASSWORD)
                .add("session", challenge.string("session"))
                .build();
        return client.post(path, Json.createObjectBuilder().add("auth", auth).build(), accessToken);
    }

    /**
     * Repeats a client's step until the server is killed: a request that fails on the connection
     * (the process is gone) ends the client, as does a refresh chain that was refused.
     */
    private static Runnable until(AtomicBoolean stop, Supplier<Boolean> step) {
        return () -> {
            while (!stop.get()) {
                try {
                    if (!step.get()) {
                        return;
                    }
                } catch (IllegalStateException connectionLost) {
                    return;
                }
            }
        };
    }

    private void awaitLoad(int round, long loadFor) throws InterruptedException {
        int accountsBefore = accounts.size();
        int loginsBefore = logins.size();
        int tokensBefore = loginTokens.size();
        int refreshesBefore = refreshes();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Thread.sleep(loadFor);
        while (accounts.size() == accountsBefore || logins.size() == loginsBefore
                || loginTokens.size() == tokensBefore || refreshes() == refreshesBefore) {
            assertTrue(System.nanoTime() < deadline, "round " + round + ": every kind of request answered within 90 s");
            Thread.sleep(100);
        }
    }

    private int checkedAccounts;
    private int checkedLogins;
    private int checkedTokens;

    /** Checks every acknowledged item on the restarted server; returns the lost ones, without their secrets. */
    private List<String> verify(MatrixClient client, long killed) throws Exception {
        List<Item> items = new ArrayList<>(accounts);
        items.addAll(logins);
        List<LoginToken> unredeemed = loginTokens.stream().filter(t -> !t.redeemed).toList();
        items.addAll(unredeemed);
        for (List<Chain> chain : chains) {
            items.add(chain.get(chain.size() - 1));
        }
        checkedAccounts = accounts.size();
        checkedLogins = logins.size();
        checkedTokens = unredeemed.size();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (Item item : items) {
                results.add(pool.submit(() -> item.verify(client)));
            }
            List<String> lost = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (!results.get(i).get(2, TimeUnit.MINUTES)) {
                    Item item = items.get(i);
                    lost.add(String.format("%s acknowledged %d ms before the kill", item.kind(),
                            Duration.ofNanos(killed - item.acknowledgedNanos).toMillis()));
                }
            }
            return lost;
        } finally {
            pool.shutdownNow();
        }
    }

    private static long seconds(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }

    /** Acknowledged so far: refreshes (pairs), registrations, password logins, login tokens. */
    private int[] counts() {
        return new int[] {refreshes(), accounts.size(), logins.size(), loginTokens.size()};
    }

    private int refreshes() {
        return chains.stream().mapToInt(List::size).sum();
    }
}
