package org.turnkey.api;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error of the OAuth 2.0 endpoints, in the shape their RFCs give: {@code {"error",
 * "error_description"}} (RFC 6749 section 5.2 for the token endpoint, RFC 7591 section 3.2.2 for
 * client registration, RFC 7009 section 2.2.1 for revocation, RFC 8628 section 3.5 for device
 * polling). Raised anywhere under those endpoints, rendered once by {@link OAuthExceptionMapper}.
 * Matrix endpoints use {@link MatrixException}; the browser pages render their own error page.
 */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public OAuthException(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public OAuthException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() { return status; }
    public String error() { return error; }
    public Map<String, String> headers() { return headers; }

    public JsonObject body() {
        JsonObjectBuilder body = Jsons.createObjectBuilder().add("error", error);
        if (getMessage() != null) {
            body.add("error_description", getMessage());
        }
        return body.build();
    }

    /** RFC 6749 section 5.2: a parameter missing, repeated, malformed or unsupported. */
    public static OAuthException invalidRequest(String description) {
        return new OAuthException(400, "invalid_request", description);
    }

    /** RFC 6749 section 5.2: a code or refresh token that is invalid, expired, revoked or not this client's. */
    public static OAuthException invalidGrant(String description) {
        return new OAuthException(400, "invalid_grant", description);
    }

    /** RFC 6749 section 5.2: unknown client; 401 since a public client has nothing else to authenticate with. */
    public static OAuthException invalidClient(String description) {
        return new OAuthException(401, "invalid_client", description);
    }

    /** RFC 6749 section 5.2: a known client that did not register this grant type. */
    public static OAuthException unauthorizedClient(String description) {
        return new OAuthException(400, "unauthorized_client", description);
    }

    /** RFC 8628 section 3.5: the user has not decided yet; poll again after the interval. */
    public static OAuthException authorizationPending() {
        return new OAuthException(400, "authorization_pending", "The user has not yet approved or denied the request");
    }

    /** RFC 8628 section 3.5: polled faster than the interval, which grew by 5 seconds. */
    public static OAuthException slowDown(int interval) {
        return new OAuthException(400, "slow_down", "Polled faster than the interval; poll every " + interval + " seconds");
    }

    /** RFC 8628 section 3.5: the user denied the request. */
    public static OAuthException accessDenied(String description) {
        return new OAuthException(400, "access_denied", description);
    }

    /** RFC 8628 section 3.5: the device code expired; start a new device authorisation. */
    public static OAuthException expiredToken(String description) {
        return new OAuthException(400, "expired_token", description);
    }

    public static OAuthException unsupportedGrantType(String description) {
        return new OAuthException(400, "unsupported_grant_type", description);
    }

    public static OAuthException invalidScope(String description) {
        return new OAuthException(400, "invalid_scope", description);
    }

    /** RFC 7591 section 3.2.2. */
    public static OAuthException invalidRedirectUri(String description) {
        return new OAuthException(400, "invalid_redirect_uri", description);
    }

    /** RFC 7591 section 3.2.2. */
    public static OAuthException invalidClientMetadata(String description) {
        return new OAuthException(400, "invalid_client_metadata", description);
    }

    /**
     * RFC 6749 section 5.2 has no error for overload, and clients end the session on any 4xx
     * from the token endpoint: a fault of ours is a 503 with {@code Retry-After} (RFC 6749
     * section 4.1.2.1 names {@code temporarily_unavailable}), which clients retry.
     */
    public static OAuthException temporarilyUnavailable(String description, long retryAfterSeconds) {
        return new OAuthException(503, "temporarily_unavailable", description)
                .withHeader("Retry-After", Long.toString(Math.max(1, retryAfterSeconds)));
    }
}
