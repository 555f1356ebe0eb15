package org.turnkey.oauth.authorize;

import org.turnkey.oauth.authorize.AuthorizationRequest.ResponseMode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the browser goes back to the client: the redirect URI with the response parameters
 * (RFC 6749 sections 4.1.2 and 4.1.2.1) in its query or, for {@code response_mode=fragment},
 * its fragment (OAuth 2.0 Multiple Response Type Encoding Practices), always with {@code iss}
 * (RFC 9207) so a client talking to several servers can tell which one answered (mix-up attacks,
 * RFC 9700 section 4.4).
 */
public final class AuthorizationResponse {

    private AuthorizationResponse() {
    }

    public static String success(String redirectUri, ResponseMode mode, String code, String state, String issuer) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("code", code);
        return build(redirectUri, mode, params, state, issuer);
    }

    public static String error(String redirectUri, ResponseMode mode, String error, String description, String state,
                               String issuer) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("error", error);
        if (description != null) {
            params.put("error_description", description);
        }
        return build(redirectUri, mode, params, state, issuer);
    }

    private static String build(String redirectUri, ResponseMode mode, Map<String, String> params, String state,
                                String issuer) {
        if (state != null) {
            params.put("state", state);
        }
        params.put("iss", issuer);
        String encoded = QueryStrings.encode(params);
        if (mode == ResponseMode.FRAGMENT) {
            // Registered redirect URIs carry no fragment (RFC 6749 section 3.1.2), so this is the only one.
            return redirectUri + "#" + encoded;
        }
        // RFC 6749 section 3.1.2: a query the registered URI already has is kept.
        return redirectUri + (redirectUri.contains("?") ? "&" : "?") + encoded;
    }
}
