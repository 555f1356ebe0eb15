package org.turnkey.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Node.js scripts under {@code src/test/js} that drive Turnkey with real client software
 * (matrix-js-sdk, a headless browser), with the versions {@code package-lock.json} pins.
 */
public final class NodeScripts {

    public static final File DIRECTORY = new File("src/test/js");

    private NodeScripts() {
    }

    public record Result(int exit, List<String> lines) {
        public String lastLine() {
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }
    }

    /** Runs {@code npm ci} unless every dependency of package.json is installed at its pinned version. */
    public static void install() throws IOException, InterruptedException {
        if (installed()) {
            return;
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300);
        assertEquals(0, install.exit(), "npm ci failed");
    }

    private static boolean installed() throws IOException {
        JsonObject dependencies;
        try (JsonReader reader = Json.createReader(new FileReader(new File(DIRECTORY, "package.json"), StandardCharsets.UTF_8))) {
            dependencies = reader.readObject().getJsonObject("dependencies");
        }
        for (Map.Entry<String, ?> dependency : dependencies.entrySet()) {
            File manifest = new File(DIRECTORY, "node_modules/" + dependency.getKey() + "/package.json");
            if (!manifest.isFile()) {
                return false;
            }
            try (JsonReader reader = Json.createReader(new FileReader(manifest, StandardCharsets.UTF_8))) {
                String wanted = ((JsonString) dependency.getValue()).getString();
                if (!wanted.equals(reader.readObject().getString("version", ""))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Runs a command in {@code src/test/js}, echoing its output to the test log as it comes. */
    public static Result run(List<String> command, Map<String, String> environment, long timeoutSeconds)
            throws IOException, InterruptedException {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(DIRECTORY).redirectErrorStream(true);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("Cannot start '" + command.get(0) + "': this test needs Node.js 20+ and npm on the PATH", e);
        }
        List<String> lines = new ArrayList<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    System.out.println("[" + command.get(0) + "] " + line);
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException e) {
                System.out.println("[" + command.get(0) + "] output lost: " + e);
            }
        });
        pump.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            pump.join(5_000);
            fail(String.join(" ", command.subList(0, 2)) + " did not finish within " + timeoutSeconds + " s");
        }
        pump.join(5_000);
        synchronized (lines) {
            return new Result(process.exitValue(), List.copyOf(lines));
        }
    }
}
