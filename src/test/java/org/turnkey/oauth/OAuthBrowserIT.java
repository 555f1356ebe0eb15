package org.turnkey.oauth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.turnkey.support.NodeScripts;
import org.turnkey.support.PayaraProcess;
import org.turnkey.support.TestPostgres;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OAuth 2.0 API end to end with a real client in a real browser: {@code src/test/js/oauth-browser.mjs}
 * registers a native client through matrix-js-sdk, signs in, registers an account
 * ({@code prompt=create}) and grants or denies consent on Turnkey's own pages in headless
 * Chromium, keeps the SDK client working across three access-token expiries (three seconds
 * each) by the SDK's own refreshes, and logs out by revocation. Turnkey runs as operators run it,
 * on a port chosen first so that {@code TURNKEY_PUBLIC_BASE_URL} is its real address. Screenshots
 * of every page land in {@code target/screenshots/<database>/}.
 *
 * <p>Needs Node.js 20+, npm and Chromium ({@code CHROMIUM}, default {@code /usr/bin/chromium};
 * Debian's {@code chromium} package, which {@code .ci/run} installs). A missing browser fails the
 * test rather than skipping it.
 */
class OAuthBrowserIT {

    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

    private static PayaraProcess turnkey;
    private static CompletableFuture<Void> installing;
    private static String database;

    @BeforeAll
    static void start() {
        // Checked before Payara Micro's minute of start-up, which would be lost.
        assertTrue(new File(CHROMIUM).canExecute(), "No Chromium at " + CHROMIUM + ": install Debian's chromium"
                + " (apt-get install -y chromium, as .ci/run does) or set CHROMIUM to a Chromium or Chrome binary");
        int port = PayaraProcess.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("TURNKEY_PUBLIC_BASE_URL", "http://127.0.0.1:" + port + "/");
        env.put("TURNKEY_REGISTRATION_ENABLED", "true");
        env.put("TURNKEY_ACCESS_TOKEN_LIFETIME", "PT3S");
        // The account scenario signs one account in from one address more often than the
        // default login limits allow in a minute; rate limits are PagesSecurityIT's subject.
        env.put("TURNKEY_RATELIMIT_LOGIN_ADDRESS_BURST_COUNT", "1000");
        env.put("TURNKEY_RATELIMIT_LOGIN_ACCOUNT_BURST_COUNT", "1000");
        // The device grant script (deviceSignsInWithAUserCode...) waits out one device code.
        env.put("TURNKEY_OAUTH_DEVICE_CODE_LIFETIME", "PT30S");
        env.put("TURNKEY_OAUTH_DEVICE_CODE_INTERVAL", "PT1S");
        // Several scripts sign in from 127.0.0.1 against this one server: the default of five
        // logins per address (then one per 5.5 minutes) would make the later ones wait.
        env.put("TURNKEY_RATELIMIT_LOGIN_ADDRESS_BURST_COUNT", "50");
        env.put("TURNKEY_RATELIMIT_REGISTRATION_BURST_COUNT", "20");
        env.put("TURNKEY_DATA_DIR", PayaraProcess.dataDir("oauth-browser").getPath());
        if (TestPostgres.enabled()) {
            database = "postgresql";
            env.put("TURNKEY_DB_URL", TestPostgres.createDatabase("oauth_browser"));
            env.put("TURNKEY_DB_USER", TestPostgres.USER);
            env.put("TURNKEY_DB_PASSWORD", TestPostgres.USER);
        } else {
            database = "h2";
        }
        // npm ci (on a clean clone) runs while Payara Micro starts.
        installing = CompletableFuture.runAsync(() -> {
            try {
                NodeScripts.install();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        turnkey = PayaraProcess.start(port, PayaraProcess.QUICK_START, env, List.of("--nocluster"));
    }

    @AfterAll
    static void stop() {
        if (turnkey != null) {
            turnkey.close();
        }
    }

    /**
     * Spec "Authorisation code flow" (PKCE S256 per RFC 7636, both response modes, RFC 9207 iss,
     * RFC 6749 section 4.1.2.1: no redirect for an unknown client, section 4.1.2: a code is used
     * once), "Redirect URI validation" (RFC 8252 section 7.3: loopback at any port), "User
     * registration" (prompt=create), "Token refresh flow" (matrix-js-sdk refreshing by itself on
     * M_UNKNOWN_TOKEN) and "Token revocation" (both tokens refused after either is revoked).
     */
    @Test
    void nativeClientSignsInRegistersAndStaysSignedInThroughTheBrowserThenLogsOutByRevocation() throws Exception {
        installing.join();
        File screenshots = new File("target/screenshots/" + database).getAbsoluteFile();
        NodeScripts.Result browser = NodeScripts.run(
                List.of("node", "oauth-browser.mjs", turnkey.url() + "/", screenshots.getPath()),
                Map.of("CHROMIUM", CHROMIUM), 280);
        String failure = browser.lines().stream().filter(l -> l.startsWith("oauth-browser: FAILED")).findFirst()
                .orElse(browser.lastLine());
        assertEquals(0, browser.exit(), failure
                + " (screenshots in " + screenshots + ")\nTurnkey's log:\n" + tail(turnkey.output(), 60));
        // The summary is the script's last line on stdout; stderr lines may come after it.
        assertTrue(browser.lines().stream().anyMatch(l -> l.startsWith("oauth-browser: ok ")),
                "no summary line: " + browser.lastLine());
    }

    /**
     * Spec "Device authorisation flow" (RFC 8628): {@code src/test/js/device-grant.mjs} runs
     * matrix-js-sdk's startDeviceAuthorizationGrant / waitForDeviceAuthorizationGrant while
     * Chromium signs in on the verification page and approves (tokens for the SDK's device) or
     * denies (access_denied); a device polling at once gets slow_down (section 3.5) and the SDK
     * copes; an unapproved code expires (30 s here) and is then expired_token.
     */
    @Test
    void deviceSignsInWithAUserCodeApprovedOrDeniedInTheBrowser() throws Exception {
        installing.join();
        File screenshots = new File("target/screenshots/" + database).getAbsoluteFile();
        NodeScripts.Result device = NodeScripts.run(
                List.of("node", "device-grant.mjs", turnkey.url() + "/", screenshots.getPath()),
                Map.of("CHROMIUM", CHROMIUM), 200);
        String failure = device.lines().stream().filter(l -> l.startsWith("device-grant: FAILED")).findFirst()
                .orElse(device.lastLine());
        assertEquals(0, device.exit(), failure
                + " (screenshots in " + screenshots + ")\nTurnkey's log:\n" + tail(turnkey.output(), 60));
        assertTrue(device.lines().stream().anyMatch(l -> l.startsWith("device-grant: ok ")),
                "no summary line: " + device.lastLine());
    }

    /**
     * Spec "OAuth 2.0 aware clients" and "Client login via SSO": a legacy client (matrix-js-sdk's
     * loginFlows, getSsoLoginUrl, m.login.token) finds m.login.sso with oauth_aware_preferred,
     * the browser signs in on Turnkey's page and returns to a loopback redirectUrl with a
     * loginToken that logs in once; another host is confirmed first; a javascript: URL is a 400
     * page; action=register registers. {@code src/test/js/sso-browser.mjs}; screenshots in
     * {@code target/screenshots/<database>/sso/}.
     */
    @Test
    void legacyClientSignsInThroughTheBrowserWithSsoRedirectAndLoginToken() throws Exception {
        installing.join();
        File screenshots = new File("target/screenshots/" + database + "/sso").getAbsoluteFile();
        NodeScripts.Result browser = NodeScripts.run(
                List.of("node", "sso-browser.mjs", turnkey.url() + "/", screenshots.getPath()),
                Map.of("CHROMIUM", CHROMIUM), 170);
        String failure = browser.lines().stream().filter(l -> l.startsWith("sso-browser: FAILED")).findFirst()
                .orElse(browser.lastLine());
        assertEquals(0, browser.exit(), failure
                + " (screenshots in " + screenshots + ")\nTurnkey's log:\n" + tail(turnkey.output(), 60));
        assertTrue(browser.lines().stream().anyMatch(l -> l.startsWith("sso-browser: ok ")),
                "no summary line: " + browser.lastLine());
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }
}
