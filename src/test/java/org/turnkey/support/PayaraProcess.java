package org.turnkey.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Turnkey on a Payara Micro process of its own, started the way an operator starts it
 * ({@code java -jar payara-micro.jar --deploy turnkey.war}) with {@code TURNKEY_*} environment
 * variables, for tests that restart the server or run several instances.
 */
public final class PayaraProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final int port;

    private PayaraProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // The process ended; its output is complete.
            }
        }, "payara-output-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * JVM options that start Payara Micro in less than half the time on a busy machine (34 s
     * instead of 75 to 87 s, at a load average of 13 to 15 on 2 cores): the client compiler only,
     * and the serial collector. Fine for tests; not what production runs.
     */
    public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /**
     * Starts an instance with {@link #QUICK_START} (the tests that start their own Payara restart
     * or kill it, so start-up is most of their time) and waits until Payara reports it is ready.
     */
    public static PayaraProcess start(Map<String, String> environment, List<String> extraArgs) {
        return start(freePort(), QUICK_START, environment, extraArgs);
    }

    /**
     * Starts an instance on a port chosen beforehand, for configuration that must name the
     * server's own address (TURNKEY_PUBLIC_BASE_URL), with extra JVM options such as
     * {@link #QUICK_START}, and waits until it is ready.
     */
    public static PayaraProcess start(int port, List<String> jvmOptions, Map<String, String> environment,
                                      List<String> extraArgs) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xmx512m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar",
                System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--deploy", System.getProperty("turnkey.war", "target/turnkey.war"),
                "--port", Integer.toString(port),
                // The HTTP listener settings of the run command.
                "--prebootcommandfile", System.getProperty("turnkey.it.preboot", "server-config/payara-micro.preboot")));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            PayaraProcess payara = new PayaraProcess(builder.start(), port);
            payara.awaitReady(Duration.ofMinutes(3));
            return payara;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (output.stream().anyMatch(l -> l.contains("ready in"))) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited:\n" + String.join("\n", output));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("Payara Micro not ready in " + timeout + ":\n" + String.join("\n", output));
    }

    /** Waits until this member's data grid shows {@code members} members. */
    public void awaitClusterSize(int members, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        String marker = "DG Size: " + members;
        while (Instant.now().isBefore(deadline)) {
            if (output.stream().anyMatch(l -> l.contains(marker))) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("Cluster of " + members + " not formed in " + timeout + ":\n" + output());
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public MatrixClient client() {
        try {
            return new MatrixClient(new java.net.URL(url()));
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Payara Micro JVM's process id: {@code java} itself, started without a shell in between. */
    public long pid() {
        return process.pid();
    }

    /**
     * Kills the JVM with SIGKILL, as {@code kill -9} does ({@link Process#destroyForcibly()} on
     * Linux): no shutdown hook, no connection pool or database closed. Waits until it is gone and
     * returns its exit status, 137 (128 + 9) when SIGKILL ended it.
     */
    public int killDashNine() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("Payara Micro " + pid() + " still alive 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return process.exitValue();
    }

    public String output() {
        return String.join("\n", output);
    }

    public static File dataDir(String name) {
        return new File("target/it-data/" + name + "-" + System.currentTimeMillis()).getAbsoluteFile();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
