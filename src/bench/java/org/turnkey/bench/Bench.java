package org.turnkey.bench;

import org.turnkey.account.Argon2id;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures of issue 6 against a running Turnkey on PostgreSQL; {@code src/bench/run.sh}
 * starts both and calls this. Arguments: {@code --url --server-pid --db-url --db-user
 * --db-password --db-pid [--seconds 10] [--sessions 1000000] [--connections 8]
 * [--max-warmup-rounds 60]}. P2-H2 measures a Turnkey on its embedded H2 database instead
 * ({@code --h2-file} names its data file, {@code --h2-write-delay} the WRITE_DELAY in effect);
 * it needs no {@code --db-*}.
 * Prints each measurement, then the table of figures. Timings never fail the run; only a
 * broken setup (a seeded token refused, registration refused) does.
 */
public final class Bench {

    private static final String VERSIONS = "/_matrix/client/versions";
    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    private static final String LOGIN = "/_matrix/client/v3/login";
    private static final String REFRESH = "/_matrix/client/v3/refresh";
    private static final String REGISTER = "/_matrix/client/v3/register";
    /** run.sh's copy of the WAR only (src/bench/probe). */
    private static final String PROBE = "/hash-probe/hash";
    // Turnkey's defaults (turnkey.password.argon2.*), which run.sh leaves unchanged.
    private static final int ARGON2_MEMORY_KIB = 19456;
    private static final int ARGON2_ITERATIONS = 2;
    private static final int ARGON2_PARALLELISM = 1;
    private static final double KEYCLOAK_REFRESHES_PER_VCPU = 120;
    private static final long MAX_REQUESTS = 5_000_000;
    private static final int LATENCY_CONNECTIONS = 4;
    /** Rounds per side, interleaved in P1 and P3, so a drift in the machine's speed hits both sides alike. */
    private static final int ROUNDS = 3;
    /** P3's rounds per side: more than P1's, so one login round that meets a burst of compilation moves the figure little. */
    private static final int HASH_ROUNDS = 5;
    /**
     * P4's rounds per side, of which it takes the median p99: at half load one 10 s round's p99
     * on two shared cores varies severalfold with scheduling and collector pauses, so the figure
     * needs the median of many rounds to say something about the server.
     */
    private static final int LATENCY_ROUNDS = 7;
    private static final Duration PROBE_BEFORE_LOGIN = Duration.ofSeconds(3);
    private static final double JIT_QUIET = 0.03;
    /**
     * Rounds in a row under {@link #JIT_QUIET}: a path served a few dozen times a second (login)
     * is compiled in bursts minutes into its warm-up, and a lull of one or two rounds can sit
     * between two bursts.
     */
    private static final int QUIET_ROUNDS = 3;
    private static final int MAX_WARMUP_ROUNDS = 60;

    private final URI base;
    private final Cpu cpu;
    private final Seeder seeder;
    private final Duration measure;
    private final Duration warmup;
    private final long sessions;
    private final int connections;
    private final List<String> figures;
    private final int maxWarmupRounds;
    private final Path h2File;
    private final String h2WriteDelay;
    /** P4-over: Turnkey's turnkey.access-token-cache.size, and a fixed pace (0: half the over-Zipf saturation). */
    private final int cacheSize;
    private final double overRate;
    private final int cores = Runtime.getRuntime().availableProcessors();
    /** One for every raw round, as Turnkey keeps one, so its memory is reused across rounds too. */
    private final Argon2id rawHasher = new Argon2id(ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, cores);
    private final String password = Base64.getUrlEncoder().encodeToString(new SecureRandom().generateSeed(12));
    /** Each run registers its own accounts, so it can measure a Turnkey that earlier runs used. */
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    private final List<String> rows = new ArrayList<>();
    private final Map<String, String> args;
    private final long dbPid;
    /** P3's login ÷ raw hash rate, round by round, for P3-peer. */
    private double[] p3Rounds = new double[0];
    private final long serverPid;
    /** P6: Turnkey's memory once P4 has 1,000 sessions (null if P4 did not run). */
    private Footprint.Sample footprint1k;

