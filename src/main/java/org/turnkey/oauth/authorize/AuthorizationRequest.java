package org.turnkey.oauth.authorize;

import org.turnkey.oauth.Scope;
import org.turnkey.oauth.client.OAuthClient;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A validated authorisation request (RFC 6749 section 4.1.1, RFC 7636 section 4.3, spec
 * "Authorization code flow"). It is never stored: the pages carry the request's parameters in
 * their own query string and every step validates them again, so the only place a browser can be
 * sent on from a page is back into this flow or to a redirect URI the client registered.
 *
 * @param state     the client's {@code state}, echoed as given; null if absent
 * @param prompts   the {@code prompt} values ({@code create}, {@code none}); empty if absent
 * @param loginHint the user ID from {@code login_hint=mxid:...}, to prefill; null if absent
 */
public record AuthorizationRequest(OAuthClient client, String redirectUri, ResponseMode responseMode, String state,
                                   Scope scope, String codeChallenge, Set<String> prompts, String loginHint) {

    public enum ResponseMode {
        QUERY, FRAGMENT;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public String clientId() {
        return client.clientId();
    }

    public boolean prompt(String value) {
        return prompts.contains(value);
    }

    /**
     * The request as the pages carry it: every parameter except {@code prompt}, which has done
     * its work once the flow reached a page (so continuing after sign-in or registration cannot
     * loop back to the registration page or fail with {@code login_required}).
     */
    public Map<String, String> continuation() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client.clientId());
        params.put("redirect_uri", redirectUri);
        params.put("response_mode", responseMode.value());
        params.put("scope", scope.value());
        params.put("code_challenge", codeChallenge);
        params.put("code_challenge_method", "S256");
        if (state != null) {
            params.put("state", state);
        }
        if (loginHint != null) {
            params.put("login_hint", "mxid:" + loginHint);
        }
        return params;
    }
}
