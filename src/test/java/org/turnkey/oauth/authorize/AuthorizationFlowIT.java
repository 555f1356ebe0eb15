package org.turnkey.oauth.authorize;

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
import org.turnkey.support.OAuthFixture;
import org.turnkey.support.PageBrowser;
import org.turnkey.support.PageBrowser.Page;
import org.turnkey.support.TestDatabase;
import org.turnkey.token.Tokens;

import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorisation code flow through Turnkey's pages, over HTTP as a browser drives it (spec
 * "Authorization code flow", RFC 6749 section 4.1, RFC 7636, RFC 9207). Clients are inserted as
 * rows; accounts are made through the Matrix API.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthorizationFlowIT {

    static final String NAME = "oauthflow";
    static final String REDIRECT = OAuthFixture.REDIRECT;
    static final String ISSUER = PageBrowser.PUBLIC_BASE;
    static final String VERIFIER = "verifier-".repeat(6);
    static final String DEVICE = "urn:matrix:client:device:";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.war(NAME, Map.of(
                "turnkey.registration.enabled", "true",
                "turnkey.password.argon2.memory-kib", "1024",
                "turnkey.password.argon2.iterations", "1"));
    }

    @ArquillianResource
    URL base;

    OAuthFixture fixture() {
        return new OAuthFixture(new MatrixClient(base), NAME);
    }

    /**
     * A new web client registered through the registration endpoint, redirecting to {@link #REDIRECT}.
     * The name is unique because identical registrations share one client_id (and its consents).
     */
    String newClient() {
        return fixture().registerClient("Test App " + MatrixClient.unique("c"));
    }

    /** An authorisation request URL with valid defaults; pairs override (null removes). */
    static String authorize(String clientId, String... overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", REDIRECT);
        p.put("scope", "urn:matrix:client:api:* " + DEVICE + MatrixClient.unique("DEV"));
        p.put("state", "state-" + MatrixClient.unique("s"));
        p.put("code_challenge", Pkce.challengeOf(VERIFIER));
        p.put("code_challenge_method", "S256");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                p.remove(overrides[i]);
            } else {
                p.put(overrides[i], overrides[i + 1]);
            }
        }
        return "_turnkey/oauth2/authorize?" + PageBrowser.encode(p);
    }

    String newUser() {
        String name = MatrixClient.unique("pg");
        assertEquals(200, new MatrixClient(base).register(name, "pw-" + name).status());
        return name;
    }

    static String userId(String name) {
        return "@" + name + ":localhost";
    }

    /** Follows a 303 into a page of Turnkey's and asserts it is that page. */
    static Page follow(PageBrowser browser, Page redirect, String path) {
        assertEquals(303, redirect.status(), redirect::toString);
        // Path-absolute: Turnkey's own hops stay on the host the browser used.
        assertTrue(redirect.location().startsWith("/" + path), redirect.location());
        return browser.get(redirect.location());
    }

    static Page signIn(PageBrowser browser, Page loginPage, String user, String password) {
        assertEquals(200, loginPage.status(), loginPage::toString);
        return browser.submit(loginPage, "login", Map.of("username", user, "password", password));
    }

    /** The client's redirect: asserts it goes to REDIRECT and returns its parameters. */
    static Map<String, String> atClient(Page redirect, boolean fragment) {
        assertEquals(303, redirect.status(), redirect::toString);
        String location = redirect.location();
        String prefix = REDIRECT + (fragment ? "#" : "?");
        assertTrue(location.startsWith(prefix), location);
        return PageBrowser.params(location.substring(prefix.length()));
    }

    /** Authorize, sign in, allow: the client's redirect. */
    Page fullFlow(PageBrowser browser, String clientId, String user, String... overrides) {
        Page start = browser.get(authorize(clientId, overrides));
        Page login = follow(browser, start, "_turnkey/login?");
        Page signedIn = signIn(browser, login, user, "pw-" + user);
        Page consent = follow(browser, follow(browser, signedIn, "_turnkey/oauth2/authorize?"), "_turnkey/consent?");
        assertEquals(200, consent.status(), consent::toString);
        return browser.submit(consent, "consent", Map.of("decision", "allow"));
    }

    /** RFC 6749 section 4.1.2 and RFC 9207: the whole flow, code, state and iss in the query; the code row exists. */
    @Test
    void signInAndAllowRedirectsWithCodeStateAndIssuerInQuery() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        String clientId = newClient();
        Page start = browser.get(authorize(clientId, "state", "xyz&1"));
        Page login = follow(browser, start, "_turnkey/login?");
        Page consent = follow(browser, follow(browser, signIn(browser, login, user, "pw-" + user),
                "_turnkey/oauth2/authorize?"), "_turnkey/consent?");
        assertTrue(consent.body().contains("Test App"), consent::toString);
        assertTrue(consent.body().contains(userId(user)), consent::toString);
        assertTrue(consent.body().contains("Full access to your Matrix account"), consent::toString);
        Map<String, String> response = atClient(browser.submit(consent, "consent", Map.of("decision", "allow")), false);
        assertEquals("xyz&1", response.get("state"));
        assertEquals(ISSUER, response.get("iss"));
        String code = response.get("code");
        assertNotNull(code);
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM oauth_codes WHERE code_hash = ? AND client_id = ?"
                + " AND user_id = ? AND redirect_uri = ? AND code_challenge = ?", Tokens.hash(code), clientId,
                userId(user), REDIRECT, Pkce.challengeOf(VERIFIER)));
    }

    /** Spec "Authorization code flow" (response_mode=fragment, matrix-js-sdk's default): the response is in the fragment. */
    @Test
    void fragmentModePutsCodeStateAndIssuerInFragment() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        Map<String, String> response = atClient(fullFlow(browser, newClient(), user, "response_mode", "fragment",
                "state", "frag"), true);
        assertNotNull(response.get("code"));
        assertEquals("frag", response.get("state"));
        assertEquals(ISSUER, response.get("iss"));
    }

    /** Browser session and remembered consent: a second authorisation asks nothing and goes straight back. */
    @Test
    void secondAuthorisationInSameBrowserSkipsPasswordAndConsent() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        String clientId = newClient();
        atClient(fullFlow(browser, clientId, user), false);
        Map<String, String> again = atClient(browser.get(authorize(clientId, "state", "two")), false);
        assertNotNull(again.get("code"));
        assertEquals("two", again.get("state"));
    }

    /**
     * Consent is keyed by user, client and API scope, not the device: a new device ID (and the
     * MSC2967 spelling) does not ask again, in a new browser only the password is asked.
     */
    @Test
    void consentRememberedAcrossNewDeviceIdAndNewBrowser() {
        String user = newUser();
        String clientId = newClient();
        atClient(fullFlow(new PageBrowser(base), clientId, user), false);
        PageBrowser other = new PageBrowser(base);
        Page login = follow(other, other.get(authorize(clientId, "scope",
                "urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:NEWDEVICE1")),
                "_turnkey/login?");
        Page resumed = signIn(other, login, user, "pw-" + user);
        Map<String, String> response = atClient(follow(other, resumed, "_turnkey/oauth2/authorize?"), false);
        assertNotNull(response.get("code"));
        assertEquals("urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:NEWDEVICE1",
                TestDatabase.string(NAME, "SELECT scope FROM oauth_codes WHERE code_hash = ?",
                        Tokens.hash(response.get("code"))));
    }

    /** RFC 6749 section 4.1.2.1: Deny sends access_denied with the state. */
    @Test
    void denyRedirectsWithAccessDenied() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        Page login = follow(browser, browser.get(authorize(newClient(), "state", "d")), "_turnkey/login?");
        Page consent = follow(browser, follow(browser, signIn(browser, login, user, "pw-" + user),
                "_turnkey/oauth2/authorize?"), "_turnkey/consent?");
        Map<String, String> response = atClient(browser.submit(consent, "consent", Map.of("decision", "deny")), false);
        assertEquals("access_denied", response.get("error"));
        assertEquals("d", response.get("state"));
        assertEquals(ISSUER, response.get("iss"));
        assertNull(response.get("code"));
    }

    /** Spec "prompt=create": the registration page; the new account continues to consent and a code. */
    @Test
    void promptCreateRegistersAnAccount() {
        PageBrowser browser = new PageBrowser(base);
        String name = MatrixClient.unique("new");
        Page register = follow(browser, browser.get(authorize(newClient(), "prompt", "create")), "_turnkey/register?");
        assertEquals(200, register.status(), register::toString);
        assertFalse(register.body().contains("name=\"registration_token\""), "no token field when none is required");
        Page mismatch = browser.submit(register, "register", Map.of("username", name, "password", "pw-" + name,
                "password_confirm", "other"));
        assertEquals(400, mismatch.status());
        assertTrue(mismatch.body().contains("aria-invalid=\"true\""), mismatch::toString);
        Page created = browser.submit(mismatch, "register", Map.of("username", name, "password", "pw-" + name,
                "password_confirm", "pw-" + name));
        Page consent = follow(browser, follow(browser, created, "_turnkey/oauth2/authorize?"), "_turnkey/consent?");
        assertTrue(consent.body().contains(userId(name)), consent::toString);
        assertNotNull(atClient(browser.submit(consent, "consent", Map.of("decision", "allow")), false).get("code"));
        assertEquals(200, new MatrixClient(base).login(name, "pw-" + name).status());
    }

    /** OIDC Core section 3.1.2.6 (prompt=none): login_required, then consent_required, then a code without pages. */
    @Test
    void promptNoneFailsWhereInteractionWouldBeNeeded() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        String clientId = newClient();
        Map<String, String> noSession = atClient(browser.get(authorize(clientId, "prompt", "none", "state", "n1")), false);
        assertEquals("login_required", noSession.get("error"));
        assertEquals("n1", noSession.get("state"));
        assertEquals(ISSUER, noSession.get("iss"));
        // Signed in (another client's flow), but this client was never allowed.
        atClient(fullFlow(browser, newClient(), user), false);
        assertEquals("consent_required",
                atClient(browser.get(authorize(clientId, "prompt", "none")), false).get("error"));
        // Signed in already: allowing goes through the consent page only.
        Page consent = follow(browser, browser.get(authorize(clientId)), "_turnkey/consent?");
        atClient(browser.submit(consent, "consent", Map.of("decision", "allow")), false);
        assertNotNull(atClient(browser.get(authorize(clientId, "prompt", "none")), false).get("code"));
    }

    /** Spec "Authorization code flow": login_hint=mxid:... prefills the username field. */
    @Test
    void loginHintPrefillsUsername() {
        PageBrowser browser = new PageBrowser(base);
        Page login = follow(browser, browser.get(authorize(newClient(), "login_hint", "mxid:@hinted:localhost")),
                "_turnkey/login?");
        assertEquals("@hinted:localhost", login.inputValue("login", "username"));
    }

    /** RFC 6749 section 4.1.2.1: unknown client or unregistered/missing redirect URI is a page, never a redirect. */
    @Test
    void unknownClientOrUnregisteredRedirectUriIsAnErrorPageNotARedirect() {
        PageBrowser browser = new PageBrowser(base);
        String clientId = newClient();
        for (String url : new String[] {
                authorize("no-such-client"),
                authorize(clientId, "redirect_uri", "https://evil.example/cb"),
                authorize(clientId, "redirect_uri", null),
                authorize(clientId, "client_id", null)}) {
            Page page = browser.get(url);
            assertEquals(400, page.status(), page::toString);
            assertNull(page.location(), url);
            assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
            assertTrue(page.body().contains("Something went wrong"), page::toString);
            assertFalse(page.body().contains("evil.example"), "the page does not link the unregistered URI");
        }
    }

    /** RFC 6749 section 4.1.2.1 and RFC 7636: errors after the redirect URI is verified go back to it, with state and iss. */
    @Test
    void requestErrorsRedirectToTheClientWithStateAndIssuer() {
        PageBrowser browser = new PageBrowser(base);
        String clientId = newClient();
        Map<String[], String> cases = new LinkedHashMap<>();
        cases.put(new String[] {"response_type", "token"}, "unsupported_response_type");
        cases.put(new String[] {"code_challenge", null}, "invalid_request");
        cases.put(new String[] {"code_challenge_method", "plain"}, "invalid_request");
        cases.put(new String[] {"code_challenge", "not-a-sha256"}, "invalid_request");
        cases.put(new String[] {"scope", "urn:matrix:client:api:* openid " + DEVICE + "ABCDEFGHIJ"}, "invalid_scope");
        cases.put(new String[] {"response_mode", "form_post"}, "invalid_request");
        cases.forEach((override, error) -> {
            Map<String, String> response = atClient(browser.get(authorize(clientId, override[0], override[1],
                    "state", "err")), false);
            assertEquals(error, response.get("error"), override[0]);
            assertEquals("err", response.get("state"));
            assertEquals(ISSUER, response.get("iss"));
            assertNotNull(response.get("error_description"));
        });
    }

    /** Spec "Scope" (MSC2967 spelling, which Element X sends): accepted and granted as spelled. */
    @Test
    void unstableScopeIsAccepted() {
        PageBrowser browser = new PageBrowser(base);
        String scope = "urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:UNSTABLE01";
        Map<String, String> response = atClient(fullFlow(browser, newClient(), newUser(), "scope", scope), false);
        assertEquals(scope, TestDatabase.string(NAME, "SELECT scope FROM oauth_codes WHERE code_hash = ?",
                Tokens.hash(response.get("code"))));
    }

    /** Spec "Login" (one message): a wrong password and an unknown user give the same page and status. */
    @Test
    void wrongPasswordAndUnknownUserGiveTheSamePage() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        Page login = follow(browser, browser.get(authorize(newClient())), "_turnkey/login?");
        Page wrong = signIn(browser, login, user, "wrong");
        Page unknown = signIn(browser, login, "nosuchuser99", "wrong");
        assertEquals(403, wrong.status());
        assertEquals(wrong.status(), unknown.status());
        assertEquals(wrong.body().replace(user, "NAME"), unknown.body().replace("nosuchuser99", "NAME"));
        assertTrue(wrong.body().contains("Invalid username or password"), wrong::toString);
    }

    /** Spec "Account locking" and deactivation: neither can sign in, and a live browser session stops counting. */
    @Test
    void lockedOrDeactivatedAccountCannotSignIn() {
        PageBrowser browser = new PageBrowser(base);
        String locked = newUser();
        String deactivated = newUser();
        String clientId = newClient();
        atClient(fullFlow(browser, clientId, locked), false);
        fixture().sql("UPDATE users SET locked = TRUE WHERE user_id = ?", userId(locked));
        fixture().sql("UPDATE users SET deactivated = TRUE WHERE user_id = ?", userId(deactivated));
        Page login = follow(browser, browser.get(authorize(clientId)), "_turnkey/login?");
        Page lockedPage = signIn(browser, login, locked, "pw-" + locked);
        assertEquals(401, lockedPage.status(), lockedPage::toString);
        assertTrue(lockedPage.body().contains("locked"), lockedPage::toString);
        Page deactivatedPage = signIn(browser, login, deactivated, "pw-" + deactivated);
        assertEquals(403, deactivatedPage.status(), deactivatedPage::toString);
        assertTrue(deactivatedPage.body().contains("Invalid username or password"), deactivatedPage::toString);
    }

    /** Sign-out (POST, "Not you?") ends the browser session: the next authorisation asks for the password. */
    @Test
    void signOutEndsTheBrowserSession() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        String clientId = newClient();
        atClient(fullFlow(browser, clientId, user), false);
        assertEquals(1, TestDatabase.count(NAME, "SELECT COUNT(*) FROM browser_sessions WHERE user_id = ?", userId(user)));
        // A new client: consent page, whose "Not you?" form signs out and returns to sign-in.
        String other = newClient();
        Page consent = follow(browser, browser.get(authorize(other)), "_turnkey/consent?");
        Page signedOut = browser.submit(consent, "logout", Map.of());
        follow(browser, signedOut, "_turnkey/login?");
        assertEquals(0, TestDatabase.count(NAME, "SELECT COUNT(*) FROM browser_sessions WHERE user_id = ?", userId(user)));
        follow(browser, browser.get(authorize(clientId)), "_turnkey/login?");
    }

    /**
     * Spec "Redirect URI validation" for native clients (Element X): a private-use scheme, listed in
     * CSP form-action as a scheme source, and an http loopback URI registered without a port and
     * used with one (RFC 8252 sections 7.1 and 7.3).
     */
    @Test
    void nativeClientPrivateUseSchemeAndLoopbackAnyPort() {
        // Inserted as a row: this test is about the pages' redirects, not the registration policy.
        String clientId = OAuthClientRows.insert(NAME, Json.createObjectBuilder()
                .add("client_name", "Native App").add("client_uri", "https://native.example.org/")
                .add("application_type", "native")
                .add("redirect_uris", Json.createArrayBuilder().add("org.example.native:/callback")
                        .add("http://127.0.0.1/callback")).build());
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        Page login = follow(browser, browser.get(authorize(clientId, "redirect_uri", "org.example.native:/callback")),
                "_turnkey/login?");
        Page consent = follow(browser, follow(browser, signIn(browser, login, user, "pw-" + user),
                "_turnkey/oauth2/authorize?"), "_turnkey/consent?");
        assertTrue(consent.header("Content-Security-Policy").contains(" org.example.native:"),
                consent.header("Content-Security-Policy"));
        Page allowed = browser.submit(consent, "consent", Map.of("decision", "allow"));
        assertEquals(303, allowed.status(), allowed::toString);
        assertTrue(allowed.location().startsWith("org.example.native:/callback?code="), allowed.location());
        Page loopback = browser.get(authorize(clientId, "redirect_uri", "http://127.0.0.1:51234/callback"));
        assertEquals(303, loopback.status(), loopback::toString);
        assertTrue(loopback.location().startsWith("http://127.0.0.1:51234/callback?code="), loopback.location());
        assertTrue(loopback.header("Content-Security-Policy").contains(" http://127.0.0.1:51234"));
    }

    /**
     * turnkey.oauth.consent-memory and turnkey.oauth.browser-session.lifetime: an aged consent is
     * asked again, an expired browser session asks for the password again.
     */
    @Test
    void expiredConsentAndExpiredBrowserSessionAskAgain() {
        PageBrowser browser = new PageBrowser(base);
        String user = newUser();
        String clientId = newClient();
        atClient(fullFlow(browser, clientId, user), false);
        fixture().sql("UPDATE oauth_consents SET granted_ts = 0 WHERE user_id = ?", userId(user));
        follow(browser, browser.get(authorize(clientId)), "_turnkey/consent?");
        fixture().sql("UPDATE browser_sessions SET expires_ts = 0 WHERE user_id = ?", userId(user));
        follow(browser, browser.get(authorize(clientId)), "_turnkey/login?");
    }

    /**
     * RFC 6749 section 4.1.3 and RFC 7636 section 4.5: the code the pages issue is redeemed at the
     * token endpoint with the verifier, and the access token works for the user on the scope's device.
     */
    @Test
    void codeFromThePagesIsRedeemedAtTheTokenEndpoint() {
        String user = newUser();
        String clientId = newClient();
        Map<String, String> response = atClient(fullFlow(new PageBrowser(base), clientId, user,
                "scope", OAuthFixture.scope("PAGESDEV01")), false);
        MatrixClient.Reply tokens = fixture().exchange(clientId,
                new OAuthFixture.Code(response.get("code"), VERIFIER, REDIRECT));
        assertEquals(200, tokens.status(), tokens::toString);
        MatrixClient.Reply whoami = new MatrixClient(base).whoami(tokens.string("access_token"));
        assertEquals(200, whoami.status(), whoami::toString);
        assertEquals(userId(user), whoami.string("user_id"));
        assertEquals("PAGESDEV01", whoami.string("device_id"));
    }
}