    private Bench(Map<String, String> args) {
        this.args = args;
        base = URI.create(required(args, "url"));
        dbPid = Long.parseLong(args.getOrDefault("db-pid", "0"));
        serverPid = Long.parseLong(args.getOrDefault("server-pid", "0"));
        cpu = new Cpu(Long.parseLong(args.getOrDefault("server-pid", "0")), dbPid);
        seeder = new Seeder(args.getOrDefault("db-url", ""), args.getOrDefault("db-user", "turnkey"),
                args.getOrDefault("db-password", "turnkey"));
        long seconds = Long.parseLong(args.getOrDefault("seconds", "10"));
        measure = Duration.ofSeconds(seconds);
        // The JIT compiles Payara's request path for tens of seconds: measure after that.
        warmup = Duration.ofSeconds(Long.parseLong(args.getOrDefault("warmup", "30")));
        sessions = Long.parseLong(args.getOrDefault("sessions", "1000000"));
        connections = Integer.parseInt(args.getOrDefault("connections", "8"));
        figures = List.of(args.getOrDefault("figures", "P1,P3,P2,P4").toUpperCase().split(","));
        maxWarmupRounds = Integer.parseInt(args.getOrDefault("max-warmup-rounds", Integer.toString(MAX_WARMUP_ROUNDS)));
        h2File = args.containsKey("h2-file") ? Path.of(args.get("h2-file")) : null;
        h2WriteDelay = args.getOrDefault("h2-write-delay", "0");
        cacheSize = Integer.parseInt(args.getOrDefault("cache-size", "0"));
        overRate = Double.parseDouble(args.getOrDefault("over-rate", "0"));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new Bench(args).run();
    }

