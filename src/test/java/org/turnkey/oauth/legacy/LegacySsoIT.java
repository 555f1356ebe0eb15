package org.turnkey.oauth.legacy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.turnkey.support.Deployments;
import org.turnkey.support.MatrixClient;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.support.PageBrowser;
import org.turnkey.support.PageBrowser.Page;
import org.turnkey.support.TestDatabase;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.turnkey.support.MatrixAsserts.assertError;

/**
 * Legacy clients signing in through Turnkey's pages (spec "OAuth 2.0 aware clients", "Client login
 * via SSO", {@code GET /login/sso/redirect}, {@code m.login.token}), over HTTP as a browser drives
 * it. The public base URL of ITs is {@code http://localhost:8008/}, a loopback host too (an https
 * one would make the cookies Secure, which an http test client does not send back), so the
 * own-host rule apart from the loopback one is proven by {@link SsoRedirectPolicyTest}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LegacySsoIT {

    static final String NAME = "legacysso";
    static final String SSO = "_matrix/client/v3/login/sso/redirect";
    static final String PASSWORD = "legacy-sso-pw";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.oauth.sso-redirect-allowlist", "trusted.example.net, https://apps.example.com/matrix/",
                "turnkey.password.argon2.memory-kib", "1024",
                "turnkey.password.argon2.iterations", "1"));
    }

    @ArquillianResource
    URL base;

    MatrixClient client() {
        return new MatrixClient(base);
    }

    static String sso(String redirectUrl, String... more) {
        StringBuilder url = new StringBuilder(SSO).append("?").append(PageBrowser.encode(Map.of("redirectUrl", redirectUrl)));
        for (int i = 0; i < more.length; i += 2) {
            url.append('&').append(PageBrowser.encode(Map.of(more[i], more[i + 1])));
        }
        return url.toString();
    }

    /** A fresh account's localpart. */
    String newUser() {
        return client().registered("sso", PASSWORD);
    }

    /** A browser signed in to Turnkey's pages as {@code user} (through an SSO redirect to a loopback URL). */
    PageBrowser signedInBrowser(String user) {
        PageBrowser browser = new PageBrowser(base);
        Page done = signIn(browser, browser.get(sso("http://127.0.0.1:5000/warmup")), user);
        assertEquals(303, done.status(), done::toString);
        return browser;
    }

    /** Follows a redirect to the sign-in page and signs in; answers the sign-in's response. */
    static Page signIn(PageBrowser browser, Page redirect, String user) {
        Page login = follow(browser, redirect, "_turnkey/login?");
        Page submitted = browser.submit(login, "login", Map.of("username", user, "password", PASSWORD));
        // Back into the SSO redirect, which now sends the browser on.
        return follow(browser, submitted, SSO + "?");
    }

    static Page follow(PageBrowser browser, Page redirect, String pathAndQueryStart) {
        assertEquals(303, redirect.status(), redirect::toString);
        assertTrue(redirect.location().startsWith("/" + pathAndQueryStart), redirect.location());
        return browser.get(redirect.location());
    }

    /** The login token of a redirect to {@code target}; asserts the redirect goes there. */
    static String loginToken(Page redirect, String target) {
        assertEquals(303, redirect.status(), redirect::toString);
        String location = redirect.location();
        assertTrue(location.startsWith(target), location);
        String token = PageBrowser.params(URI.create(location).getRawQuery()).get("loginToken");
        assertNotNull(token, location);
        return token;
    }

    Reply tokenLogin(String token) {
        return client().post("/_matrix/client/v3/login", Json.createObjectBuilder()
                .add("type", "m.login.token").add("token", token).build());
    }

    /** Spec "OAuth 2.0 aware clients", server behaviour: m.login.sso with oauth_aware_preferred true. */
    @Test
    void loginFlowsOfferSsoWithOauthAwarePreferredOnV3AndR0() {
        for (String path : List.of("/_matrix/client/v3/login", "/_matrix/client/r0/login")) {
            Reply flows = client().get(path);
            assertEquals(200, flows.status(), flows.toString());
            JsonObject sso = flows.json().getJsonArray("flows").getValuesAs(JsonObject.class).stream()
                    .filter(f -> f.getString("type").equals("m.login.sso")).findFirst().orElseThrow();
            assertTrue(sso.getBoolean("oauth_aware_preferred"), sso.toString());
            assertTrue(flows.json().getJsonArray("flows").getValuesAs(JsonObject.class).stream()
                    .anyMatch(f -> f.getString("type").equals("m.login.password")), "password login stays");
        }
    }

    /** Spec {@code GET /login/sso/redirect}: redirectUrl is required. */
    @Test
    void ssoRedirectWithoutRedirectUrlIsMissingParam() {
        assertError(400, "M_MISSING_PARAM", client().get("/" + SSO));
        assertError(400, "M_MISSING_PARAM", client().get("/" + SSO + "?action=login"));
    }

    /** The SSO redirect returns the browser only to web addresses: anything else is a 400 page, no redirect. */
    @Test
    void redirectUrlThatIsNotAnAbsoluteHttpUrlIsRefusedWithAnErrorPage() {
        PageBrowser browser = new PageBrowser(base);
        for (String bad : List.of("javascript:alert(1)", "/_matrix/client/v3/login", "ftp://files.example/x",
                "com.example.app:/callback", "https://localhost@evil.example/cb")) {
            Page page = browser.get(sso(bad));
            assertEquals(400, page.status(), bad + ": " + page);
            assertNull(page.location(), bad);
            assertTrue(page.header("Content-Type").startsWith("text/html"), bad);
            assertTrue(page.body().contains("id=\"error\""), page::toString);
        }
    }

    /**
     * Spec "Client login via SSO" and "Login" ({@code m.login.token}): the browser signs in on
     * Turnkey's page, returns to a loopback redirectUrl (query kept) with a loginToken, and the
     * token logs in once, on a device created by the legacy API.
     */
    @Test
    void loopbackRedirectSignsInOnTheLoginPageAndReturnsASingleUseLoginToken() {
        String user = newUser();
        PageBrowser browser = new PageBrowser(base);
        String target = "http://127.0.0.1:41999/cb?client_state=abc";
        Page back = signIn(browser, browser.get(sso(target, "action", "login")), user);
        String token = loginToken(back, target + "&loginToken=");

        Reply login = tokenLogin(token);
        assertEquals(200, login.status(), login.toString());
        assertEquals("@" + user + ":localhost", login.string("user_id"));
        assertEquals(200, client().whoami(login.string("access_token")).status());
        assertEquals("legacy", TestDatabase.string(NAME, "SELECT created_by FROM devices WHERE user_id = ? AND device_id = ?",
                login.string("user_id"), login.string("device_id")));

        assertError(403, "M_FORBIDDEN", tokenLogin(token));
    }

    /** A browser already signed in goes straight back to the server's own address: no page at all. */
    @Test
    void serversOwnAddressGetsTheTokenStraightAwayWhenTheBrowserIsSignedIn() {
        String user = newUser();
        PageBrowser browser = signedInBrowser(user);
        String target = PageBrowser.PUBLIC_BASE + "webclient/#/login";
        String token = loginToken(browser.get(sso(target)), PageBrowser.PUBLIC_BASE + "webclient/?loginToken=");
        assertEquals(200, tokenLogin(token).status());
    }

    /** The operator's turnkey.oauth.sso-redirect-allowlist: hosts and URL prefixes go straight through. */
    @Test
    void allowlistedHostsAndPrefixesGoStraightThroughOthersAreConfirmed() {
        PageBrowser browser = signedInBrowser(newUser());
        loginToken(browser.get(sso("https://trusted.example.net/app")), "https://trusted.example.net/app?loginToken=");
        loginToken(browser.get(sso("https://apps.example.com/matrix/cb")), "https://apps.example.com/matrix/cb?loginToken=");
        for (String confirmed : List.of("https://apps.example.com/other", "https://apps.example.com.evil.net/matrix/",
                "https://sub.trusted.example.net/")) {
            Page page = browser.get(sso(confirmed));
            assertEquals(200, page.status(), confirmed + ": " + page);
            assertTrue(page.hasForm("sso-confirm"), page::toString);
        }
    }

    /**
     * Any other host: "Continue to host?" naming it, and nothing issued until the user confirms
     * with the form (CSRF-checked, as Synapse's confirmation page is); then the token goes there.
     */
    @Test
    void unknownHostIsConfirmedByTheUserBeforeTheTokenIsSent() {
        String user = newUser();
        PageBrowser browser = signedInBrowser(user);
        String target = "https://app.elsewhere.example/sso?x=1";
        long tokensBefore = TestDatabase.count(NAME, "SELECT COUNT(*) FROM login_tokens WHERE user_id = ?", "@" + user + ":localhost");
        Page confirm = browser.get(sso(target));
        assertEquals(200, confirm.status(), confirm::toString);
        assertTrue(confirm.body().contains("Continue to app.elsewhere.example?"), confirm::toString);
        assertTrue(confirm.header("Content-Security-Policy").contains("https://app.elsewhere.example"),
                confirm.header("Content-Security-Policy"));
        assertEquals(tokensBefore, TestDatabase.count(NAME, "SELECT COUNT(*) FROM login_tokens WHERE user_id = ?",
                "@" + user + ":localhost"), "no token before the user confirmed");

        Page forged = browser.post(confirm.action("sso-confirm"), Map.of("csrf", "forged"));
        assertEquals(403, forged.status(), forged::toString);
        assertNull(forged.location());

        Page confirmed = browser.submit(confirm, "sso-confirm", Map.of());
        String token = loginToken(confirmed, target + "&loginToken=");
        assertEquals("@" + user + ":localhost", tokenLogin(token).string("user_id"));
    }

    /** "Not you?" on the confirmation page signs the browser out and asks for a sign-in for the same request. */
    @Test
    void signingOutFromTheConfirmationPageReturnsToTheSignInPageForTheSameRedirect() {
        PageBrowser browser = signedInBrowser(newUser());
        Page confirm = browser.get(sso("https://other.example/cb"));
        Page out = browser.submit(confirm, "logout", Map.of());
        Page login = follow(browser, out, "_turnkey/login?");
        assertTrue(login.action("login").toString().contains("redirectUrl=https%3A%2F%2Fother.example%2Fcb"),
                login.action("login").toString());
    }

    /** Spec "OAuth 2.0 aware clients": action=register shows registration; the new account gets the token. */
    @Test
    void actionRegisterShowsTheRegistrationPageAndReturnsWithATokenForTheNewAccount() {
        PageBrowser browser = new PageBrowser(base);
        String target = "http://127.0.0.1:42000/cb";
        Page redirect = browser.get(sso(target, "action", "register"));
        Page register = follow(browser, redirect, "_turnkey/register?");
        assertFalse(register.action("register").toString().contains("action="), "action is not carried on");
        String name = MatrixClient.unique("ssonew");
        Page created = browser.submit(register, "register",
                Map.of("username", name, "password", PASSWORD, "password_confirm", PASSWORD));
        Page back = follow(browser, created, SSO + "?");
        Reply login = tokenLogin(loginToken(back, target + "?loginToken="));
        assertEquals("@" + name + ":localhost", login.string("user_id"));
    }

    /** Synapse serves the SSO redirect under r0 too; so does Turnkey. */
    @Test
    void r0SsoRedirectLeadsToTheSameSignIn() {
        PageBrowser browser = new PageBrowser(base);
        Page redirect = browser.get("_matrix/client/r0/login/sso/redirect?redirectUrl=http%3A%2F%2Flocalhost%2Fcb");
        assertEquals(303, redirect.status(), redirect::toString);
        assertTrue(redirect.location().startsWith("/_turnkey/login?redirectUrl="), redirect.location());
        assertError(400, "M_MISSING_PARAM", client().get("/_matrix/client/r0/login/sso/redirect"));
    }

    /** The sign-in page reached with a bad redirectUrl by hand is refused too (every step checks it). */
    @Test
    void signInPageWithATamperedRedirectUrlIsRefused() {
        Page page = new PageBrowser(base).get("_turnkey/login?redirectUrl=javascript%3Aalert(1)");
        assertEquals(400, page.status(), page::toString);
    }
}
