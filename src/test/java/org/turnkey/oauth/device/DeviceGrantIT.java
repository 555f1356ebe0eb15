package org.turnkey.oauth.device;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.PageBrowser;
import org.turnkey.support.PageBrowser.Page;
import org.turnkey.support.TestDatabase;
import org.turnkey.token.Tokens;

import java.net.URL;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixClient.unique;

/**
 * The device authorisation grant over HTTP (RFC 8628; spec "Device authorisation flow", "Device
 * authorisation grant"): the device authorisation endpoint, polling at the token endpoint, and
 * the verification page driven as a browser would ({@link PageBrowser}). The interval is one
 * second here so that polling on time is quick; expiry is reached by moving a row's expiry into
 * the past. Rate limits are on with only the user-code guess limit tight enough to reach; the
 * test that reaches it runs last (every request comes from one address).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeviceGrantIT {

    static final String NAME = "oauth-device";
    static final String PASSWORD = "correct horse battery";
    static final String DEVICE = "/_turnkey/oauth2/device";
    static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static final int GUESSES = 6;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.ofEntries(
                Map.entry("turnkey.registration.enabled", "true"),
                Map.entry("turnkey.password.argon2.memory-kib", "1024"),
                Map.entry("turnkey.password.argon2.iterations", "1"),
                Map.entry("turnkey.oauth.device-code-interval", "PT1S"),
                Map.entry("turnkey.ratelimit.enabled", "true"),
                Map.entry("turnkey.ratelimit.login.address.burst-count", "10000"),
                Map.entry("turnkey.ratelimit.login.account.burst-count", "10000"),
                Map.entry("turnkey.ratelimit.registration.burst-count", "10000"),
                Map.entry("turnkey.ratelimit.refresh.burst-count", "10000"),
                Map.entry("turnkey.ratelimit.device-user-code.burst-count", Integer.toString(GUESSES)),
                Map.entry("turnkey.ratelimit.device-user-code.per-second", "0.001")));
    }

    @ArquillianResource
    URL base;

    MatrixClient client;
    OAuthFixture oauth;
    String user;
    String clientId;

    @BeforeEach
    void setUp() {
        client = new MatrixClient(base);
        oauth = new OAuthFixture(client, NAME);
        user = unique("dev");
        assertEquals(200, client.register(user, PASSWORD).status());
        clientId = registerClient("Device IT", true);
    }

    /** Registers a native client, with or without the device code grant (RFC 7591 section 2 grant_types). */
    String registerClient(String name, boolean deviceGrant) {
        var grants = Json.createArrayBuilder().add("authorization_code").add("refresh_token");
        if (deviceGrant) {
            grants.add(GRANT);
        }
        Reply reply = oauth.register(Json.createObjectBuilder().add("client_name", name)
                .add("client_uri", "https://tv.example.com/")
                .add("application_type", "native")
                .add("redirect_uris", Json.createArrayBuilder().add("http://127.0.0.1/callback"))
                .add("grant_types", grants).build());
        assertEquals(201, reply.status(), reply.toString());
        assertEquals(deviceGrant, reply.json().getJsonArray("grant_types").toString().contains(GRANT), reply.toString());
        return reply.string("client_id");
    }

    Reply start(String clientId, String deviceId) {
        return oauth.form(DEVICE, "client_id", clientId, "scope", OAuthFixture.scope(deviceId));
    }

    Reply poll(String clientId, String deviceCode) {
        return oauth.form(OAuthFixture.TOKEN, "grant_type", GRANT, "device_code", deviceCode, "client_id", clientId);
    }

    static void assertOAuthError(int status, String error, Reply reply) {
        assertEquals(status, reply.status(), reply.toString());
        assertEquals(error, reply.string("error"), reply.toString());
        assertFalse(reply.json().containsKey("errcode"), "RFC 6749 section 5.2 shape: " + reply);
        assertEquals("no-store", reply.header("Cache-Control"));
    }

    /** The verification page signed in as {@link #user}, at the given link (the sign-in page comes first). */
    Page signedIn(PageBrowser browser, String link) {
        Page login = browser.get(link);
        assertEquals(200, login.status(), login::toString);
        assertTrue(login.hasForm("login"), login::toString);
        Page redirect = browser.submit(login, "login", Map.of("username", user, "password", PASSWORD));
        assertEquals(303, redirect.status(), redirect::toString);
        return browser.get(redirect.location());
    }

    /** RFC 8628 section 3.2: the response's fields; section 6.1 user code; only hashes are stored. */
    @Test
    @Order(1)
    void deviceAuthorizationAnswersCodesVerificationUrisLifetimeAndInterval() {
        Reply started = start(clientId, "TV0001");
        assertEquals(200, started.status(), started.toString());
        assertEquals("no-store", started.header("Cache-Control"));
        JsonObject json = started.json();
        String userCode = json.getString("user_code");
        assertTrue(userCode.matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), userCode);
        assertEquals(PageBrowser.PUBLIC_BASE + "_turnkey/device", json.getString("verification_uri"));
        assertEquals(PageBrowser.PUBLIC_BASE + "_turnkey/device?user_code=" + userCode,
                json.getString("verification_uri_complete"));
        assertEquals(600, json.getInt("expires_in"), "turnkey.oauth.device-code-lifetime defaults to 10 minutes");
        assertEquals(1, json.getInt("interval"));
        String deviceCode = json.getString("device_code");
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM oauth_device_codes WHERE device_code_hash = ?"
                + " AND user_code_hash = ?", Tokens.hash(deviceCode), Tokens.hash(userCode.replace("-", ""))));
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM oauth_device_codes WHERE device_code_hash = ?"
                + " OR user_code_hash = ? OR user_code_hash = ?", deviceCode, userCode, userCode.replace("-", "")));
    }

    /** RFC 8628 section 3.5: authorization_pending (400, as the RFC says; MAS answers 403) until the user decides. */
    @Test
    @Order(2)
    void pollingBeforeTheUserDecidesIsAuthorizationPending() throws InterruptedException {
        String deviceCode = start(clientId, "TV0002").string("device_code");
        assertOAuthError(400, "authorization_pending", poll(clientId, deviceCode));
        Thread.sleep(1100);
        assertOAuthError(400, "authorization_pending", poll(clientId, deviceCode));
    }

    /** RFC 8628 section 3.5: slow_down when polled faster than the interval, which then grows by 5 seconds. */
    @Test
    @Order(3)
    void pollingFasterThanTheIntervalIsSlowDownAndTheIntervalGrows() throws InterruptedException {
        String deviceCode = start(clientId, "TV0003").string("device_code");
        assertOAuthError(400, "authorization_pending", poll(clientId, deviceCode));
        Reply tooFast = poll(clientId, deviceCode);
        assertOAuthError(400, "slow_down", tooFast);
        assertEquals(6, TestDatabase.count(NAME, "SELECT poll_interval FROM oauth_device_codes WHERE device_code_hash = ?",
                Tokens.hash(deviceCode)));
        Thread.sleep(1100);
        assertOAuthError(400, "slow_down", poll(clientId, deviceCode), "1 s is too fast once the interval is 6 s");
    }

    static void assertOAuthError(int status, String error, Reply reply, String why) {
        assertEquals(status, reply.status(), why + ": " + reply);
        assertEquals(error, reply.string("error"), why + ": " + reply);
    }

    /**
     * RFC 8628 sections 3.3 and 3.5, spec "Device authorisation flow": the user signs in on the
     * page reached by verification_uri_complete, sees the client, the device and the code, and
     * approves; the next poll gets tokens for the scope's device (as the code grant issues them),
     * and the device code is then used up: a second poll is invalid_grant, the page refuses the
     * user code.
     */
    @Test
    @Order(4)
    void approvalOnTheVerificationPageIssuesTokensOnceForTheScopesDevice() {
        String deviceId = unique("TV");
        JsonObject started = start(clientId, deviceId).json();
        PageBrowser browser = new PageBrowser(base);
        Page confirm = signedIn(browser, started.getString("verification_uri_complete"));
        assertEquals(200, confirm.status(), confirm::toString);
        assertTrue(confirm.hasForm("device"), confirm::toString);
        assertTrue(confirm.body().contains("Device IT"), "names the client");
        assertTrue(confirm.body().contains(deviceId), "names the device");
        assertTrue(confirm.body().contains(started.getString("user_code")), "shows the code to compare (section 5.4)");
        assertTrue(confirm.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        Page approved = browser.submit(confirm, "device", Map.of("decision", "allow"));
        assertEquals(200, approved.status(), approved::toString);
        assertTrue(approved.body().contains("id=\"outcome\""), approved::toString);

        Reply tokens = poll(clientId, started.getString("device_code"));
        assertEquals(200, tokens.status(), tokens.toString());
        assertEquals("no-store", tokens.header("Cache-Control"));
        assertEquals("Bearer", tokens.string("token_type"));
        assertTrue(tokens.json().getInt("expires_in") > 0);
        assertFalse(tokens.string("refresh_token").isEmpty(), "spec: the homeserver MUST issue a refresh token");
        assertEquals(OAuthFixture.scope(deviceId), tokens.string("scope"));
        Reply whoami = client.whoami(tokens.string("access_token"));
        assertEquals(200, whoami.status(), whoami.toString());
        assertEquals("@" + user + ":localhost", whoami.string("user_id"));
        assertEquals(deviceId, whoami.string("device_id"));
        assertEquals(200, oauth.refresh(clientId, tokens.string("refresh_token")).status(), "refreshable as OAuth");

        assertOAuthError(400, "invalid_grant", poll(clientId, started.getString("device_code")));
        Page again = browser.get(started.getString("verification_uri_complete"));
        assertEquals(410, again.status(), again::toString);
        assertTrue(again.body().contains("already used"), again::toString);
    }

    /** RFC 8628 section 3.5: a denial on the page is access_denied at the next poll, and final. */
    @Test
    @Order(5)
    void denialOnTheVerificationPageIsAccessDenied() throws InterruptedException {
        JsonObject started = start(clientId, "TV0005").json();
        PageBrowser browser = new PageBrowser(base);
        // verification_uri, then the code typed by hand in lower case without the dash.
        Page enter = signedIn(browser, started.getString("verification_uri"));
        assertTrue(enter.hasForm("device-code"), enter::toString);
        Page confirm = browser.get("_turnkey/device?user_code="
                + started.getString("user_code").replace("-", "").toLowerCase());
        assertTrue(confirm.hasForm("device"), confirm::toString);
        Page denied = browser.submit(confirm, "device", Map.of("decision", "deny"));
        assertEquals(200, denied.status(), denied::toString);
        assertTrue(denied.body().contains("not signed in"), denied::toString);
        assertOAuthError(400, "access_denied", poll(clientId, started.getString("device_code")));
        Thread.sleep(1100);
        assertOAuthError(400, "access_denied", poll(clientId, started.getString("device_code")));
        Page approveAfterDeny = browser.submit(confirm, "device", Map.of("decision", "allow"));
        assertEquals(410, approveAfterDeny.status(), approveAfterDeny::toString);
    }

    /** RFC 8628 section 3.5 expired_token; section 3.2 expires_in: the page refuses an expired user code too. */
    @Test
    @Order(6)
    void expiredDeviceCodeIsExpiredTokenAndItsUserCodeIsRefused() {
        JsonObject started = start(clientId, "TV0006").json();
        oauth.sql("UPDATE oauth_device_codes SET expires_ts = ? WHERE device_code_hash = ?",
                System.currentTimeMillis() - 1, Tokens.hash(started.getString("device_code")));
        assertOAuthError(400, "expired_token", poll(clientId, started.getString("device_code")));
        Page page = signedIn(new PageBrowser(base), started.getString("verification_uri_complete"));
        assertEquals(410, page.status(), page::toString);
        assertTrue(page.body().contains("expired"), page::toString);
        assertFalse(page.hasForm("device"), "nothing to approve");
    }

    /** RFC 6749 section 5.2 (RFC 8628 section 3.2 errors): unknown client is 401 invalid_client at both endpoints. */
    @Test
    @Order(7)
    void unknownClientIsInvalidClient() {
        assertOAuthError(401, "invalid_client", start("no-such-client", "TV0007"));
        assertOAuthError(401, "invalid_client", poll("no-such-client", "tkd_whatever"));
        assertOAuthError(400, "invalid_request", oauth.form(DEVICE, "scope", OAuthFixture.scope("TV0007")));
    }

    /** RFC 6749 section 5.2 unauthorized_client: a client that did not register the device code grant. */
    @Test
    @Order(8)
    void clientWithoutTheDeviceGrantIsUnauthorizedClient() {
        String codeOnly = registerClient("Code only", false);
        assertOAuthError(400, "unauthorized_client", start(codeOnly, "TV0008"));
        String deviceCode = start(clientId, "TV0008").string("device_code");
        assertOAuthError(400, "unauthorized_client", poll(codeOnly, deviceCode));
    }

    /** A device code is bound to its client (RFC 8628 section 3.4); an unknown one is invalid_grant. */
    @Test
    @Order(9)
    void anotherClientsOrAnUnknownDeviceCodeIsInvalidGrant() {
        String other = registerClient("Other TV", true);
        String deviceCode = start(clientId, "TV0009").string("device_code");
        assertOAuthError(400, "invalid_grant", poll(other, deviceCode));
        assertOAuthError(400, "invalid_grant", poll(clientId, "tkd_" + Tokens.randomString(32)));
        assertOAuthError(400, "invalid_request", oauth.form(OAuthFixture.TOKEN, "grant_type", GRANT, "client_id", clientId));
    }

    /**
     * Spec "Device ID allocation" and RFC 8628 section 3.1 (scope optional): a scope without a
     * device gets one allocated, in the scope's spelling; a bad scope is invalid_scope.
     */
    @Test
    @Order(10)
    void scopeWithoutADeviceGetsOneAllocatedAndABadScopeIsInvalidScope() {
        Reply noDevice = oauth.form(DEVICE, "client_id", clientId, "scope", "urn:matrix:client:api:*");
        assertEquals(200, noDevice.status(), noDevice.toString());
        assertTrue(noDevice.string("scope").matches("urn:matrix:client:api:\\* urn:matrix:client:device:[A-Z]{10}"),
                noDevice.toString());
        Reply none = oauth.form(DEVICE, "client_id", clientId);
        assertEquals(200, none.status(), none.toString());
        assertNotEquals(noDevice.string("scope"), none.string("scope"));
        assertOAuthError(400, "invalid_scope", oauth.form(DEVICE, "client_id", clientId, "scope", "openid"));
        assertOAuthError(400, "invalid_scope", oauth.form(DEVICE, "client_id", clientId, "scope",
                OAuthFixture.scope("A") + " urn:matrix:client:device:B"));
    }

    /** RFC 6749 section 10.12 CSRF: approving without or with a wrong token is the 403 page, and nothing is approved. */
    @Test
    @Order(11)
    void approvalWithoutTheCsrfTokenIsRefused() {
        JsonObject started = start(clientId, "TV0011").json();
        PageBrowser browser = new PageBrowser(base);
        Page confirm = signedIn(browser, started.getString("verification_uri_complete"));
        String userCode = started.getString("user_code");
        Page missing = browser.post(confirm.action("device"), Map.of("user_code", userCode, "decision", "allow"));
        assertEquals(403, missing.status(), missing::toString);
        Page wrong = browser.post(confirm.action("device"), Map.of("csrf", "x".repeat(64), "user_code", userCode,
                "decision", "allow"));
        assertEquals(403, wrong.status(), wrong::toString);
        assertOAuthError(400, "authorization_pending", poll(clientId, started.getString("device_code")));
    }

    /**
     * RFC 8628 section 3.3: a mistyped or unknown user code gets a friendly error on the page
     * (the code form again, not an error page), and nothing leaks about other codes.
     */
    @Test
    @Order(12)
    void wrongOrMalformedUserCodeGetsAFriendlyErrorOnThePage() {
        PageBrowser browser = new PageBrowser(base);
        Page enter = signedIn(browser, "_turnkey/device");
        assertEquals(200, enter.status(), enter::toString);
        Page unknown = browser.get("_turnkey/device?user_code=BBBB-BBBB");
        assertEquals(404, unknown.status(), unknown::toString);
        assertTrue(unknown.hasForm("device-code") && unknown.body().contains("No device is waiting for that code"),
                unknown::toString);
        Page malformed = browser.get("_turnkey/device?user_code=hello%3Cb%3E");
        assertEquals(400, malformed.status(), malformed::toString);
        assertTrue(malformed.hasForm("device-code") && malformed.body().contains("8 letters"), malformed::toString);
        assertFalse(malformed.body().contains("hello<b>"), "typed text is escaped");
    }

    /**
     * RFC 8628 section 5.1: user-code guesses are rate-limited per address (turnkey.ratelimit.device-user-code.*);
     * once over the limit even a right code waits (429 on the page). Runs last: the limit is the address's.
     */
    @Test
    @Order(100)
    void wrongUserCodeGuessesAreRateLimited() {
        JsonObject started = start(clientId, "TV0100").json();
        PageBrowser browser = new PageBrowser(base);
        signedIn(browser, "_turnkey/device");
        int refusedAt = -1;
        for (int i = 0; i < GUESSES + 3 && refusedAt < 0; i++) {
            Page guess = browser.get("_turnkey/device?user_code=" + DeviceGrantPolicy.newUserCode());
            if (guess.status() == 429) {
                refusedAt = i;
            } else {
                assertEquals(404, guess.status(), guess::toString);
            }
        }
        assertTrue(refusedAt > 0 && refusedAt <= GUESSES, "refused at guess " + refusedAt);
        Page right = browser.get(started.getString("verification_uri_complete"));
        assertEquals(429, right.status(), right::toString);
        assertTrue(right.body().contains("Too many wrong codes"), right::toString);
        assertTrue(right.header("Retry-After") != null, "Retry-After");
    }
}