    private void run() throws Exception {
        System.out.println("Machine: " + machine());
        register(Math.max(connections, 2 * cores));
        if (figures.contains("P1")) {
            p1();
        }
        if (figures.contains("P3") || figures.contains("P3-PEER")) {
            p3();
        }
        if (figures.contains("P2")) {
            p2();
        }
        peer();
        if (figures.contains("P4")) {
            p4();
        }
        if (figures.contains("P4-OVER")) {
            rows.addAll(new CacheOverflow(base, cpu, seeder, measure, warmup, cacheSize, overRate).run(phc(password)));
        }
        if (figures.contains("P2-H2")) {
            p2h2();
        }
        if (figures.contains("P6")) {
            p6();
        }
        System.out.println();
        System.out.println("Load at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        System.out.printf("%-7s %-82s %6s %12s %s%n", "figure", "value", "ratio", "goal", "met?");
        if (args.containsKey("rows-in") && Files.exists(Path.of(args.get("rows-in")))) {
            // Figures measured before this run: P5 (cold starts, before anything else ran) and
            // P4-over (on a Turnkey and a database of its own).
            Files.readAllLines(Path.of(args.get("rows-in"))).forEach(System.out::println);
        }
        rows.forEach(System.out::println);
    }

    // ---- P1: the cost of authentication on the hot path ----

    private void p1() throws IOException {
        String token = field(login(0, "BENCHWHOAMI", false), "access_token");
        List<Load.Step> versions = steps(connections, c -> () -> c.get(VERSIONS, null).status());
        List<Load.Step> whoami = steps(connections, c -> () -> c.get(WHOAMI, token).status());
        warmUp("versions", limit -> Load.run("warm-up versions", versions, limit, MAX_REQUESTS, cpu));
        warmUp("whoami", limit -> Load.run("warm-up whoami", whoami, limit, MAX_REQUESTS, cpu));
        double versionsRate = 0;
        double whoamiRate = 0;
        for (int round = 0; round < ROUNDS; round++) {
            versionsRate += report(Load.run("P1 versions", versions, measure, MAX_REQUESTS, cpu)).okPerSecond() / ROUNDS;
            whoamiRate += report(Load.run("P1 whoami", whoami, measure, MAX_REQUESTS, cpu)).okPerSecond() / ROUNDS;
        }
        double ratio = whoamiRate / versionsRate;
        row("P1", String.format("whoami %.0f/s, versions %.0f/s (%d connections)", whoamiRate, versionsRate,
                connections), ratio, ">= 0.90", ratio >= 0.90);
    }

    /**
     * Runs 10 s rounds until the rate is steady (two rounds in a row within 3 %) and the JIT
     * compilers of both JVMs have all but finished (under {@value #JIT_QUIET} of a core in the
     * last {@value #QUIET_ROUNDS} rounds), for at least {@code --warmup} and at most {@code --max-warmup-rounds} (default {@value #MAX_WARMUP_ROUNDS}) rounds. A path served a few
     * dozen times a second, as login is, takes minutes to reach the C2 compiler's thresholds:
     * until then the compiler itself takes a good part of a core, and the figure would measure
     * the JIT, not Turnkey.
     */
    private void warmUp(String name, Function<Duration, Load.Result> round) {
        warmUp(name, round, Load.Result::okPerSecond, 0.03, 0.03);
    }

    /**
     * A paced round's rate is fixed by the pacing, so it says nothing about warmth: these rounds
     * wait for the p99 instead, within 25 % of the round before and no longer falling by more than
     * a tenth. After the 1M touch round the collector is still promoting a million new cache
     * entries for a minute or more, with young pauses of tens of milliseconds; that transient is
     * not the steady state P4 compares, and it decays slowly enough that two rounds of it can be
     * within 25 % of each other, hence the second condition.
     */
    private void warmUpPaced(String name, Function<Duration, Load.Result> round) {
        warmUp(name, round, r -> r.percentileMillis(99), 0.25, 0.10);
    }

    private void warmUp(String name, Function<Duration, Load.Result> round, ToDoubleFunction<Load.Result> metric,
                        double tolerance, double maxFall) {
        long start = System.nanoTime();
        double previous = 0;
        int quietRounds = 0;
        for (int rounds = 1; ; rounds++) {
            Load.Result result = round.apply(Duration.ofSeconds(10));
            double rate = result.okPerSecond();
            double value = metric.applyAsDouble(result);
            quietRounds = result.cpu().jit() < JIT_QUIET ? quietRounds + 1 : 0;
            boolean steady = previous > 0 && value <= (1 + tolerance) * previous && value >= (1 - maxFall) * previous
                    && quietRounds >= QUIET_ROUNDS;
            System.out.printf("warm-up %-24s %10.1f/s, p99 %.2f ms, JIT compilers %.2f cores (server %.2f)%s%n", name, rate,
                    result.percentileMillis(99), result.cpu().jit(), result.cpu().serverJit(),
                    steady ? " (steady)" : "");
            if (rounds >= maxWarmupRounds || (System.nanoTime() - start >= warmup.toNanos() && steady)) {
                return;
            }
            previous = value;
        }
    }

    // ---- P3: login costs the Argon2id hash and little else ----

    private void p3() throws IOException {
        // Two connections per core: while one login waits for its commit, the next is hashing.
        List<Load.Step> logins = new ArrayList<>();
        for (int i = 0; i < 2 * cores; i++) {
            HttpConnection c = new HttpConnection(base);
            String body = loginBody(i, "BENCHLOGIN", false);
            logins.add(() -> c.post(LOGIN, body).status());
        }
        String parameters = new HttpConnection(base).post(PROBE, "{}").body();
        String expected = "m=" + ARGON2_MEMORY_KIB + ",t=" + ARGON2_ITERATIONS + ",p=" + ARGON2_PARALLELISM;
        if (!parameters.contains("\"" + expected + "\"")) {
            throw new IllegalStateException("Turnkey hashes with " + parameters + ", this load generator with " + expected);
        }
        warmUp("raw Argon2id in Turnkey's JVM", this::rawArgon2InServer);
        warmUp("raw Argon2id", this::rawArgon2);
        // The measured login rounds each follow a probe round, which runs the same hasher and
        // container from another caller: warmed up the same way, or the JIT recompiles the
        // shared code while logins are measured.
        warmUp("login after probe", limit -> {
            rawArgon2InServer(PROBE_BEFORE_LOGIN);
            return Load.run("warm-up login", logins, limit, MAX_REQUESTS, cpu);
        });
        double rawServer = 0;
        double raw = 0;
        double login = 0;
        double rawServerCpu = 0;
        double rawCpu = 0;
        double loginCpu = 0;
        p3Rounds = new double[HASH_ROUNDS];
        for (int round = 0; round < HASH_ROUNDS; round++) {
            Load.Result s = report(rawArgon2InServer(measure));
            rawServer += s.okPerSecond() / HASH_ROUNDS;
            rawServerCpu += s.cpu().requests() / s.okPerSecond() / HASH_ROUNDS;
            Load.Result l = report(Load.run("P3 login", logins, measure, MAX_REQUESTS, cpu));
            login += l.okPerSecond() / HASH_ROUNDS;
            loginCpu += l.cpu().requests() / l.okPerSecond() / HASH_ROUNDS;
            p3Rounds[round] = l.okPerSecond() / s.okPerSecond();
            Load.Result r = report(rawArgon2(measure));
            raw += r.okPerSecond() / HASH_ROUNDS;
            rawCpu += r.cpu().self() / r.okPerSecond() / HASH_ROUNDS;
        }
        // What each costs where it runs: on the server's request threads, or in this JVM.
        double ratio = login / rawServer;
        row("P3", String.format("login %.1f/s (%d conn., %.1f ms CPU each), raw Argon2id in Turnkey's JVM %.1f/s (%d conn., %.1f ms)",
                login, logins.size(), loginCpu * 1000, rawServer, cores, rawServerCpu * 1000), ratio, ">= 0.90", ratio >= 0.90);
        double ratioJvm = login / raw;
        row("P3-jvm", String.format("as P3, raw Argon2id in the load generator's JVM %.1f/s (%d threads, %.1f ms)",
                raw, cores, rawCpu * 1000), ratioJvm, ">= 0.90", ratioJvm >= 0.90);
    }

    /**
     * Argon2id hashes by the PasswordHasher that Turnkey's logins use, in Turnkey's JVM (the
     * probe servlet that run.sh adds to a copy of the WAR), one connection per core.
     */
    private Load.Result rawArgon2InServer(Duration limit) {
        List<Load.Step> steps = steps(cores, c -> () -> c.post(PROBE, "{}").status());
        return Load.run("P3 raw Argon2id in Turnkey's JVM", steps, limit, 1_000_000, cpu);
    }

    /**
     * Argon2id hashes with Turnkey's parameters and Turnkey's own Argon2id class, in this JVM,
     * one thread per core: all the hashing the machine can do.
     */
    private Load.Result rawArgon2(Duration limit) {
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        List<Load.Step> steps = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            byte[] salt = new byte[16];
            steps.add(() -> {
                ThreadLocalRandom.current().nextBytes(salt);
                rawHasher.hash(secret, salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM, 32);
                return 200;
            });
        }
        return Load.run("P3 raw Argon2id", steps, limit, 1_000_000, cpu);
    }

