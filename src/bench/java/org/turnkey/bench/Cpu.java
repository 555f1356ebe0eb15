package org.turnkey.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of the server (Payara's JVM), of PostgreSQL (postmaster and its children) and of this
 * load generator, from /proc/PID/stat utime + stime; of the server's request threads and garbage
 * collector, which tell how much of its CPU the requests themselves took; and of the JIT compiler
 * threads of both JVMs, which tell whether the code being measured is compiled yet. A PostgreSQL backend that
 * exits during a window is missed; the pool keeps its connections open, so in practice none does.
 */
final class Cpu {

    record Sample(long wallNanos, long serverTicks, long requestTicks, long gcTicks, Map<Long, Long> dbTicks,
                  long selfNanos, long serverJitTicks, long selfJitTicks) {
    }

    /** Cores used between two samples, by each party, and by the JIT compilers of each JVM. */
    record Use(double server, double requests, double gc, double db, double self, double serverJit, double selfJit) {
        /** The JIT compilers of both JVMs. */
        double jit() {
            return serverJit + selfJit;
        }

        @Override
        public String toString() {
            return String.format("server %.2f cores (request threads %.2f, GC %.2f, JIT %.2f), PostgreSQL %.2f, "
                    + "load generator %.2f (JIT %.2f)", server, requests, gc, serverJit, db, self, selfJit);
        }
    }

    /** Payara's HTTP worker threads, "http-thread-pool::http-listener(N)", cut to 15 characters by Linux. */
    private static final Predicate<String> REQUEST_THREAD = name -> name.startsWith("http-thread-poo");
    private static final Predicate<String> GC_THREAD = name -> name.startsWith("GC Thread") || name.startsWith("G1 ");
    private static final Predicate<String> JIT_THREAD = name -> name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler");

    private static final double TICKS_PER_SECOND = ticksPerSecond();

    private final long serverPid;
    private final long dbPid;

    Cpu(long serverPid, long dbPid) {
        this.serverPid = serverPid;
        this.dbPid = dbPid;
    }

    Sample sample() {
        Map<Long, Long> db = new HashMap<>();
        if (dbPid > 0) {
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                    long pid = Long.parseLong(p.getFileName().toString());
                    String[] stat = stat(pid);
                    if (stat != null && (pid == dbPid || Long.parseLong(stat[1]) == dbPid)) {
                        db.put(pid, Long.parseLong(stat[11]) + Long.parseLong(stat[12]));
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        String[] server = serverPid > 0 ? stat(serverPid) : null;
        long serverTicks = server == null ? 0 : Long.parseLong(server[11]) + Long.parseLong(server[12]);
        long self = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Sample(System.nanoTime(), serverTicks, threadTicks(serverPid, REQUEST_THREAD),
                threadTicks(serverPid, GC_THREAD), db, self,
                threadTicks(serverPid, JIT_THREAD), threadTicks(ProcessHandle.current().pid(), JIT_THREAD));
    }

    /** CPU ticks of those threads of a JVM whose names match; those that ended are missed. */
    private static long threadTicks(long pid, Predicate<String> names) {
        if (pid <= 0) {
            return 0;
        }
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            return threads.mapToLong(t -> {
                String comm;
                try {
                    comm = Files.readString(t.resolve("comm"));
                } catch (IOException e) {
                    return 0;
                }
                String[] stat = names.test(comm) ? stat(t) : null;
                return stat == null ? 0 : Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    static Use between(Sample a, Sample b) {
        double wall = (b.wallNanos() - a.wallNanos()) / 1e9;
        long dbTicks = 0;
        for (Map.Entry<Long, Long> e : b.dbTicks().entrySet()) {
            dbTicks += e.getValue() - a.dbTicks().getOrDefault(e.getKey(), 0L);
        }
        return new Use((b.serverTicks() - a.serverTicks()) / TICKS_PER_SECOND / wall,
                (b.requestTicks() - a.requestTicks()) / TICKS_PER_SECOND / wall,
                (b.gcTicks() - a.gcTicks()) / TICKS_PER_SECOND / wall,
                dbTicks / TICKS_PER_SECOND / wall, (b.selfNanos() - a.selfNanos()) / 1e9 / wall,
                (b.serverJitTicks() - a.serverJitTicks()) / TICKS_PER_SECOND / wall,
                (b.selfJitTicks() - a.selfJitTicks()) / TICKS_PER_SECOND / wall);
    }

    /** Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime. */
    private static String[] stat(long pid) {
        return stat(Path.of("/proc", Long.toString(pid)));
    }

    private static String[] stat(Path procOrTask) {
        try {
            String line = Files.readString(procOrTask.resolve("stat"));
            return line.substring(line.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    private static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Double.parseDouble(new String(getconf.getInputStream().readAllBytes()).trim());
        } catch (IOException | NumberFormatException e) {
            return 100;
        }
    }
}
