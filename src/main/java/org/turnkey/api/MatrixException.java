package org.turnkey.api;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Matrix error: HTTP status, errcode, message and any extra fields the errcode defines
 * (for example {@code soft_logout} or {@code retry_after_ms}). Raised anywhere, rendered once by
 * {@link MatrixExceptionMapper}.
 */
public class MatrixException extends RuntimeException {

    private final int status;
    private final ErrorCode errcode;
    private final Map<String, JsonValue> extra = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public MatrixException(int status, ErrorCode errcode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errcode = errcode;
    }

    public MatrixException with(String field, JsonValue value) {
        extra.put(field, value);
        return this;
    }

    public MatrixException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public ErrorCode errcode() {
        return errcode;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public JsonObject body() {
        JsonObjectBuilder body = Jsons.createObjectBuilder();
        if (errcode != null) {
            body.add("errcode", errcode.name()).add("error", getMessage());
        }
        extra.forEach(body::add);
        return body.build();
    }

    /**
     * 403 {@code M_USER_DEACTIVATED}: the account making or proving the request is deactivated
     * (spec "Standard error response": "typically for endpoints that prove authentication").
     * Admin actions on a deactivated target account answer as Synapse does (400 or 404): there
     * the requester's own account is fine.
     */
    public static MatrixException userDeactivated() {
        return new MatrixException(403, ErrorCode.M_USER_DEACTIVATED, "This account has been deactivated");
    }

    public static MatrixException forbidden(String message) {
        return new MatrixException(403, ErrorCode.M_FORBIDDEN, message);
    }

    public static MatrixException missingToken() {
        return new MatrixException(401, ErrorCode.M_MISSING_TOKEN, "Missing access token");
    }

    /** {@code softLogout} tells the client whether it may keep its keys; false means the session is gone. */
    public static MatrixException unknownToken(String message, boolean softLogout) {
        MatrixException e = new MatrixException(401, ErrorCode.M_UNKNOWN_TOKEN, message);
        return softLogout ? e.with("soft_logout", JsonValue.TRUE) : e;
    }

    public static MatrixException badJson(String message) {
        return new MatrixException(400, ErrorCode.M_BAD_JSON, message);
    }

    public static MatrixException notJson(String message) {
        return new MatrixException(400, ErrorCode.M_NOT_JSON, message);
    }

    public static MatrixException missingParam(String name) {
        return new MatrixException(400, ErrorCode.M_MISSING_PARAM, "Missing parameter: " + name);
    }

    public static MatrixException invalidParam(String message) {
        return new MatrixException(400, ErrorCode.M_INVALID_PARAM, message);
    }

    public static MatrixException notFound(String message) {
        return new MatrixException(404, ErrorCode.M_NOT_FOUND, message);
    }

    public static MatrixException unrecognized(int status, String message) {
        return new MatrixException(status, ErrorCode.M_UNRECOGNIZED, message);
    }

    public static MatrixException tooLarge(long limit) {
        return new MatrixException(413, ErrorCode.M_TOO_LARGE, "Request body exceeds " + limit + " bytes");
    }

    public static MatrixException limitExceeded(long retryAfterMs) {
        long seconds = Math.max(1, (retryAfterMs + 999) / 1000);
        return new MatrixException(429, ErrorCode.M_LIMIT_EXCEEDED, "Too many requests")
                .with("retry_after_ms", Jsons.createValue(retryAfterMs))
                .withHeader("Retry-After", Long.toString(seconds));
    }

    /**
     * A user-interactive auth 401 (spec "User-interactive API in the REST API"): the state
     * ({@code flows}, {@code params}, {@code session}, {@code completed}) and, after a failed
     * stage, its errcode; the first challenge has no errcode, as the spec shows.
     */
    public static MatrixException interactiveAuth(JsonObject state, ErrorCode errcode, String message) {
        MatrixException e = new MatrixException(401, errcode, message == null ? "Authentication required" : message);
        state.forEach(e::with);
        return e;
    }

    public static MatrixException unavailable(String message) {
        return new MatrixException(503, ErrorCode.M_UNKNOWN, message).withHeader("Retry-After", "5");
    }
}
