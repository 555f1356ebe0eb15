package org.turnkey.oauth.authorize;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.turnkey.oauth.authorize.AuthorizationRequest.ResponseMode;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.ErrorPage;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.ErrorRedirect;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.Outcome;
import org.turnkey.oauth.authorize.AuthorizationRequestPolicy.Valid;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.code.Pkce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The authorisation request's validation, without a server (RFC 6749 sections 4.1.1 and 4.1.2.1, RFC 7636). */
class AuthorizationRequestPolicyTest {

    private static final String ISSUER = "https://auth.example.org/";
    private static final String REDIRECT = "https://app.example.org/cb";
    private static final OAuthClient CLIENT = new OAuthClient("client1", "d", Json.createObjectBuilder()
            .add("redirect_uris", Json.createArrayBuilder().add(REDIRECT).add("https://app.example.org/q?x=1"))
            .add("client_name", "App").build(), 0);
    private static final String CHALLENGE = Pkce.challengeOf("v".repeat(43));

    private static Map<String, List<String>> params(String... overrides) {
        Map<String, List<String>> p = new LinkedHashMap<>();
        p.put("response_type", List.of("code"));
        p.put("client_id", List.of("client1"));
        p.put("redirect_uri", List.of(REDIRECT));
        p.put("scope", List.of("urn:matrix:client:api:* urn:matrix:client:device:ABCDEFGHIJ"));
        p.put("state", List.of("st&te"));
        p.put("code_challenge", List.of(CHALLENGE));
        p.put("code_challenge_method", List.of("S256"));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                p.remove(overrides[i]);
            } else {
                p.put(overrides[i], List.of(overrides[i + 1]));
            }
        }
        return p;
    }

    private static Outcome check(Map<String, List<String>> params) {
        return AuthorizationRequestPolicy.check(params,
                id -> id.equals("client1") ? Optional.of(CLIENT) : Optional.empty(), ISSUER);
    }

    private static String redirectError(Outcome outcome) {
        return assertInstanceOf(ErrorRedirect.class, outcome).error();
    }

    /** RFC 6749 section 4.1.2.1: unknown client, no error goes to any redirect URI. */
    @Test
    void unknownOrMissingClientIsAnErrorPage() {
        assertInstanceOf(ErrorPage.class, check(params("client_id", "nobody")));
        assertInstanceOf(ErrorPage.class, check(params("client_id", null)));
    }

    /** RFC 6749 section 4.1.2.1 and RFC 9700 section 4.11: no redirect to an unregistered or missing URI. */
    @Test
    void unregisteredOrMissingRedirectUriIsAnErrorPage() {
        assertInstanceOf(ErrorPage.class, check(params("redirect_uri", "https://evil.example/cb")));
        assertInstanceOf(ErrorPage.class, check(params("redirect_uri", REDIRECT + "/")));
        assertInstanceOf(ErrorPage.class, check(params("redirect_uri", null)));
        Map<String, List<String>> twice = params();
        twice.put("redirect_uri", List.of(REDIRECT, "https://evil.example/cb"));
        assertInstanceOf(ErrorPage.class, check(twice));
    }

    /** RFC 6749 section 4.1.2.1: unsupported_response_type; a missing response_type is invalid_request. */
    @Test
    void responseTypeOtherThanCodeIsUnsupported() {
        assertEquals("unsupported_response_type", redirectError(check(params("response_type", "token"))));
        assertEquals("invalid_request", redirectError(check(params("response_type", null))));
    }

    /** Spec "Authorization code flow": PKCE S256 required; RFC 7636 section 4.3: no method means plain. */
    @Test
    void pkceMissingPlainOrMalformedIsInvalidRequest() {
        assertEquals("invalid_request", redirectError(check(params("code_challenge", null))));
        assertEquals("invalid_request", redirectError(check(params("code_challenge_method", "plain"))));
        assertEquals("invalid_request", redirectError(check(params("code_challenge_method", null))));
        assertEquals("invalid_request", redirectError(check(params("code_challenge", "short"))));
    }

    /** Spec "Scope": unknown tokens are invalid_scope; the MSC2967 spelling is accepted. */
    @Test
    void unknownScopeIsInvalidScopeAndUnstableScopeIsAccepted() {
        assertEquals("invalid_scope", redirectError(check(params("scope", "openid"))));
        Valid valid = assertInstanceOf(Valid.class, check(params("scope",
                "urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:DEV1234567")));
        assertEquals("DEV1234567", valid.request().scope().deviceId());
    }

    /** Spec: response_mode query (default, Element X sends none) or fragment (matrix-js-sdk). */
    @Test
    void responseModeQueryByDefaultFragmentOnRequestOtherwiseInvalid() {
        assertEquals(ResponseMode.QUERY, assertInstanceOf(Valid.class, check(params())).request().responseMode());
        assertEquals(ResponseMode.FRAGMENT, assertInstanceOf(Valid.class,
                check(params("response_mode", "fragment"))).request().responseMode());
        ErrorRedirect formPost = assertInstanceOf(ErrorRedirect.class, check(params("response_mode", "form_post")));
        assertEquals("invalid_request", formPost.error());
        assertTrue(formPost.location().startsWith(REDIRECT + "?error=invalid_request"), formPost.location());
    }

    /** RFC 6749 section 4.1.2.1 (state echoed) and RFC 9207 (iss) on an error redirect, in fragment mode too. */
    @Test
    void errorRedirectCarriesStateAndIssuer() {
        String location = assertInstanceOf(ErrorRedirect.class,
                check(params("response_mode", "fragment", "scope", "bad"))).location();
        assertTrue(location.startsWith(REDIRECT + "#error=invalid_scope&error_description="), location);
        assertTrue(location.contains("&state=st%26te&iss=https%3A%2F%2Fauth.example.org%2F"), location);
    }

    /** RFC 6749 section 3.1: parameters must not be repeated. */
    @Test
    void repeatedParameterIsInvalidRequest() {
        Map<String, List<String>> p = params();
        p.put("scope", List.of("a", "b"));
        assertEquals("invalid_request", redirectError(check(p)));
    }

    /** RFC 6749 section 3.1.2: a query in the registered redirect URI is kept. */
    @Test
    void registeredQueryIsKept() {
        String location = AuthorizationResponse.success("https://app.example.org/q?x=1", ResponseMode.QUERY, "c", null,
                ISSUER);
        assertEquals("https://app.example.org/q?x=1&code=c&iss=https%3A%2F%2Fauth.example.org%2F", location);
    }

    /** OIDC Core section 3.1.2.1: prompt=none cannot be combined; unknown prompt values are ignored. */
    @Test
    void promptValues() {
        assertEquals("invalid_request", redirectError(check(params("prompt", "none create"))));
        Valid valid = assertInstanceOf(Valid.class, check(params("prompt", "create login")));
        assertTrue(valid.request().prompt("create"));
        assertEquals(1, valid.request().prompts().size());
    }

    /** Spec "Authorization code flow" (login_hint=mxid:...): a hint prefills, and is dropped if malformed. */
    @Test
    void loginHintMxidOnly() {
        assertEquals("@alice:example.org", AuthorizationRequestPolicy.loginHint("mxid:@alice:example.org"));
        assertNull(AuthorizationRequestPolicy.loginHint("alice@example.org"));
        assertNull(AuthorizationRequestPolicy.loginHint("mxid:@al ice:example.org"));
    }

    /** The pages carry everything but prompt, so continuing after sign-in cannot loop. */
    @Test
    void continuationDropsPromptAndKeepsEverythingElse() {
        Valid valid = assertInstanceOf(Valid.class, check(params("prompt", "create",
                "login_hint", "mxid:@bob:example.org")));
        Map<String, String> c = valid.request().continuation();
        assertNull(c.get("prompt"));
        assertEquals("mxid:@bob:example.org", c.get("login_hint"));
        Map<String, List<String>> again = new LinkedHashMap<>();
        c.forEach((k, v) -> again.put(k, List.of(v)));
        Valid reparsed = assertInstanceOf(Valid.class, check(again));
        assertEquals(valid.request().state(), reparsed.request().state());
        assertEquals(valid.request().codeChallenge(), reparsed.request().codeChallenge());
    }
}
