package org.turnkey.oauth.authorize;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.Scope;
import org.turnkey.oauth.authorize.AuthorizationFlow.Step;
import org.turnkey.oauth.authorize.AuthorizationFlow.ToClient;
import org.turnkey.oauth.authorize.AuthorizationFlow.ToPage;
import org.turnkey.oauth.authorize.AuthorizationRequest.ResponseMode;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.code.AuthorizationCodes;
import org.turnkey.oauth.code.Pkce;
import org.turnkey.support.MapConfig;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which step a valid request takes next (spec "Authorization code flow", OIDC Core section
 * 3.1.2.1 prompt), with the consent store and the code store replaced by stand-ins.
 */
class AuthorizationFlowTest {

    private static final String REDIRECT = "https://app.example.org/cb";

    private static AuthorizationFlow flow(boolean consented, boolean registration) {
        TurnkeyConfig config = new TurnkeyConfig(MapConfig.of("turnkey.public-base-url", "https://auth.example.org/tk/",
                "turnkey.registration.enabled", Boolean.toString(registration)));
        AuthorizationFlow flow = new AuthorizationFlow();
        flow.urls = new OAuthUrls(config);
        flow.settings = new OAuthSettings(config);
        flow.consents = new Consents() {
            @Override
            public boolean remembered(String userId, String clientId) {
                return consented;
            }
        };
        flow.codes = new AuthorizationCodes() {
            @Override
            public String issue(String clientId, String userId, String scope, String redirectUri, String challenge) {
                return "tkc_test";
            }
        };
        return flow;
    }

    private static AuthorizationRequest request(String... prompts) {
        OAuthClient client = new OAuthClient("client1", "d", Json.createObjectBuilder()
                .add("redirect_uris", Json.createArrayBuilder().add(REDIRECT)).build(), 0);
        return new AuthorizationRequest(client, REDIRECT, ResponseMode.QUERY, "st", new Scope("DEV", false),
                Pkce.challengeOf("v".repeat(43)), Set.of(prompts), null);
    }

    private static String location(Step step) {
        return step instanceof ToClient c ? c.location() : ((ToPage) step).location();
    }

    /** No browser session: the sign-in page, path-absolute under the base path. */
    @Test
    void signedOutGoesToSignIn() {
        Step step = flow(false, true).next(request(), Optional.empty());
        assertTrue(assertInstanceOf(ToPage.class, step).location().startsWith("/tk/_turnkey/login?"), location(step));
    }

    /** Signed in without consent: the consent page; with remembered consent: straight back with a code and iss. */
    @Test
    void signedInGoesToConsentOrStraightBack() {
        assertTrue(location(flow(false, true).next(request(), Optional.of("@a:x"))).startsWith("/tk/_turnkey/consent?"));
        Step back = flow(true, true).next(request(), Optional.of("@a:x"));
        assertEquals(REDIRECT + "?code=tkc_test&state=st&iss=https%3A%2F%2Fauth.example.org%2Ftk%2F",
                assertInstanceOf(ToClient.class, back).location());
    }

    /** OIDC Core section 3.1.2.6: prompt=none fails with login_required, then consent_required, never a page. */
    @Test
    void promptNoneNeverShowsAPage() {
        assertTrue(location(flow(false, true).next(request("none"), Optional.empty())).startsWith(REDIRECT
                + "?error=login_required"));
        assertTrue(location(flow(false, true).next(request("none"), Optional.of("@a:x"))).startsWith(REDIRECT
                + "?error=consent_required"));
        assertInstanceOf(ToClient.class, flow(true, true).next(request("none"), Optional.of("@a:x")));
    }

    /** Spec prompt=create: registration page when registration is open, else the sign-in page. */
    @Test
    void promptCreateShowsRegistrationOnlyWhenOpen() {
        assertTrue(location(flow(false, true).next(request("create"), Optional.empty()))
                .startsWith("/tk/_turnkey/register?"));
        assertTrue(location(flow(false, false).next(request("create"), Optional.empty()))
                .startsWith("/tk/_turnkey/login?"));
    }

    /** The continuation never carries prompt, so finishing a page cannot loop back to it. */
    @Test
    void continuationHasNoPrompt() {
        assertTrue(!flow(false, true).resume(request("create")).contains("prompt"));
    }
}