    // ---- the peer figures: Turnkey against Keycloak (Peer) ----

    private void peer() throws Exception {
        List<String> wanted = figures.stream().filter(f -> f.endsWith("-PEER")).toList();
        if (wanted.isEmpty()) {
            return;
        }
        Peer peer = new Peer(base, cpu, dbPid, args, measure, connections, this::warmUp, this::row, this::login);
        if (wanted.contains("P2-PEER") && peer.available("P2-peer")) {
            peer.refresh();
        }
        if (wanted.contains("P3-PEER") && peer.available("P3-peer")) {
            peer.login(p3Rounds, "Argon2id m=" + ARGON2_MEMORY_KIB + ",t=" + ARGON2_ITERATIONS + ",p=" + ARGON2_PARALLELISM);
        }
        if (wanted.contains("WHOAMI-PEER") && peer.available("whoami-peer")) {
            peer.whoami();
        }
    }

    // ---- P6: Turnkey's resident memory against a hello-world WAR's, and the floor WAR's (Footprint) ----

    private void p6() throws Exception {
        Footprint.Sample all = Footprint.sample(serverPid, base, footprint1k != null ? sessions : 0);
        Footprint.p6(footprint1k != null ? footprint1k : all, footprint1k != null ? all : null, args.get("payara"),
                args.get("hello-war"), args.get("floor-war"), Integer.parseInt(args.getOrDefault("hello-port", "8109")),
                args.getOrDefault("server-heap", ""), connections, this::row);
    }

    // ---- P2: refresh throughput per core, each connection on its own rotation chain ----

