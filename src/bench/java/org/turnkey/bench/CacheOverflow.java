package org.turnkey.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P4-over (issue 22, docs/performance.md): whoami with twice as many live sessions as Turnkey's
 * access-token cache holds ({@code --cache-size}, which run.sh sets on a Turnkey of its own for
 * this figure), uniform and Zipf-skewed (s = 1), against the same distributions over a quarter
 * of the sessions (half the cache, so all of them cached). Two things per distribution:
 * <ul>
 * <li>p99 at one paced rate on every side (half of what the over-Zipf load saturates at),
 * median of the rounds;</li>
 * <li>database lookups per request, read from the cache's miss counter through the probe
 * servlet, ÷ the miss rate of an ideal LRU of the cache's size simulated over the exact
 * sequence of sessions this generator sent in that phase (warm-up included, misses counted over
 * the measured rounds only).</li>
 * </ul>
 * Each distribution is a fixed, seeded sequence of session numbers that the connections take
 * from in turn, so the sequence sent is known exactly.
 */
final class CacheOverflow {

    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    private static final String PROBE = "/cache-probe/lookups";
    private static final int CONNECTIONS = 4;
    private static final int ROUNDS = 5;
    private static final int SEQUENCE = 1 << 21;
    private static final Pattern LOOKUPS = Pattern.compile("\"lookups\":(\\d+)");

    private final URI base;
    private final Cpu cpu;
    private final Seeder seeder;
    private final Duration measure;
    private final Duration warmup;
    private final int cacheSize;
    private final double rateOverride;
    private final List<String> rows = new ArrayList<>();

    /** One distribution's sequence and how far the connections have got in it. */
    private final class Phase {
        final String name;
        final int[] sessions;
        final AtomicInteger next = new AtomicInteger();
        final List<Load.Result> rounds = new ArrayList<>();
        long measuredRequests;
        long measuredLookups;
        /** [from, to) positions of the measured rounds in the sequence sent. */
        final List<long[]> measured = new ArrayList<>();

        Phase(String name, int[] sessions) {
            this.name = name;
            this.sessions = sessions;
        }

        List<Load.Step> steps() {
            List<Load.Step> steps = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                HttpConnection connection = new HttpConnection(base);
                steps.add(() -> {
                    int i = next.getAndIncrement();
                    return connection.get(WHOAMI, tokens[sessions[i & (SEQUENCE - 1)]]).status();
                });
            }
            return steps;
        }

        Load.Result closed(String what, Duration limit) {
            return Load.run(name + " " + what, steps(), limit, Long.MAX_VALUE, cpu);
        }

        Load.Result paced(String what, double rate, Duration limit) {
            return Load.paced(name + " " + what + String.format(" at %.0f/s", rate), steps(), rate, limit, cpu);
        }

        void measure(double rate) throws IOException {
            for (int round = 0; round < ROUNDS; round++) {
                long from = next.get();
                long lookupsBefore = lookups();
                Load.Result r = report(paced("round", rate, measure));
                long lookups = lookups() - lookupsBefore;
                long to = next.get();
                rounds.add(r);
                measured.add(new long[] {from, to});
                measuredRequests += to - from;
                measuredLookups += lookups;
                System.out.printf("  %s: %d database lookups for %d requests = %.4f per request%n", name, lookups,
                        to - from, (double) lookups / (to - from));
            }
        }

        double p99() {
            return rounds.stream().mapToDouble(r -> r.percentileMillis(99)).sorted().toArray()[rounds.size() / 2];
        }

        double lookupsPerRequest() {
            return (double) measuredLookups / measuredRequests;
        }

