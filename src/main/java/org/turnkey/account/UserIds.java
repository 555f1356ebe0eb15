package org.turnkey.account;

import org.turnkey.api.ErrorCode;
import org.turnkey.api.MatrixException;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * User ID rules (spec appendix "User Identifiers"): localparts of {@code a-z 0-9 . _ = - / +},
 * a full ID {@code @localpart:server} of at most 255 characters. Users type names in any case,
 * so input is lower-cased before it is checked or looked up.
 */
public final class UserIds {

    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=\\-/+]+");
    public static final int MAX_USER_ID_LENGTH = 255;

    private UserIds() {
    }

    /** The full user ID for a requested registration name, or 400 {@code M_INVALID_USERNAME}. */
    public static String forRegistration(String username, String serverName) {
        String localpart = username.toLowerCase(Locale.ROOT);
        if (localpart.startsWith("@")) {
            throw invalid("Give the localpart only, without '@' or server name");
        }
        if (!LOCALPART.matcher(localpart).matches()) {
            throw invalid("User names may contain only a-z, 0-9, and . _ = - / +");
        }
        String userId = "@" + localpart + ":" + serverName;
        if (userId.length() > MAX_USER_ID_LENGTH) {
            throw invalid("User ID would be longer than " + MAX_USER_ID_LENGTH + " characters");
        }
        return userId;
    }

    /**
     * The user ID a login identifier names: a localpart or a full ID of this server, matched
     * case-insensitively. Empty if it cannot name a local user.
     */
    public static Optional<String> forLogin(String user, String serverName) {
        String lower = user.trim().toLowerCase(Locale.ROOT);
        String localpart = lower;
        if (lower.startsWith("@")) {
            int colon = lower.indexOf(':');
            if (colon < 0 || !lower.substring(colon + 1).equals(serverName.toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            localpart = lower.substring(1, colon);
        }
        if (localpart.isEmpty() || !LOCALPART.matcher(localpart).matches()) {
            return Optional.empty();
        }
        return Optional.of("@" + localpart + ":" + serverName);
    }

    private static MatrixException invalid(String message) {
        return new MatrixException(400, ErrorCode.M_INVALID_USERNAME, message);
    }
}
