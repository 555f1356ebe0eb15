package org.turnkey.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P5 and P6 of issue 22 (docs/performance.md): Turnkey against a one-servlet hello-world WAR
 * (src/bench/hello, built by the bench profile) on the same Payara Micro.
 * <ul>
 * <li>P5, cold start: from {@code java -jar payara-micro.jar --deploy WAR} to the first 200 on
 * {@code /_matrix/client/versions}, polled every 10 ms, Turnkey ÷ hello, rounds interleaved.
 * {@link #main} runs it before run.sh starts anything else.</li>
 * <li>P6, memory: resident memory (VmRSS of /proc/PID/status) of Turnkey after the other figures
 * ÷ the hello WAR after as many requests, both with the same heap settings; with the heap used
 * after a full collection (jcmd), the bytes per cached session between 1,000 and all sessions.</li>
 * </ul>
 * Beside each, with no goal, the floor WAR (src/bench/floor: the smallest application built the
 * way Turnkey is, with Jakarta REST, CDI and JPA on a JTA data source) ÷ the hello WAR, measured
 * the same way in the same rounds: the part of each ratio the platform costs before any of
 * Turnkey's own code.
 */
final class Footprint {

    private static final String VERSIONS = "/_matrix/client/versions";

    /** What P6 reads of a JVM: resident memory, heap used after a full collection, requests it had. */
    record Sample(long rssBytes, long heapUsedBytes, long requests, long sessions) {
    }

    private Footprint() {
    }

    // ---- P5 ----

    /**
     * Arguments: {@code --payara JAR --turnkey-war WAR --hello-war WAR --floor-war WAR --port PORT
     * --data-dir DIR --rounds 3 --rows-out FILE}. Turnkey starts on its default embedded H2
     * database in DIR, which one unmeasured start first creates (so the measured starts are those
     * of an installed server, not the first one's schema migration, which is printed apart).
     */
    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new java.util.HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        String payara = args.get("payara");
        int port = Integer.parseInt(args.get("port"));
        int rounds = Integer.parseInt(args.getOrDefault("rounds", "3"));
        Path data = Path.of(args.get("data-dir")).toAbsolutePath();
        List<String> turnkey = List.of("java", "-jar", payara, "--deploy", args.get("turnkey-war"), "--nocluster", "--port",
                Integer.toString(port));
        List<String> hello = List.of("java", "-jar", payara, "--deploy", args.get("hello-war"), "--nocluster", "--port",
                Integer.toString(port));
        List<String> floor = List.of("java", "-jar", payara, "--deploy",
                Objects.requireNonNull(args.get("floor-war"), "--floor-war is required"), "--nocluster", "--port", Integer.toString(port));
        Map<String, String> env = Map.of("TURNKEY_DATA_DIR", data.toString());
        double[] first = start("P5 Turnkey, first start (new database)", "turnkey", turnkey, env, port);
        double[] t = new double[rounds];
        double[] h = new double[rounds];
        double[] f = new double[rounds];
        double tCpu = 0;
        double hCpu = 0;
        double fCpu = 0;
        for (int i = 0; i < rounds; i++) {
            double[] a = start("P5 hello-world WAR", "hello", hello, Map.of(), port);
            double[] b = start("P5 Turnkey", "turnkey", turnkey, env, port);
            double[] c = start("P5 floor WAR", "floor", floor, Map.of(), port);
            h[i] = a[0];
            t[i] = b[0];
            f[i] = c[0];
            hCpu += a[1] / rounds;
            tCpu += b[1] / rounds;
            fCpu += c[1] / rounds;
        }
        double[] perRound = new double[rounds];
        double[] floorPerRound = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            perRound[i] = t[i] / h[i];
            floorPerRound[i] = f[i] / h[i];
        }
        double ratio = mean(t) / mean(h);
        String row = Bench.formatRow("P5", String.format("first 200 on /versions: Turnkey %.1f s (%.1f s CPU), hello WAR %.1f s (%.1f s CPU); "
                        + "rounds %s; Turnkey's first start %.1f s", mean(t), tCpu, mean(h), hCpu, spread(perRound), first[0]),
                ratio, "<= 1.5", ratio <= 1.5);
        double floorRatio = mean(f) / mean(h);
        String floorRow = Bench.formatRow("P5-floor", String.format("as P5, floor WAR %.1f s (%.1f s CPU) / hello WAR %.1f s; rounds %s; "
                        + "Turnkey / floor %.2f", mean(f), fCpu, mean(h), spread(floorPerRound), mean(t) / mean(f)),
                floorRatio, "(no goal)", true);
        System.out.println(row);
        System.out.println(floorRow);
        Files.writeString(Path.of(args.get("rows-out")), row + "\n" + floorRow + "\n");
    }

    /** {seconds to the first 200, CPU-seconds the JVM had used by then}; Payara's output goes to target/bench/p5-LOG.log. */
    private static double[] start(String name, String log, List<String> command, Map<String, String> env, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target/bench/p5-" + log + ".log").toFile());
        pb.environment().putAll(env);
        requireFree(port);
        long t0 = System.nanoTime();
        Process p = pb.start();
        try (HttpConnection c = new HttpConnection(URI.create("http://127.0.0.1:" + port))) {
            while (true) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(name + ": Payara exited with " + p.exitValue());
                }
                if (System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException(name + ": no 200 in 5 minutes");
                }
                try {
                    if (c.get(VERSIONS, null).status() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    c.close();
                }
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = cpuSeconds(p.pid());
            System.out.printf("%-38s first 200 after %5.2f s, %5.2f s CPU%n", name, seconds, cpu);
            return new double[] {seconds, cpu};
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    // ---- P6 ----

    /** Resident memory and, after a full collection, heap used of a JVM, with the requests sent to it so far. */
    static Sample sample(long pid, URI server, long sessions) throws IOException, InterruptedException {
        long heap = heapUsedAfterFullGc(pid);
        return new Sample(rss(pid), heap, HttpConnection.sent(server), sessions);
    }

    /**
     * P6: starts the hello WAR on the same Payara Micro with the same heap settings, sends it as
     * many requests as Turnkey had when {@code small} was taken ({@code connections} keep-alive
     * connections, closed loops), then compares resident memory; then the floor WAR the same way,
     * on the same port once the hello WAR has stopped.
     */
    static void p6(Sample small, Sample all, String payara, String helloWar, String floorWar, int helloPort, String heap,
                   int connections, Peer.Rows rows) throws Exception {
        Loaded hello = loaded("hello WAR", "hello", payara, helloWar, helloPort, heap, connections, small.requests());
        Loaded floor = loaded("floor WAR", "floor", payara, floorWar, helloPort, heap, connections, small.requests());
        System.out.printf("P6 resident memory: Turnkey %.0f MB (heap used %.0f MB) with %d sessions after %d requests, "
                        + "hello WAR %.0f MB (heap used %.0f MB) after %d, floor WAR %.0f MB (heap used %.0f MB) after %d%n",
                small.rssBytes() / 1e6, small.heapUsedBytes() / 1e6, small.sessions(), small.requests(),
                hello.sample().rssBytes() / 1e6, hello.sample().heapUsedBytes() / 1e6, hello.requests(),
                floor.sample().rssBytes() / 1e6, floor.sample().heapUsedBytes() / 1e6, floor.requests());
        double ratio = (double) small.rssBytes() / hello.sample().rssBytes();
        String perSession = "";
        if (all != null && all.sessions() > small.sessions()) {
            long n = all.sessions() - small.sessions();
            perSession = String.format("; at %d sessions %.0f MB, %.0f bytes/session resident, %.0f on the heap",
                    all.sessions(), all.rssBytes() / 1e6, (double) (all.rssBytes() - small.rssBytes()) / n,
                    (double) (all.heapUsedBytes() - small.heapUsedBytes()) / n);
        }
        rows.row("P6", String.format("RSS Turnkey %.0f MB at %d sessions / hello WAR %.0f MB, same heap settings, %d requests each%s",
                small.rssBytes() / 1e6, small.sessions(), hello.sample().rssBytes() / 1e6, small.requests(), perSession), ratio, "<= 1.3",
                ratio <= 1.3);
        double floorRatio = (double) floor.sample().rssBytes() / hello.sample().rssBytes();
        rows.row("P6-floor", String.format("as P6, RSS floor WAR %.0f MB / hello WAR %.0f MB after %d / %d requests; Turnkey / floor %.2f",
                        floor.sample().rssBytes() / 1e6, hello.sample().rssBytes() / 1e6, floor.requests(), hello.requests(),
                        (double) small.rssBytes() / floor.sample().rssBytes()),
                floorRatio, "(no goal)", true);
    }

    /** A WAR's sample once it has served its requests, and how many it served. */
    private record Loaded(Sample sample, long requests) {
    }

    /**
     * Starts {@code war} on Payara Micro with {@code heap} (output in target/bench/p6-LOG.log),
     * sends it {@code requests} GETs of /versions on {@code connections} connections, samples it
     * and stops it.
     */
    private static Loaded loaded(String name, String log, String payara, String war, int port, String heap, int connections,
                                 long requests) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("java");
        command.addAll(Arrays.asList(heap.trim().split("\\s+")));
        command.addAll(List.of("-jar", payara, "--deploy", war, "--nocluster", "--port", Integer.toString(port)));
        requireFree(port);
        Path logFile = Path.of("target/bench/p6-" + log + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            long t0 = System.nanoTime();
            try (HttpConnection c = new HttpConnection(base)) {
                while (true) {
                    if (!p.isAlive() || System.nanoTime() - t0 > Duration.ofMinutes(5).toNanos()) {
                        throw new IllegalStateException("The " + name + " did not start; see " + logFile);
                    }
                    try {
                        if (c.get(VERSIONS, null).status() == 200) {
                            break;
                        }
                    } catch (IOException notYet) {
                        c.close();
                    }
                    Thread.sleep(50);
                }
            }
            List<Load.Step> steps = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                HttpConnection c = new HttpConnection(base);
                steps.add(() -> c.get(VERSIONS, null).status());
            }
            Load.Result r = Load.run("P6 " + name + " requests", steps, Duration.ofMinutes(15), requests, new Cpu(p.pid(), 0));
            System.out.println(r.summary());
            return new Loaded(sample(p.pid(), base, 0), r.requests());
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /** A server still listening there (an earlier run's) would answer for the one started here. */
    private static void requireFree(int port) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
        } catch (IOException free) {
            return;
        }
        throw new IllegalStateException("Port " + port + " is in use: stop what listens there or set BENCH_PORT");
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IOException("No VmRSS for " + pid);
    }

    /** Heap used after a full collection, from jcmd (the load generator's JDK), or -1. */
    static long heapUsedAfterFullGc(long pid) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        run(jcmd, Long.toString(pid), "GC.run");
        String info = run(jcmd, Long.toString(pid), "GC.heap_info");
        Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static String spread(double[] values) {
        return String.format("%.2f-%.2f", Arrays.stream(values).min().orElse(Double.NaN), Arrays.stream(values).max().orElse(Double.NaN));
    }

    private static double cpuSeconds(long pid) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