        /** An LRU of the cache's size over everything this phase sent, misses counted in the measured rounds. */
        double lruMissRate() {
            LinkedHashMap<Integer, Boolean> lru = new LinkedHashMap<>(cacheSize * 2, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
                    return size() > cacheSize;
                }
            };
            long end = next.get();
            long misses = 0;
            long counted = 0;
            int window = 0;
            for (long i = 0; i < end; i++) {
                while (window < measured.size() && i >= measured.get(window)[1]) {
                    window++;
                }
                boolean inWindow = window < measured.size() && i >= measured.get(window)[0];
                int session = sessions[(int) (i & (SEQUENCE - 1))];
                boolean hit = lru.get(session) != null;
                if (!hit) {
                    lru.put(session, Boolean.TRUE);
                }
                if (inWindow) {
                    counted++;
                    misses += hit ? 0 : 1;
                }
            }
            return (double) misses / counted;
        }
    }

    private String[] tokens;

    CacheOverflow(URI base, Cpu cpu, Seeder seeder, Duration measure, Duration warmup, int cacheSize, double rate) {
        this.base = base;
        this.cpu = cpu;
        this.seeder = seeder;
        this.measure = measure;
        this.warmup = warmup;
        this.cacheSize = cacheSize;
        this.rateOverride = rate;
    }

    /** Seeds 2 x cache size sessions and returns the figure's table rows. */
    List<String> run(String passwordPhc) throws Exception {
        if (cacheSize <= 0) {
            throw new IllegalArgumentException("P4-over needs --cache-size, Turnkey's turnkey.access-token-cache.size");
        }
        int over = 2 * cacheSize;
        int cached = cacheSize / 2;
        System.out.printf("P4-over: cache %d tokens, seeded %d sessions in %.1f s; all-cached side %d sessions%n",
                cacheSize, over, seeder.seed(0, over, passwordPhc), cached);
        tokens = new String[over];
        for (int i = 0; i < over; i++) {
            tokens[i] = Seeder.accessToken(i);
        }
        Random random = new Random(22);
        Phase baseUniform = new Phase("P4-over cached uniform", uniform(cached, random));
        Phase baseZipf = new Phase("P4-over cached Zipf", zipf(cached, random));
        Phase overUniform = new Phase("P4-over 2x uniform", uniform(over, random));
        Phase overZipf = new Phase("P4-over 2x Zipf", zipf(over, random));

        // The over-Zipf load sets the pace: half of what it saturates at, the same rate everywhere.
        report(overZipf.closed("warm-up (closed loop)", warmup));
        Load.Result saturated = report(overZipf.closed("saturated (closed loop)", measure));
        double rate = rateOverride > 0 ? rateOverride : saturated.okPerSecond() / 2;
        System.out.printf("P4-over paces every side at %.0f requests/s%n", rate);
        for (Phase phase : List.of(overZipf, overUniform, baseUniform, baseZipf)) {
            report(phase.paced("warm-up", rate, warmup));
            phase.measure(rate);
        }

        double zipfP99 = overZipf.p99() / baseZipf.p99();
        row("P4-over", String.format("Zipf p99 %.2f ms with 2x sessions / %.2f ms all cached, %.0f req/s, median of %d",
                overZipf.p99(), baseZipf.p99(), rate, ROUNDS), zipfP99, "<= 1.5", zipfP99 <= 1.5);
        double uniformP99 = overUniform.p99() / baseUniform.p99();
        row("P4-ovU", String.format("uniform p99 %.2f ms with 2x sessions / %.2f ms all cached, same rate",
                overUniform.p99(), baseUniform.p99()), uniformP99, "(no goal)", true);
        for (Phase phase : List.of(overZipf, overUniform)) {
            double lru = phase.lruMissRate();
            double ratio = phase.lookupsPerRequest() / lru;
            row(phase == overZipf ? "P4-ovLZ" : "P4-ovLU", String.format(
                    "%s: %.4f database lookups/request, ideal LRU %.4f (all cached: %.4f)",
                    phase == overZipf ? "Zipf" : "uniform", phase.lookupsPerRequest(), lru,
                    (phase == overZipf ? baseZipf : baseUniform).lookupsPerRequest()), ratio, "<= 1.10", ratio <= 1.10);
        }
        return rows;
    }

    /** Session numbers uniform over [0, n). */
    private static int[] uniform(int n, Random random) {
        int[] sequence = new int[SEQUENCE];
        for (int i = 0; i < SEQUENCE; i++) {
            sequence[i] = random.nextInt(n);
        }
        return sequence;
    }

    /** Session numbers by Zipf s = 1 over [0, n): rank r with weight 1/r, ranks shuffled over sessions. */
    private static int[] zipf(int n, Random random) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += 1.0 / (r + 1);
            cdf[r] = sum;
        }
        int[] sessionOfRank = new int[n];
        for (int i = 0; i < n; i++) {
            sessionOfRank[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = sessionOfRank[i];
            sessionOfRank[i] = sessionOfRank[j];
            sessionOfRank[j] = t;
        }
        int[] sequence = new int[SEQUENCE];
        for (int i = 0; i < SEQUENCE; i++) {
            int rank = Arrays.binarySearch(cdf, random.nextDouble() * sum);
            sequence[i] = sessionOfRank[Math.min(n - 1, rank < 0 ? -rank - 1 : rank)];
        }
        return sequence;
    }

    private long lookups() throws IOException {
        try (HttpConnection c = new HttpConnection(base)) {
            HttpConnection.Response r = c.get(PROBE, null);
            Matcher m = LOOKUPS.matcher(r.body());
            if (r.status() != 200 || !m.find()) {
                throw new IllegalStateException("Cache probe answered " + r.status() + " " + r.body());
            }
            return Long.parseLong(m.group(1));
        }
    }

    private static Load.Result report(Load.Result result) {
        System.out.println(result.summary());
        return result;
    }

    private void row(String figure, String value, double ratio, String goal, boolean met) {
        rows.add(String.format("%-7s %-82s %6.2f %12s %s", figure, value, ratio, goal, met ? "yes" : "no"));
    }
}
