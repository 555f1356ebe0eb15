package org.turnkey.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer figures of issue 22 (docs/performance.md): Turnkey against a real Keycloak that
 * run.sh starts beside it on the same PostgreSQL (src/bench/keycloak.sh), measured with the
 * same load generator and the same CPU accounting, the two sides interleaved round by round so
 * a drift in the machine's speed hits both alike. Each figure is a ratio of requests per
 * CPU-second (server JVM plus PostgreSQL), which the other work on a shared machine moves less
 * than it moves rates.
 * <ul>
 * <li>P2-peer: Turnkey {@code /refresh} ÷ Keycloak's refresh_token grant, 8 independent chains,
 * Keycloak with refresh-token rotation (realm bench-rotate: revoke refresh token, max reuse 0)
 * and, as P2-peer-def, with its defaults (realm bench).</li>
 * <li>P3-peer: each server's password logins ÷ its own raw hash rate at its default parameters
 * (Turnkey: P3; Keycloak: the algorithm and parameters of the credential it stored, hashed by
 * {@link HashProbe} on Keycloak's JDK), Turnkey's quotient ÷ Keycloak's.</li>
 * <li>whoami-peer: Turnkey {@code whoami} ÷ Keycloak {@code userinfo}, the per-request token check;
 * whoami-ceil: Turnkey's unauthenticated {@code /versions} ÷ the same userinfo, the most any
 * token check on Turnkey's HTTP stack could reach.</li>
 * </ul>
 */
final class Peer {

    interface Rows {
        void row(String figure, String value, double ratio, String goal, boolean met);
    }

    interface Warmup {
        void warmUp(String name, Function<Duration, Load.Result> round);
    }

    interface TurnkeyLogin {
        String login(int user, String deviceId, boolean refresh) throws IOException;
    }

    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    private static final String VERSIONS = "/_matrix/client/versions";
    private static final String REFRESH = "/_matrix/client/v3/refresh";
    /** src/bench/keycloak: Keycloak's defaults, and refresh-token rotation. */
    private static final String REALM = "bench";
    private static final String REALM_ROTATE = "bench-rotate";
    /** The users' password in the realm files (a throwaway server on loopback). */
    private static final String PASSWORD = "bench-password";
    private static final String CLIENT = "bench";
    private static final long MAX_REQUESTS = 5_000_000;
    /** Interleaved rounds per side. */
    private static final int ROUNDS = 3;
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI turnkey;
    private final Cpu turnkeyCpu;
    private final URI keycloak;
    private final Cpu keycloakCpu;
    private final String keycloakJava;
    private final String keycloakDbUrl;
    private final String skipped;
    private final Duration measure;
    private final int connections;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private final Warmup warmup;
    private final Rows rows;
    private final TurnkeyLogin turnkeyLogin;

    Peer(URI turnkey, Cpu turnkeyCpu, long dbPid, Map<String, String> args, Duration measure, int connections,
         Warmup warmup, Rows rows, TurnkeyLogin turnkeyLogin) {
        this.turnkey = turnkey;
        this.turnkeyCpu = turnkeyCpu;
        this.keycloak = args.containsKey("keycloak-url") ? URI.create(args.get("keycloak-url")) : null;
        this.keycloakCpu = new Cpu(Long.parseLong(args.getOrDefault("keycloak-pid", "0")), dbPid);
        this.keycloakJava = args.getOrDefault("keycloak-java", "java");
        this.keycloakDbUrl = args.getOrDefault("keycloak-db-url", "");
        this.skipped = keycloak != null ? null : args.getOrDefault("keycloak-skipped", "Keycloak not started (no --keycloak-url)");
        this.measure = measure;
        this.connections = connections;
        this.warmup = warmup;
        this.rows = rows;
        this.turnkeyLogin = turnkeyLogin;
    }

    /** False, with a row that says why, when run.sh found no Keycloak to compare with. */
    boolean available(String figure) {
        if (skipped != null) {
            System.out.println(figure + " skipped: " + skipped);
            rows.row(figure, "skipped: " + skipped, Double.NaN, "", false);
        }
        return skipped == null;
    }

    // ---- P2-peer ----

    void refresh() throws IOException {
        List<Load.Step> tk = new ArrayList<>();
        List<Load.Step> rotate = new ArrayList<>();
        List<Load.Step> defaults = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            tk.add(turnkeyChain(i));
            rotate.add(keycloakChain(REALM_ROTATE, i));
            defaults.add(keycloakChain(REALM, i));
        }
        warmup.warmUp("Turnkey refresh", limit -> Load.run("warm-up Turnkey refresh", tk, limit, MAX_REQUESTS, turnkeyCpu));
        warmup.warmUp("Keycloak refresh, rotation", limit -> Load.run("warm-up Keycloak refresh (rotation)", rotate, limit,
                MAX_REQUESTS, keycloakCpu));
        warmup.warmUp("Keycloak refresh, defaults", limit -> Load.run("warm-up Keycloak refresh (defaults)", defaults, limit,
                MAX_REQUESTS, keycloakCpu));
        Load.Result[] t = new Load.Result[ROUNDS];
        Load.Result[] r = new Load.Result[ROUNDS];
        Load.Result[] d = new Load.Result[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            t[round] = report(Load.run("P2-peer Turnkey refresh", tk, measure, MAX_REQUESTS, turnkeyCpu));
            r[round] = report(Load.run("P2-peer Keycloak refresh (rotation)", rotate, measure, MAX_REQUESTS, keycloakCpu));
            d[round] = report(Load.run("P2-peer Keycloak refresh (defaults)", defaults, measure, MAX_REQUESTS, keycloakCpu));
        }
        ratioRow("P2-peer", "refresh", t, "Keycloak rotation", r, 3);
        ratioRow("P2-peer-def", "refresh", t, "Keycloak defaults", d, 3);
    }

    private Load.Step turnkeyChain(int user) throws IOException {
        HttpConnection c = new HttpConnection(turnkey);
        String[] latest = {field(turnkeyLogin.login(user, "PEERCHAIN", true), "refresh_token")};
        return () -> {
            HttpConnection.Response r = c.post(REFRESH, "{\"refresh_token\":\"" + latest[0] + "\"}");
            return next(r, latest);
        };
    }

    /** One refresh_token chain of Keycloak's user bench-N: always the newest refresh token, as Turnkey's. */
    private Load.Step keycloakChain(String realm, int user) throws IOException {
        HttpConnection c = new HttpConnection(keycloak);
        String[] latest = {field(keycloakLogin(realm, user, false), "refresh_token")};
        String path = tokenPath(realm);
        return () -> next(c.postForm(path, "grant_type=refresh_token&client_id=" + CLIENT + "&refresh_token=" + latest[0]), latest);
    }

    private static int next(HttpConnection.Response r, String[] latest) throws IOException {
        if (r.status() == 200) {
            Matcher m = REFRESH_TOKEN.matcher(r.body());
            if (!m.find()) {
                throw new IOException("Refresh answered 200 without a refresh_token");
            }
            latest[0] = m.group(1);
        }
        return r.status();
    }

    // ---- P3-peer ----

    /**
     * Keycloak's logins ÷ its raw hashes, against Turnkey's P3 quotient ({@code turnkeyRounds}:
     * P3's login ÷ raw hash rate, round by round).
     */
    void login(double[] turnkeyRounds, String turnkeyHash) throws Exception {
        String[] hash = keycloakHash();
        String described = hash[0] + " t=" + hash[1] + (hash[0].startsWith("argon2") ? ",m=" + hash[2] + ",p=" + hash[3] : "");
        System.out.println("Keycloak's stored password hash: " + described + ", " + hash[4] + " bytes (Keycloak's JDK: " + keycloakJava + ")");
        List<Load.Step> logins = new ArrayList<>();
        for (int i = 0; i < 2 * cores; i++) {
            HttpConnection c = new HttpConnection(keycloak);
            String body = loginForm(i, false);
            String path = tokenPath(REALM);
            logins.add(() -> c.postForm(path, body).status());
        }
        warmup.warmUp("Keycloak login", limit -> Load.run("warm-up Keycloak login", logins, limit, MAX_REQUESTS, keycloakCpu));
        double[] login = new double[ROUNDS];
        double[] raw = new double[ROUNDS];
        double loginCpu = 0;
        double rawCpu = 0;
        for (int round = 0; round < ROUNDS; round++) {
            double[] probe = rawHashes(hash);
            raw[round] = probe[0] / probe[1];
            rawCpu += probe[2] / probe[0] / ROUNDS;
            System.out.printf("P3-peer raw %s on Keycloak's JDK      %8.0f hashes in %5.1f s = %8.1f/s, %.1f ms CPU each (%d threads)%n",
                    described, probe[0], probe[1], raw[round], probe[2] / probe[0] * 1000, cores);
            Load.Result l = report(Load.run("P3-peer Keycloak login", logins, measure, MAX_REQUESTS, keycloakCpu));
            login[round] = l.okPerSecond();
            loginCpu += l.cpu().server() / l.okPerSecond() / ROUNDS;
        }
        double[] keycloakRounds = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            keycloakRounds[i] = login[i] / raw[i];
        }
        double turnkeyRatio = mean(turnkeyRounds);
        double keycloakRatio = mean(login) / mean(raw);
        double ratio = turnkeyRatio / keycloakRatio;
        rows.row("P3-peer", String.format("login/raw hash: Turnkey %.2f (%s; rounds %s), Keycloak %.2f = %.1f/s / %.1f/s "
                        + "(%s; %.1f ms server CPU per login, %.1f per raw hash; rounds %s)",
                turnkeyRatio, turnkeyHash, spread(turnkeyRounds), keycloakRatio, mean(login), mean(raw), described,
                loginCpu * 1000, rawCpu * 1000, spread(keycloakRounds)), ratio, ">= 1", ratio >= 1);
    }

    /** [algorithm, iterations, memory KiB, parallelism, hash bytes] of the password Keycloak stored for bench-0. */
    private String[] keycloakHash() throws Exception {
        try (Connection c = DriverManager.getConnection(keycloakDbUrl, "turnkey", "turnkey");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.credential_data FROM credential c JOIN user_entity u ON u.id = c.user_id "
                     + "JOIN realm r ON r.id = u.realm_id WHERE r.name = '" + REALM + "' AND u.username = 'bench-0' AND c.type = 'password'")) {
            if (!rs.next()) {
                throw new IllegalStateException("No password credential for bench-0 in Keycloak's database");
            }
            String data = rs.getString(1);
            String algorithm = match(data, "\"algorithm\"\\s*:\\s*\"([^\"]+)\"", null);
            String iterations = match(data, "\"hashIterations\"\\s*:\\s*(\\d+)", null);
            if (algorithm.equals("argon2")) {
                algorithm = "argon2" + match(data, "\"type\"\\s*:\\s*\\[\\s*\"([^\"]+)\"", "id");
                return new String[] {algorithm, iterations, match(data, "\"memory\"\\s*:\\s*\\[\\s*\"(\\d+)\"", "7168"),
                    match(data, "\"parallelism\"\\s*:\\s*\\[\\s*\"(\\d+)\"", "1"), match(data, "\"hashLength\"\\s*:\\s*\\[\\s*\"(\\d+)\"", "32")};
            }
            // Keycloak's PBKDF2 derives 512 bits unless configured otherwise.
            return new String[] {algorithm, iterations, "0", "1", "64"};
        }
    }

    /** {hashes, seconds, CPU-seconds} of one raw round in a JVM of Keycloak's JDK, one thread per core. */
    private double[] rawHashes(String[] hash) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(keycloakJava, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                HashProbe.class.getName(), hash[0], hash[1], hash[2], hash[3], hash[4], Integer.toString(cores), "3",
                Long.toString(measure.toSeconds())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("Hash probe failed: " + out);
        }
        return Arrays.stream(out.split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    // ---- whoami-peer ----

    void whoami() throws IOException {
        String tkToken = field(turnkeyLogin.login(0, "PEERWHOAMI", false), "access_token");
        // userinfo needs the openid scope.
        String kcToken = field(keycloakLogin(REALM, 0, true), "access_token");
        String userinfo = "/realms/" + REALM + "/protocol/openid-connect/userinfo";
        List<Load.Step> tk = steps(turnkey, c -> () -> c.get(WHOAMI, tkToken).status());
        List<Load.Step> kc = steps(keycloak, c -> () -> c.get(userinfo, kcToken).status());
        // The ceiling: Turnkey's cheapest request, no token at all, through the same Payara and
        // Jersey. No token check can make whoami cheaper than this, so this ratio bounds
        // whoami-peer whatever Turnkey's own code does.
        List<Load.Step> tv = steps(turnkey, c -> () -> c.get(VERSIONS, null).status());
        warmup.warmUp("Turnkey whoami", limit -> Load.run("warm-up Turnkey whoami", tk, limit, MAX_REQUESTS, turnkeyCpu));
        warmup.warmUp("Turnkey versions", limit -> Load.run("warm-up Turnkey versions", tv, limit, MAX_REQUESTS, turnkeyCpu));
        warmup.warmUp("Keycloak userinfo", limit -> Load.run("warm-up Keycloak userinfo", kc, limit, MAX_REQUESTS, keycloakCpu));
        Load.Result[] t = new Load.Result[ROUNDS];
        Load.Result[] v = new Load.Result[ROUNDS];
        Load.Result[] k = new Load.Result[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            t[round] = report(Load.run("whoami-peer Turnkey whoami", tk, measure, MAX_REQUESTS, turnkeyCpu));
            v[round] = report(Load.run("whoami-peer Turnkey versions", tv, measure, MAX_REQUESTS, turnkeyCpu));
            k[round] = report(Load.run("whoami-peer Keycloak userinfo", kc, measure, MAX_REQUESTS, keycloakCpu));
        }
        ratioRow("whoami-peer", "whoami", t, "Keycloak userinfo", k, 5);
        ratioRow("whoami-ceil", "/versions (no token)", v, "Keycloak userinfo", k, Double.NaN);
    }

    // ---- helpers ----

    /** Requests per CPU-second of server plus PostgreSQL, Turnkey's ÷ Keycloak's, with the per-round range. */
    private void ratioRow(String figure, String what, Load.Result[] t, String peer, Load.Result[] k, double goal) {
        double[] rounds = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            rounds[i] = perCpuSecond(t[i]) / perCpuSecond(k[i]);
        }
        double tk = mean(t, Peer::perCpuSecond);
        double kc = mean(k, Peer::perCpuSecond);
        double ratio = tk / kc;
        rows.row(figure, String.format("Turnkey %s %.0f/CPU-s (%.0f/s, %.2f+%.2f cores), %s %.0f/CPU-s (%.0f/s, %.2f+%.2f cores); rounds %s",
                        what, tk, mean(t, Load.Result::okPerSecond), mean(t, r -> r.cpu().server()), mean(t, r -> r.cpu().db()),
                        peer, kc, mean(k, Load.Result::okPerSecond), mean(k, r -> r.cpu().server()), mean(k, r -> r.cpu().db()),
                        spread(rounds)),
                ratio, Double.isNaN(goal) ? "(no goal)" : String.format(">= %.0f", goal), Double.isNaN(goal) || ratio >= goal);
    }

    /** Requests per CPU-second of the server JVM plus PostgreSQL. */
    static double perCpuSecond(Load.Result r) {
        return r.okPerSecond() / (r.cpu().server() + r.cpu().db());
    }

    private static double mean(Load.Result[] results, java.util.function.ToDoubleFunction<Load.Result> f) {
        return Arrays.stream(results).mapToDouble(f).average().orElse(Double.NaN);
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static String spread(double[] values) {
        return String.format("%.2f-%.2f", Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN));
    }

    private String keycloakLogin(String realm, int user, boolean openid) throws IOException {
        try (HttpConnection c = new HttpConnection(keycloak)) {
            HttpConnection.Response r = c.postForm(tokenPath(realm), loginForm(user, openid));
            if (r.status() != 200) {
                throw new IllegalStateException("Keycloak login refused: " + r.status() + " " + r.body());
            }
            return r.body();
        }
    }

    private static String loginForm(int user, boolean openid) {
        return "grant_type=password&client_id=" + CLIENT + "&username=bench-" + user + "&password=" + PASSWORD
                + (openid ? "&scope=openid" : "");
    }

    private static String tokenPath(String realm) {
        return "/realms/" + realm + "/protocol/openid-connect/token";
    }

    private List<Load.Step> steps(URI base, Function<HttpConnection, Load.Step> step) {
        List<Load.Step> steps = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            steps.add(step.apply(new HttpConnection(base)));
        }
        return steps;
    }

    private static String match(String text, String regex, String otherwise) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (m.find()) {
            return m.group(1);
        }
        if (otherwise == null) {
            throw new IllegalStateException("No " + regex + " in " + text);
        }
        return otherwise;
    }

    private static String field(String json, String name) {
        return match(json, "\"" + name + "\"\\s*:\\s*\"([^\"]*)\"", null);
    }

    private static Load.Result report(Load.Result result) {
        System.out.println(result.summary());
        return result;
    }
}