    private void p2() throws IOException {
        Load.Result r = refreshChains("P2");
        double perCore = r.okPerSecond() / r.cpu().server();
        double perCoreWithDb = r.okPerSecond() / (r.cpu().server() + r.cpu().db());
        double ratio = perCore / KEYCLOAK_REFRESHES_PER_VCPU;
        row("P2", String.format("%.0f refresh/s on %.2f server cores = %.0f/s/core (%.0f/s/core with PostgreSQL)",
                r.okPerSecond(), r.cpu().server(), perCore, perCoreWithDb), ratio, ">= 10 x 120", ratio >= 10);
    }

    /**
     * P2 on the embedded H2 database, which runs in Turnkey's JVM, so the server's cores include
     * the database's. It shows what durable commits cost there: run.sh runs it with the write
     * delay Turnkey sets (0: each commit is written to the file before it returns) or with
     * {@code BENCH_H2_WRITE_DELAY} (H2's own default is 500 ms). The data file's size shows the
     * other cost: every commit is a chunk of its own, and H2 keeps chunks for its retention
     * time (45 s) before it reuses their space.
     */
    private void p2h2() throws IOException {
        Load.Result r = refreshChains("P2-h2");
        double perCore = r.okPerSecond() / r.cpu().server();
        double ratio = perCore / KEYCLOAK_REFRESHES_PER_VCPU;
        String file = h2File == null || !Files.exists(h2File) ? "" : String.format(", data file %.0f MB", Files.size(h2File) / 1e6);
        row("P2-h2", String.format("%.0f refresh/s on %.2f server cores = %.0f/s/core (H2 WRITE_DELAY=%s%s)",
                r.okPerSecond(), r.cpu().server(), perCore, h2WriteDelay, file), ratio, ">= 10 x 120", ratio >= 10);
    }

