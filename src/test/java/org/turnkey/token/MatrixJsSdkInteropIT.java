package org.turnkey.token;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interop with a real client library: {@code src/test/js/interop.mjs} drives this server with
 * matrix-js-sdk (pinned in {@code src/test/js/package-lock.json}) under Node. Access tokens live
 * two seconds, so the SDK client goes through several soft logouts and refreshes.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class MatrixJsSdkInteropIT {

    private static final File SCRIPTS = new File("src/test/js");

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war("jssdk", Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.access-token.lifetime", "PT2S"));
    }

    @ArquillianResource
    URL base;

    @Test
    void matrixJsSdkStaysLoggedInAcrossExpiriesByRefreshingAndIsRefusedAfterLogout() throws Exception {
        if (!new File(SCRIPTS, "node_modules").isDirectory()) {
            Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
            assertEquals(0, install.exit(), "npm ci failed");
        }
        Result interop = run(List.of("node", "interop.mjs", base.toString()), 150);
        assertEquals(0, interop.exit(), "interop.mjs failed: " + interop.lastLine());
        assertTrue(interop.lastLine().startsWith("interop: ok "), "unexpected summary: " + interop.lastLine());
    }

    private record Result(int exit, List<String> lines) {
        String lastLine() {
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }
    }

    /** Runs a command in {@code src/test/js}, echoing its output to the test log as it comes. */
    private static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(SCRIPTS).redirectErrorStream(true).start();
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
