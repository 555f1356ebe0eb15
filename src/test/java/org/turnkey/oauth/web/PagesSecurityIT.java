package org.turnkey.oauth.web;

import jakarta.json.Json;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.oauth.code.Pkce;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.OAuthClientRows;
import org.turnkey.support.PageBrowser;
import org.turnkey.support.PageBrowser.Page;
import org.turnkey.support.TestDatabase;
import org.turnkey.token.Tokens;

import java.net.URL;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages' own security (RFC 9700 sections 4.16 clickjacking and 4.11 open redirection, RFC
 * 6749 section 10.12 CSRF): headers on every response, cookies, CSRF tokens, escaping of what
 * clients registered. Registration requires a token here, so the registration page shows its field.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PagesSecurityIT {

    static final String NAME = "oauthpages";
    static final String REDIRECT = "https://app.example.org/cb";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.ofEntries(
                Map.entry("turnkey.registration.enabled", "true"),
                Map.entry("turnkey.registration.requires-token", "true"),
                Map.entry("turnkey.registration.tokens", "invite-1"),
                Map.entry("turnkey.password.argon2.memory-kib", "1024"),
                Map.entry("turnkey.password.argon2.iterations", "1"),
                // Rate limits on, as in production, with only the failed-attempts limit tight
                // enough to reach: the page must apply POST /login's limits.
                Map.entry("turnkey.ratelimit.enabled", "true"),
                Map.entry("turnkey.ratelimit.login.address.burst-count", "10000"),
                Map.entry("turnkey.ratelimit.login.account.burst-count", "10000"),
                Map.entry("turnkey.ratelimit.login.failed-attempts.burst-count", "3"),
                Map.entry("turnkey.ratelimit.login.failed-attempts.per-second", "0.001"),
                Map.entry("turnkey.ratelimit.registration.burst-count", "10000")));
    }

    @ArquillianResource
    URL base;

    static String hostileClient() {
        return OAuthClientRows.insert(NAME, Json.createObjectBuilder()
                .add("client_name", "<script>alert(1)</script>\"&'")
                .add("client_uri", "https://app.example.org/")
                .add("logo_uri", "https://cdn.example.net/logo.png")
                .add("tos_uri", "https://app.example.org/tos\"onmouseover=\"x")
                .add("policy_uri", "javascript:alert(1)")
                .add("application_type", "web")
                .add("redirect_uris", Json.createArrayBuilder().add(REDIRECT)).build());
    }

    static String authorize(String clientId, String... extra) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", REDIRECT);
        p.put("scope", "urn:matrix:client:api:* urn:matrix:client:device:" + MatrixClient.unique("D"));
        p.put("state", "s");
        p.put("code_challenge", Pkce.challengeOf("v".repeat(50)));
        p.put("code_challenge_method", "S256");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return "_turnkey/oauth2/authorize?" + PageBrowser.encode(p);
    }

    String newUser() {
        String name = MatrixClient.unique("sec");
        // Registration needs a token on this deployment: make the account directly through the API's token flow.
        MatrixClient client = new MatrixClient(base);
        var first = client.post("/_matrix/client/v3/register", Json.createObjectBuilder().add("username", name)
                .add("password", "pw-" + name).build());
        var done = client.post("/_matrix/client/v3/register", Json.createObjectBuilder().add("username", name)
                .add("password", "pw-" + name).add("auth", Json.createObjectBuilder()
                        .add("type", "m.login.registration_token").add("token", "invite-1")
                        .add("session", first.string("session"))).build());
        assertEquals(200, done.status(), done::toString);
        return name;
    }

    static Page follow(PageBrowser browser, Page redirect) {
        assertEquals(303, redirect.status(), redirect::toString);
        return browser.get(redirect.location());
    }

    static void assertPageHeaders(Page page) {
        String csp = page.header("Content-Security-Policy");
        assertNotNull(csp, page::toString);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("style-src 'self'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("base-uri 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertFalse(csp.contains("script-src"), "no script at all: default-src 'none' covers it");
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertEquals("no-referrer", page.header("Referrer-Policy"));
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertEquals("no-store", page.header("Cache-Control"));
        assertFalse(page.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith("JSESSIONID")),
                "no servlet session");
        if (page.status() == 200 || page.status() >= 400) {
            assertTrue(page.body().contains("name=\"viewport\""), "readable on a phone");
            assertFalse(page.body().contains("<script"), "no script element");
            assertFalse(page.body().contains("style=\""), "no inline style");
        }
    }

    /**
     * Every page and redirect has the headers; form-action lists the client's redirect origin
     * (Chromium applies form-action to the redirect after a form POST).
     */
    @Test
    void securityHeadersOnEveryPageAndRedirect() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        String clientId = hostileClient();
        Page start = browser.get(authorize(clientId));
        assertPageHeaders(start);
        Page login = follow(browser, start);
        assertPageHeaders(login);
        assertTrue(login.header("Content-Security-Policy").contains("form-action 'self' http://localhost:8008 https://app.example.org"),
                login.header("Content-Security-Policy"));
        Page signedIn = browser.submit(login, "login", Map.of("username", user, "password", "pw-" + user));
        assertPageHeaders(signedIn);
        Page toConsent = follow(browser, signedIn);
        assertPageHeaders(toConsent);
        Page consent = follow(browser, toConsent);
        assertEquals(200, consent.status(), consent::toString);
        assertPageHeaders(consent);
        Page allowed = browser.submit(consent, "consent", Map.of("decision", "allow"));
        assertPageHeaders(allowed);
        assertTrue(allowed.location().startsWith(REDIRECT + "?code="), allowed::toString);
        assertPageHeaders(browser.get(authorize("no-such-client")));
        assertPageHeaders(browser.get("_turnkey/logout"));
        assertPageHeaders(follow(browser, browser.get(authorize(clientId, "prompt", "create"))));
        assertPageHeaders(browser.get("_turnkey/consent"));
    }

    /**
     * The session cookie: HttpOnly, SameSite=Lax, Path=/ (the base path), not Secure over a
     * loopback http base URL; only its SHA-256 is stored; each sign-in gets a new ID.
     */
    @Test
    void sessionCookieFlagsHashAndRenewalOnSignIn() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        String clientId = hostileClient();
        Page login = follow(browser, browser.get(authorize(clientId)));
        Page signedIn = browser.submit(login, "login", Map.of("username", user, "password", "pw-" + user));
        String setCookie = signedIn.headers("Set-Cookie").stream().filter(c -> c.startsWith("turnkey_session="))
                .findFirst().orElseThrow(() -> new AssertionError(signedIn.toString()));
        String lower = setCookie.toLowerCase();
        assertTrue(lower.contains("httponly"), setCookie);
        assertTrue(lower.contains("samesite=lax"), setCookie);
        assertTrue(lower.contains("path=/"), setCookie);
        assertFalse(lower.contains("secure"), setCookie);
        String first = setCookie.substring("turnkey_session=".length(), setCookie.indexOf(';'));
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM browser_sessions WHERE id_hash = ?",
                Tokens.hash(first)));
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM browser_sessions WHERE id_hash = ?", first));
        // Signing in again (the login page, reached directly with the request) replaces the ID.
        Page again = browser.get(login.uri().toString());
        Page second = browser.submit(again, "login", Map.of("username", user, "password", "pw-" + user));
        String renewed = second.headers("Set-Cookie").stream().filter(c -> c.startsWith("turnkey_session="))
                .findFirst().orElseThrow();
        assertNotEquals(first, renewed.substring("turnkey_session=".length(), renewed.indexOf(';')));
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM browser_sessions WHERE id_hash = ?",
                Tokens.hash(first)), "the old session is gone");
    }

    /** RFC 6749 section 10.12: a POST without or with a wrong CSRF token is refused with the 403 page. */
    @Test
    void csrfMissingOrWrongIsRefused() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        Page login = follow(browser, browser.get(authorize(hostileClient())));
        Page missing = browser.post(login.action("login"), Map.of("username", user, "password", "pw-" + user));
        assertEquals(403, missing.status(), missing::toString);
        assertPageHeaders(missing);
        Page wrong = browser.post(login.action("login"), Map.of("csrf", "0".repeat(64), "username", user,
                "password", "pw-" + user));
        assertEquals(403, wrong.status(), wrong::toString);
        assertTrue(browser.cookies().stream().noneMatch(c -> c.getName().equals("turnkey_session")));
        // Signed in properly, a forged consent POST issues no code.
        Page consent = follow(browser, follow(browser,
                browser.submit(login, "login", Map.of("username", user, "password", "pw-" + user))));
        Page forged = browser.post(consent.action("consent"), Map.of("csrf", "x", "decision", "allow"));
        assertEquals(403, forged.status(), forged::toString);
        // A token from another browser does not fit this browser's cookie.
        PageBrowser other = new PageBrowser(base);
        Page otherLogin = follow(other, other.get(authorize(hostileClient())));
        Page crossed = browser.post(consent.action("consent"), Map.of("csrf", otherLogin.csrf("login"),
                "decision", "allow"));
        assertEquals(403, crossed.status(), crossed::toString);
    }

    /** Client metadata is hostile: names escaped, only http(s) links, rel="noopener noreferrer", logo shown as its host. */
    @Test
    void clientMetadataIsEscapedAndOnlySafeLinksAreShown() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        Page login = follow(browser, browser.get(authorize(hostileClient())));
        Page consent = follow(browser, follow(browser,
                browser.submit(login, "login", Map.of("username", user, "password", "pw-" + user))));
        String body = consent.body();
        assertFalse(body.contains("<script>"), body);
        assertTrue(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;&#034;&amp;&#039;"), body);
        assertFalse(body.contains("javascript:"), body);
        assertFalse(body.contains("\"onmouseover"), body);
        assertTrue(body.contains("rel=\"noopener noreferrer\""), body);
        assertTrue(body.contains("cdn.example.net"), body);
        assertFalse(body.contains("<img"), body);
        assertTrue(body.contains("localhost"), "the server name is shown");
        assertTrue(consent.hasForm("logout"), "Not you? sign out");
        assertTrue(body.contains("<label for=\"username\"") || !body.contains("id=\"username\""));
    }

    /** The form contract others' browser tests depend on: ids, names, the token field when required. */
    @Test
    void formContractAndRegistrationTokenField() {
        PageBrowser browser = new PageBrowser(base);
        Page login = follow(browser, browser.get(authorize(hostileClient())));
        String form = login.form("login");
        assertTrue(form.contains("name=\"username\"") && form.contains("name=\"password\"")
                && form.contains("<button type=\"submit\"") && form.contains("name=\"csrf\""), form);
        assertTrue(login.body().contains("<label for=\"username\"") && login.body().contains("<label for=\"password\""));
        Page register = follow(browser, browser.get(authorize(hostileClient(), "prompt", "create")));
        String registerForm = register.form("register");
        for (String field : List.of("username", "password", "password_confirm", "registration_token", "csrf")) {
            assertTrue(registerForm.contains("name=\"" + field + "\""), field);
        }
        // A wrong token is refused on the page, the right one creates the account.
        String name = MatrixClient.unique("reg");
        Page refused = browser.submit(register, "register", Map.of("username", name, "password", "pw-" + name,
                "password_confirm", "pw-" + name, "registration_token", "wrong"));
        assertEquals(400, refused.status(), refused::toString);
        Page created = browser.submit(refused, "register", Map.of("username", name, "password", "pw-" + name,
                "password_confirm", "pw-" + name, "registration_token", "invite-1"));
        assertEquals(303, created.status(), created::toString);
        assertEquals(200, new MatrixClient(base).login(name, "pw-" + name).status());
    }

    /** The stylesheet is served by Turnkey (Jersey owns /*) and the pages link it. */
    @Test
    void stylesheetIsServed() {
        PageBrowser browser = new PageBrowser(base);
        Page css = browser.get("_turnkey/static/turnkey.css");
        assertEquals(200, css.status());
        assertTrue(css.header("Content-Type").startsWith("text/css"), css.header("Content-Type"));
        assertTrue(css.body().contains("button"));
        Page login = follow(browser, browser.get(authorize(hostileClient())));
        assertTrue(login.body().contains("href=\"/_turnkey/static/turnkey.css\""), login::toString);
    }

    /** A page reached without an authorisation request (or a tampered one) is an error page, not a redirect. */
    @Test
    void pageWithoutRequestIsAnErrorPage() {
        PageBrowser browser = new PageBrowser(base);
        Page page = browser.get("_turnkey/login");
        assertEquals(400, page.status(), page::toString);
        Page tampered = browser.get("_turnkey/consent?client_id=x&redirect_uri=https%3A%2F%2Fevil.example%2F");
        assertEquals(400, tampered.status());
        assertFalse(tampered.body().contains("evil.example"));
    }

    /**
     * Spec "Rate limiting" and "Login": the page applies POST /login's limits through the same
     * check; after three wrong passwords even the right one is refused with 429 and Retry-After.
     */
    @Test
    void signInPageHasTheLoginRateLimits() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        Page login = follow(browser, browser.get(authorize(hostileClient())));
        for (int i = 0; i < 3; i++) {
            assertEquals(403, browser.submit(login, "login", Map.of("username", user, "password", "wrong")).status());
        }
        Page limited = browser.submit(login, "login", Map.of("username", user, "password", "pw-" + user));
        assertEquals(429, limited.status(), limited::toString);
        assertNotNull(limited.header("Retry-After"));
        assertTrue(limited.body().contains("Too many attempts"), limited::toString);
        assertPageHeaders(limited);
        assertTrue(browser.cookies().stream().noneMatch(c -> c.getName().equals("turnkey_session")));
    }
}
