package org.turnkey.oauth.device;

import org.turnkey.oauth.device.DeviceAuthorization.Status;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Every rule of the device authorisation grant (RFC 8628) that needs no container: the user code
 * (section 6.1), expiry, and what a poll of the token endpoint is answered (section 3.5),
 * including {@code slow_down}. Time comes from the clock it is given.
 */
public final class DeviceGrantPolicy {

    /**
     * RFC 8628 section 6.1's example alphabet: 20 upper-case consonants. No digits and no vowels,
     * so nothing to confuse (0/O, 1/I, 5/S, 8/B) and no words spelled by chance. Case-insensitive
     * on input.
     */
    public static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

    /** Eight characters: 20^8, about 2^34.5 codes (section 6.1's example), typed as XXXX-XXXX. */
    public static final int USER_CODE_LENGTH = 8;

    /** RFC 8628 section 3.5: "the interval MUST be increased by 5 seconds" at each slow_down. */
    public static final int SLOW_DOWN_STEP_SECONDS = 5;

    /**
     * A poll this much early still counts as on time: the client measures its interval from the
     * previous answer, the server from the previous request, so network delay can only make the
     * server's measure longer; the grace absorbs clock steps between instances of a cluster.
     */
    static final long GRACE_MS = 250;

    /** What a poll of the token endpoint is answered (RFC 8628 section 3.5). */
    public enum Poll {
        /** Not this client's device code: invalid_grant, as for an unknown one. */
        OTHER_CLIENT,
        /** Tokens were already issued for it: invalid_grant (single use). */
        USED,
        /** expired_token. */
        EXPIRED,
        /** access_denied. */
        DENIED,
        /** slow_down; the interval grew by five seconds. */
        SLOW_DOWN,
        /** authorization_pending. */
        PENDING,
        /** The user approved: issue the tokens now. */
        APPROVED
    }

    /** Why a user code cannot be decided on the verification page, or empty if it can. */
    public enum Undecidable {
        UNKNOWN, EXPIRED, ALREADY_DECIDED
    }

    private final Clock clock;
    private final Duration lifetime;
    private final int intervalSeconds;

    public DeviceGrantPolicy(Clock clock, Duration lifetime, Duration interval) {
        this.clock = clock;
        this.lifetime = lifetime;
        this.intervalSeconds = (int) interval.getSeconds();
    }

    public long now() {
        return clock.millis();
    }

    /** A new user code in its normal form (no separator). */
    public static String newUserCode() {
        return Tokens.randomChars(USER_CODE_LENGTH, ALPHABET);
    }

    /** The user code as shown and sent to the client: {@code BCDF-GHJK}. */
    public static String display(String normal) {
        return normal.substring(0, USER_CODE_LENGTH / 2) + "-" + normal.substring(USER_CODE_LENGTH / 2);
    }

    /**
     * What the user typed, in normal form: case, spaces and dashes do not matter (RFC 8628
     * section 6.1: "the user code SHOULD be case-insensitive", punctuation ignored). Empty if it
     * cannot be a user code at all, which is still a guess (the caller counts it).
     */
    public static Optional<String> normalize(String typed) {
        if (typed == null) {
            return Optional.empty();
        }
        StringBuilder normal = new StringBuilder(USER_CODE_LENGTH);
        for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ' || c == '\t') {
                continue;
            }
            if (ALPHABET.indexOf(c) < 0 || normal.length() == USER_CODE_LENGTH) {
                return Optional.empty();
            }
            normal.append(c);
        }
        return normal.length() == USER_CODE_LENGTH ? Optional.of(normal.toString()) : Optional.empty();
    }

    /** A new pending request, valid for the configured lifetime. */
    public DeviceAuthorization create(String deviceCodeHash, String userCodeHash, String clientId, String scope) {
        long now = now();
        return new DeviceAuthorization(deviceCodeHash, userCodeHash, clientId, scope, now, now + lifetime.toMillis(),
                intervalSeconds);
    }

    /** The {@code expires_in} of the device authorisation response, in whole seconds. */
    public long expiresIn() {
        return lifetime.getSeconds();
    }

    public int interval() {
        return intervalSeconds;
    }

    public boolean expired(DeviceAuthorization row) {
        return now() >= row.expiresTs();
    }

    /**
     * Decides one poll and records it on the row (last poll time, interval). The order matters:
     * a used code is refused before anything else, an expired one even if approved (the user's
     * approval came too late to use), and a denial is final.
     */
    public Poll poll(DeviceAuthorization row, String clientId) {
        if (!row.clientId().equals(clientId)) {
            return Poll.OTHER_CLIENT;
        }
        if (row.status() == Status.REDEEMED) {
            return Poll.USED;
        }
        long now = now();
        if (now >= row.expiresTs()) {
            return Poll.EXPIRED;
        }
        if (row.status() == Status.DENIED) {
            return Poll.DENIED;
        }
        if (row.status() == Status.APPROVED) {
            row.polled(now, row.pollInterval());
            return Poll.APPROVED;
        }
        Long last = row.lastPolledTs();
        if (last != null && now - last < row.pollInterval() * 1000L - GRACE_MS) {
            row.polled(now, row.pollInterval() + SLOW_DOWN_STEP_SECONDS);
            return Poll.SLOW_DOWN;
        }
        row.polled(now, row.pollInterval());
        return Poll.PENDING;
    }

    /** Whether the user may approve or deny this request now (the verification page). */
    public Optional<Undecidable> undecidable(DeviceAuthorization row) {
        if (row == null) {
            return Optional.of(Undecidable.UNKNOWN);
        }
        if (row.status() != Status.PENDING) {
            return Optional.of(Undecidable.ALREADY_DECIDED);
        }
        if (expired(row)) {
            return Optional.of(Undecidable.EXPIRED);
        }
        return Optional.empty();
    }

    /** Records the user's decision; the caller checked {@link #undecidable} first. */
    public void decide(DeviceAuthorization row, boolean approve, String userId) {
        row.decided(approve ? Status.APPROVED : Status.DENIED, userId, now());
    }

    /** Records that tokens were issued, so the device code is used up. */
    public void redeemed(DeviceAuthorization row, long sessionId) {
        row.redeemed(sessionId);
    }
}
