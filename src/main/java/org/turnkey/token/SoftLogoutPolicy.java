package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.MatrixException;

/**
 * Spec "Soft logout": {@code soft_logout: true} exactly while the token's device still exists,
 * so the client keeps its keys and re-authenticates on the same device. Without it, the client
 * discards its encryption state, so that answer is kept for sessions that are really gone: the
 * device was logged out or deleted, the account deactivated, or the token never existed.
 * A token row exists only while its device does (foreign keys cascade), hence the rule below.
 */
@ApplicationScoped
public class SoftLogoutPolicy {

    public MatrixException unknownAccessToken() {
        return MatrixException.unknownToken("Unknown access token", false);
    }

    public MatrixException unknownRefreshToken() {
        return MatrixException.unknownToken("Unknown refresh token", false);
    }

    public MatrixException expiredAccessToken() {
        return MatrixException.unknownToken("Access token has expired", true);
    }

    public MatrixException expiredRefreshToken() {
        return MatrixException.unknownToken("Refresh token has expired", true);
    }

    /** Spec "Account locking": the session stays, so the client keeps its keys until unlocked. */
    public MatrixException locked() {
        return new MatrixException(401, ErrorCode.M_USER_LOCKED, "This account has been locked")
                .with("soft_logout", JsonValue.TRUE);
    }

    public MatrixException revoked(TokenPair.Revocation reason) {
        String message = switch (reason) {
            case ROTATED -> "Token was replaced by a refresh";
            case RELOGIN -> "Token was replaced by a new login on this device";
            case REPLAY -> "Tokens of this device were revoked after a refresh token was reused";
            case ACCOUNT -> "Tokens of this device were revoked";
        };
        return MatrixException.unknownToken(message, true);
    }
}
