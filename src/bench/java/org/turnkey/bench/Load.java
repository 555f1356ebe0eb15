package org.turnkey.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one loop per connection, bounded in time and in total requests: closed (each connection
 * sends its next request when the last one is answered) or paced (the connections together send
 * at a fixed rate, and a request's latency counts from when it was due, so a stall is charged to
 * every request it delayed and not to one alone).
 */
final class Load {

    /** One request of a worker: returns the HTTP status, or {@link #DONE} when it has no more work. */
    interface Step {
        int call() throws IOException;
    }

    static final int DONE = -1;

    record Result(String name, long requests, long ok, Map<Integer, Long> failures, long ioErrors, double seconds,
                  long[] sortedLatencyNanos, Cpu.Use cpu) {

        double okPerSecond() {
            return ok / seconds;
        }

        double percentileMillis(double p) {
            if (sortedLatencyNanos.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100 * sortedLatencyNanos.length) - 1;
            return sortedLatencyNanos[Math.max(0, index)] / 1e6;
        }

        String summary() {
            String errors = failures.isEmpty() && ioErrors == 0 ? "0 errors"
                    : "ERRORS: non-2xx " + failures + ", I/O " + ioErrors;
            return String.format("%-38s %8d req in %5.1f s = %8.1f/s, %s, p50 %.2f ms, p99 %.2f ms, max %.2f ms; %s",
                    name, requests, seconds, okPerSecond(), errors, percentileMillis(50), percentileMillis(99),
                    percentileMillis(100), cpu);
        }
    }

    private Load() {
    }

    static Result run(String name, List<Step> steps, Duration limit, long maxRequests, Cpu cpu) {
        return run(name, steps, 0, limit, maxRequests, cpu);
    }

    /** {@code perSecond} requests a second in all, spread evenly over the connections. */
    static Result paced(String name, List<Step> steps, double perSecond, Duration limit, Cpu cpu) {
        return run(name, steps, perSecond, limit, Long.MAX_VALUE, cpu);
    }

    private static Result run(String name, List<Step> steps, double perSecond, Duration limit, long maxRequests, Cpu cpu) {
        AtomicLong budget = new AtomicLong(maxRequests);
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long interval = perSecond > 0 ? (long) (steps.size() * 1e9 / perSecond) : 0;
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            // Staggered, so the connections' requests interleave instead of arriving in bursts.
            workers.add(new Worker(steps.get(i), budget, deadline, start + i * interval / steps.size(), interval));
        }
        Cpu.Sample before = cpu.sample();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            Thread thread = new Thread(workers.get(i), name + "-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Cpu.Use use = Cpu.between(before, cpu.sample());
        long requests = 0;
        long ok = 0;
        long io = 0;
        Map<Integer, Long> failures = new TreeMap<>();
        int latencies = 0;
        for (Worker w : workers) {
            requests += w.requests;
            ok += w.ok;
            io += w.ioErrors;
            w.failures.forEach((status, n) -> failures.merge(status, n, Long::sum));
            latencies += w.count;
        }
        long[] all = new long[latencies];
        int at = 0;
        for (Worker w : workers) {
            System.arraycopy(w.latencies, 0, all, at, w.count);
            at += w.count;
        }
        Arrays.sort(all);
        return new Result(name, requests, ok, failures, io, seconds, all, use);
    }

    private static final class Worker implements Runnable {
        private final Step step;
        private final AtomicLong budget;
        private final long deadline;
        private long due;
        private final long interval;
        private final Map<Integer, Long> failures = new TreeMap<>();
        private long[] latencies = new long[1024];
        private int count;
        private long requests;
        private long ok;
        private long ioErrors;

        Worker(Step step, AtomicLong budget, long deadline, long first, long interval) {
            this.step = step;
            this.budget = budget;
            this.deadline = deadline;
            this.due = first;
            this.interval = interval;
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                long t0 = System.nanoTime();
                if (interval > 0) {
                    for (long wait = due - t0; wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    t0 = due;
                    due += interval;
                    if (t0 >= deadline) {
                        return;
                    }
                }
                int status;
                try {
                    status = step.call();
                } catch (IOException e) {
                    ioErrors++;
                    requests++;
                    continue;
                }
                if (status == DONE) {
                    return;
                }
                long elapsed = System.nanoTime() - t0;
                requests++;
                if (status / 100 == 2) {
                    ok++;
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = elapsed;
                } else {
                    failures.merge(status, 1L, Long::sum);
                }
            }
        }
    }
}
