package org.turnkey.oauth.authorize;

import org.turnkey.api.OAuthException;
import org.turnkey.oauth.Scope;
import org.turnkey.oauth.authorize.AuthorizationRequest.ResponseMode;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.client.RedirectUris;
import org.turnkey.oauth.code.Pkce;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Validates an authorisation request's parameters (RFC 6749 sections 4.1.1 and 4.1.2.1, RFC 7636,
 * spec "Authorization code flow"). Until the client and its redirect URI are known to match, no
 * error may travel to the redirect URI (RFC 6749 section 4.1.2.1: the server "MUST NOT
 * automatically redirect the user-agent to the invalid redirection URI"; otherwise Turnkey would
 * be an open redirector, RFC 9700 section 4.11): those errors are a page. Every later error goes
 * back to the client.
 */
public final class AuthorizationRequestPolicy {

    /** What to do with a request. */
    public sealed interface Outcome permits ErrorPage, ErrorRedirect, Valid {
    }

    /** Shown to the user, status 400; nothing goes to the client. */
    public record ErrorPage(String message) implements Outcome {
    }

    /** Sent back to the client's (verified) redirect URI. */
    public record ErrorRedirect(String location, String error) implements Outcome {
    }

    public record Valid(AuthorizationRequest request) implements Outcome {
    }

    /** prompt values Turnkey acts on (spec: {@code create}; OIDC Core section 3.1.2.1: {@code none}). */
    private static final Set<String> PROMPTS = Set.of("create", "none");

    private static final int MAX_STATE = 2048;

    private AuthorizationRequestPolicy() {
    }

    public static Outcome check(Map<String, List<String>> params, Function<String, Optional<OAuthClient>> clients,
                                String issuer) {
        Optional<String> clientId = single(params, "client_id");
        if (clientId.isEmpty()) {
            return new ErrorPage("The application did not identify itself (client_id is missing or repeated).");
        }
        Optional<OAuthClient> client = clients.apply(clientId.get());
        if (client.isEmpty()) {
            return new ErrorPage("This application is not registered with this server.");
        }
        Optional<String> redirectUri = single(params, "redirect_uri");
        if (redirectUri.isEmpty() || !RedirectUris.allowed(client.get(), redirectUri.get())) {
            return new ErrorPage("The application asked to return to an address it did not register.");
        }
        String uri = redirectUri.get();
        // From here on errors go back to the client. The state is echoed even on errors about
        // other parameters (RFC 6749 section 4.1.2.1: "if the state parameter was present").
        String state = first(params, "state");
        if (state != null && state.length() > MAX_STATE) {
            state = null;
        }
        ResponseMode mode = ResponseMode.QUERY;
        String requestedMode = first(params, "response_mode");
        if (requestedMode != null) {
            if (requestedMode.equals("fragment")) {
                mode = ResponseMode.FRAGMENT;
            } else if (!requestedMode.equals("query")) {
                // Answered in the default mode: the requested one is not understood.
                return refuse(uri, ResponseMode.QUERY, "invalid_request",
                        "response_mode must be query or fragment", state, issuer);
            }
        }
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            // RFC 6749 section 3.1: "Request and response parameters MUST NOT be included more than once."
            if (param.getValue().size() > 1) {
                return refuse(uri, mode, "invalid_request", param.getKey() + " is repeated", state, issuer);
            }
        }
        String responseType = first(params, "response_type");
        if (responseType == null) {
            return refuse(uri, mode, "invalid_request", "response_type is required", state, issuer);
        }
        if (!responseType.equals("code")) {
            return refuse(uri, mode, "unsupported_response_type", "Only response_type=code is supported", state, issuer);
        }
        // Spec: PKCE with S256 is required. An absent method means plain (RFC 7636 section 4.3),
        // which protects nothing once the request is seen, so it is refused like an explicit plain.
        if (!"S256".equals(first(params, "code_challenge_method"))) {
            return refuse(uri, mode, "invalid_request", "code_challenge_method must be S256", state, issuer);
        }
        String challenge = first(params, "code_challenge");
        if (!Pkce.validChallenge(challenge)) {
            return refuse(uri, mode, "invalid_request",
                    "code_challenge must be the 43-character BASE64URL SHA-256 of the verifier", state, issuer);
        }
        Scope scope;
        try {
            scope = Scope.parse(first(params, "scope"));
        } catch (OAuthException e) {
            return refuse(uri, mode, e.error(), e.getMessage(), state, issuer);
        }
        Set<String> prompts = new LinkedHashSet<>();
        String prompt = first(params, "prompt");
        if (prompt != null && !prompt.isBlank()) {
            for (String value : prompt.trim().split(" +")) {
                // Other values (login, consent, select_account) are OIDC's; Turnkey offers none of them
                // (prompt_values_supported), and OIDC Core lets a server ignore what it does not support.
                if (PROMPTS.contains(value)) {
                    prompts.add(value);
                }
            }
            if (prompts.contains("none") && prompts.size() > 1) {
                return refuse(uri, mode, "invalid_request", "prompt=none cannot be combined with other values",
                        state, issuer);
            }
        }
        return new Valid(new AuthorizationRequest(client.get(), uri, mode, state, scope, challenge,
                Set.copyOf(prompts), loginHint(first(params, "login_hint"))));
    }

    /**
     * The user ID of a {@code login_hint} in the spec's {@code mxid:} form, or null. Only a hint:
     * it prefills the sign-in form and authorises nothing, so any other form is ignored.
     */
    static String loginHint(String hint) {
        if (hint == null || !hint.startsWith("mxid:@") || hint.length() > 260) {
            return null;
        }
        String userId = hint.substring("mxid:".length());
        return userId.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? userId : null;
    }

    private static ErrorRedirect refuse(String uri, ResponseMode mode, String error, String description, String state,
                                        String issuer) {
        return new ErrorRedirect(AuthorizationResponse.error(uri, mode, error, description, state, issuer), error);
    }

    private static Optional<String> single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.size() != 1 || values.get(0).isEmpty() ? Optional.empty()
                : Optional.of(values.get(0));
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