    private Load.Result refreshChains(String figure) throws IOException {
        Pattern refreshToken = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
        List<Load.Step> chains = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            HttpConnection c = new HttpConnection(base);
            String[] latest = {field(login(i, "BENCHCHAIN", true), "refresh_token")};
            // Refreshing with the newest refresh token uses it, which revokes its predecessor.
            chains.add(() -> {
                HttpConnection.Response r = c.post(REFRESH, "{\"refresh_token\":\"" + latest[0] + "\"}");
                if (r.status() == 200) {
                    Matcher m = refreshToken.matcher(r.body());
                    if (!m.find()) {
                        throw new IOException("Refresh answered 200 without a refresh_token");
                    }
                    latest[0] = m.group(1);
                }
                return r.status();
            });
        }
        warmUp("refresh", limit -> Load.run("warm-up refresh", chains, limit, MAX_REQUESTS, cpu));
        return report(Load.run(figure + " refresh", chains, measure, MAX_REQUESTS, cpu));
    }

    // ---- P4: whoami latency as sessions grow from a thousand to a million ----

    private void p4() throws Exception {
        long small = 1000;
        String phc = phc(password);
        System.out.printf("Seeded %d sessions in %.1f s%n", small, seeder.seed(0, small, phc));
        // Unknown tokens take the same database lookup a cache miss takes: warm that path first.
        AtomicLong unknown = new AtomicLong(Long.MAX_VALUE / 2);
        Load.run("warm-up lookups (401s)", steps(LATENCY_CONNECTIONS,
                c -> () -> c.get(WHOAMI, Seeder.accessToken(unknown.incrementAndGet())).status()), warmup, MAX_REQUESTS, cpu);
        Load.Result cold1k = report(Load.run("P4 1k first touch (miss)", firstTouch(0, small), measure, MAX_REQUESTS, cpu));
        // Cache hits are measured warm, as the misses that follow them are.
        warmUp("1k uniform (hit)", limit -> Load.run("warm-up 1k uniform (hit)", uniform(small), limit, MAX_REQUESTS, cpu));
        Load.Result[] saturated1k = rounds("P4 1k uniform (hit)", uniform(small), 0);
        double hot1k = medianP99(saturated1k);
        // Latency is compared at one offered load on both sides, half of what 1k sessions saturate at.
        double rate = median(saturated1k, Load.Result::okPerSecond) / 2;
        warmUpPaced("1k uniform (hit) paced", limit -> Load.paced("warm-up 1k uniform (hit) paced", uniform(small), rate, limit, cpu));
        double paced1k = medianP99(rounds("P4 1k uniform (hit)", uniform(small), rate));
        // Checked after the first-touch run, which must not find any of them in the cache.
        verifySeeded(small);
        if (figures.contains("P6")) {
            footprint1k = Footprint.sample(serverPid, base, small);
        }

        System.out.printf("Seeded %d more sessions in %.1f s%n", sessions - small, seeder.seed(small, sessions, phc));
        System.out.println("Live sessions (unrevoked token pairs) in PostgreSQL: " + seeder.liveSessions());
        Load.Result hot1m = report(Load.run("P4 1M, 1k hot (hit)", uniform(small), measure, MAX_REQUESTS, cpu));
        List<Load.Step> touchAll = firstTouch(small, sessions);
        Load.Result cold1m = report(Load.run("P4 1M first touch (miss)", touchAll, measure, 150_000, cpu));
        // Steady state, as for 1k: every live session has made a request, as clients do all the time.
        long started = System.nanoTime();
        Load.run("touch every session once", touchAll, Duration.ofHours(1), Long.MAX_VALUE, cpu);
        System.out.printf("Touched the other sessions once in %.1f s%n", (System.nanoTime() - started) / 1e9);
        // As at 1k, measure after a paced warm-up at the measured load.
        warmUpPaced("1M uniform", limit -> Load.paced("warm-up 1M uniform", uniform(sessions), rate, limit, cpu));
        double paced1m = medianP99(rounds("P4 1M uniform", uniform(sessions), rate));
        double uniform1m = medianP99(rounds("P4 1M uniform", uniform(sessions), 0));
        verifySeeded(sessions);

        double steady = paced1m / paced1k;
        row("P4", String.format("p99 %.2f ms at 1M / %.2f ms at 1k, uniform over all sessions, steady, %.0f req/s, median of " + LATENCY_ROUNDS,
                paced1m, paced1k, rate), steady, "<= 1.2", steady <= 1.2);
        double closed = uniform1m / hot1k;
        row("P4-sat", String.format("p99 %.2f ms at 1M / %.2f ms at 1k, as P4 but saturated (%d connections, closed loop)",
                uniform1m, hot1k, LATENCY_CONNECTIONS), closed, "<= 1.2", closed <= 1.2);
        double db = cold1m.percentileMillis(99) / cold1k.percentileMillis(99);
        row("P4-db", String.format("p99 %.2f ms / %.2f ms, first touches: database lookups (1k: %d samples)",
                cold1m.percentileMillis(99), cold1k.percentileMillis(99), cold1k.ok()), db, "<= 1.2", db <= 1.2);
        double hits = hot1m.percentileMillis(99) / hot1k;
        row("P4-hit", String.format("p99 %.2f ms / %.2f ms, the same 1k sessions before and after seeding",
                hot1m.percentileMillis(99), hot1k), hits, "<= 1.2", hits <= 1.2);
    }

    /**
     * {@value #LATENCY_ROUNDS} rounds, closed loop ({@code rate} 0) or paced: one 10 s p99 on two shared
     * cores moves with the scheduler (a time slice is about 3 ms), so one round decides little.
     */
    private Load.Result[] rounds(String name, List<Load.Step> steps, double rate) {
        Load.Result[] results = new Load.Result[LATENCY_ROUNDS];
        for (int round = 0; round < LATENCY_ROUNDS; round++) {
            results[round] = report(rate > 0
                    ? Load.paced(name + String.format(" at %.0f/s", rate), steps, rate, measure, cpu)
                    : Load.run(name, steps, measure, MAX_REQUESTS, cpu));
        }
        return results;
    }

    private static double medianP99(Load.Result[] rounds) {
        return median(rounds, r -> r.percentileMillis(99));
    }

    private static double median(Load.Result[] rounds, ToDoubleFunction<Load.Result> metric) {
        return Arrays.stream(rounds).mapToDouble(metric).sorted().toArray()[rounds.length / 2];
    }

    private List<Load.Step> firstTouch(long from, long to) {
        int n = (int) (to - from);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        AtomicInteger next = new AtomicInteger();
        return steps(LATENCY_CONNECTIONS, c -> () -> {
            int i = next.getAndIncrement();
            return i >= n ? Load.DONE : c.get(WHOAMI, Seeder.accessToken(from + order[i])).status();
        });
    }

    private List<Load.Step> uniform(long n) {
        return steps(LATENCY_CONNECTIONS,
                c -> () -> c.get(WHOAMI, Seeder.accessToken(ThreadLocalRandom.current().nextLong(n))).status());
    }

    /** A sample of seeded tokens must authenticate as their own user, or no P4 figure means anything. */
    private void verifySeeded(long n) throws IOException {
        try (HttpConnection c = new HttpConnection(base)) {
            for (long i : new long[] {0, n / 3, n / 2, n - 2, n - 1}) {
                HttpConnection.Response r = c.get(WHOAMI, Seeder.accessToken(i));
                if (r.status() != 200 || !Seeder.userId(i).equals(field(r.body(), "user_id"))) {
                    throw new IllegalStateException("Seeded session " + i + " refused: " + r.status() + " " + r.body());
                }
            }
        }
        System.out.println("Checked 5 seeded sessions: whoami 200 with their own user_id");
    }

    // ---- accounts ----

    private void register(int users) throws IOException {
        try (HttpConnection c = new HttpConnection(base)) {
            for (int i = 0; i < users; i++) {
                String body = "{\"username\":\"bench-" + run + "-p" + i + "\",\"password\":\"" + password + "\",\"inhibit_login\":true";
                HttpConnection.Response challenge = c.post(REGISTER, body + "}");
                HttpConnection.Response done = challenge.status() != 401 ? challenge : c.post(REGISTER, body
                        + ",\"auth\":{\"type\":\"m.login.dummy\",\"session\":\"" + field(challenge.body(), "session") + "\"}}");
                if (done.status() != 200) {
                    throw new IllegalStateException("Registration refused (is TURNKEY_REGISTRATION_ENABLED=true?): "
                            + done.status() + " " + done.body());
                }
            }
        }
    }

    private String login(int user, String deviceId, boolean refresh) throws IOException {
        try (HttpConnection c = new HttpConnection(base)) {
            HttpConnection.Response r = c.post(LOGIN, loginBody(user, deviceId, refresh));
            if (r.status() != 200) {
                throw new IllegalStateException("Login refused: " + r.status() + " " + r.body());
            }
            return r.body();
        }
    }

    private String loginBody(int user, String deviceId, boolean refresh) {
        return "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"bench-" + run + "-p" + user
                + "\"},\"password\":\"" + password + "\",\"device_id\":\"" + deviceId + "\",\"refresh_token\":" + refresh + "}";
    }

    // ---- helpers ----

    /** {@code n} steps, each on a keep-alive connection of its own. */
    private List<Load.Step> steps(int n, Function<HttpConnection, Load.Step> step) {
        List<Load.Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            steps.add(step.apply(new HttpConnection(base)));
        }
        return steps;
    }

    /** A PHC string as Turnkey's PasswordHasher writes it, so seeded users could log in. */
    private static String phc(String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = new Argon2id(ARGON2_MEMORY_KIB, ARGON2_PARALLELISM, 1).hash(password.getBytes(StandardCharsets.UTF_8),
                salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM, 32);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + ARGON2_MEMORY_KIB + ",t=" + ARGON2_ITERATIONS + ",p=" + ARGON2_PARALLELISM
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("No " + name + " in response");
        }
        return m.group(1);
    }

    private static Load.Result report(Load.Result result) {
        System.out.println(result.summary());
        return result;
    }

    private void row(String figure, String value, double ratio, String goal, boolean met) {
        rows.add(formatRow(figure, value, ratio, goal, met));
    }

    static String formatRow(String figure, String value, double ratio, String goal, boolean met) {
        return String.format("%-7s %-82s %6.2f %12s %s", figure, value, ratio, goal, met ? "yes" : "no");
    }

    private String machine() throws IOException {
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        return cores + " cores, " + mem + ", JDK " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version") + ", " + ZonedDateTime.now() + ", load "
                + Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static String required(Map<String, String> args, String name) {
        String value = args.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
