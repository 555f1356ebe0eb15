package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.time.Clock;
import java.time.Instant;

/**
 * The refresh rule of the spec ("Refreshing access tokens"): the old refresh token remains valid
 * until the new access token or the new refresh token is used, at which point it is revoked.
 * This class decides every case; {@link RefreshService} only carries the decision out, and the
 * OAuth 2.0 refresh grant goes through the same service.
 *
 * <ul>
 *   <li>A refresh whose successor is still unused repeats: the client gets the same successor
 *       again, so a lost response or a burst of concurrent refreshes never costs a session.</li>
 *   <li>Once the successor has been used, the old refresh token is revoked ({@code ROTATED},
 *       with the time of that first use). A refresh that presents it afterwards is one of two
 *       things, told apart by when the request <em>arrived</em> (not by when it got the
 *       device's lock, which a request can wait for behind the very use that rotated it):
 *       <ul>
 *         <li>a <b>duplicate</b> if it arrived before the rotation was confirmed plus
 *             {@code turnkey.refresh-token.duplicate-allowance} (default 5 s): the client sent
 *             it before it had the new pair (a retry, or several refreshes at once), and it
 *             crossed the use on the way. It gets 401 {@code M_UNKNOWN_TOKEN} with
 *             {@code soft_logout: true}, no tokens, and nothing is revoked;</li>
 *         <li>a <b>replay</b> if it arrived later (MSC2918, RFC 9700 §4.14): the token was
 *             copied. Under {@code turnkey.refresh-token.reuse-policy=revoke-device} every
 *             token of the device is revoked (the device and its keys stay); under
 *             {@code reject} only this request is refused. Both answer 401
 *             {@code M_UNKNOWN_TOKEN} with {@code soft_logout: true}.</li>
 *       </ul>
 *       The allowance covers network delay and a request's wait before the server starts on
 *       it, and the clock difference between instances of a cluster. A thief who presents a
 *       copied token within it is refused too and gets nothing; only the device-wide revocation
 *       is skipped.</li>
 *   <li>Lifetimes: access tokens of refreshing clients expire after
 *       {@code turnkey.access-token.lifetime}; refresh tokens after
 *       {@code turnkey.refresh-token.lifetime} if set; access tokens of clients that cannot
 *       refresh after {@code turnkey.nonrefreshable-access-token.lifetime} if set.</li>
 * </ul>
 */
@ApplicationScoped
public class RefreshTokenPolicy {

    public enum Outcome {
        /** Mint the successor pair. */
        ISSUE_SUCCESSOR,
        /** The successor exists and is unused: hand the same tokens out again. */
        REPEAT_SUCCESSOR,
        /** The unused successor's access token has expired: replace it with a fresh one. */
        REPLACE_STALE_SUCCESSOR,
        /** The token was rotated, and this request arrived in time to have crossed the use: refuse only it. */
        DUPLICATE,
        /** The token was rotated and this request arrived after the allowance: treat as theft. */
        REPLAY,
        /** Revoked for another reason (re-login, a replay elsewhere, an account change). */
        REVOKED,
        /** The refresh token outlived {@code turnkey.refresh-token.lifetime}. */
        EXPIRED
    }

    @Inject
    TurnkeyConfig config;

    @Inject
    Clock clock;

    protected RefreshTokenPolicy() {
    }

    public RefreshTokenPolicy(TurnkeyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /**
     * Decides what a refresh with the refresh token of {@code presented} does, for a request that
     * arrived at {@code arrived}.
     */
    public Outcome decide(TokenPair presented, TokenPair successor, Instant arrived) {
        long now = now().toEpochMilli();
        if (presented.revoked() == TokenPair.Revocation.ROTATED) {
            return inFlightWhenRotated(presented, arrived) ? Outcome.DUPLICATE : Outcome.REPLAY;
        }
        if (presented.revoked() != null) {
            return Outcome.REVOKED;
        }
        if (presented.refreshExpiresTs() != null && now >= presented.refreshExpiresTs()) {
            return Outcome.EXPIRED;
        }
        if (successor == null) {
            return Outcome.ISSUE_SUCCESSOR;
        }
        if (successor.used()) {
            // Using a successor revokes its parent in the same transaction; seeing it used with a
            // live parent means the two disagree, and the safe reading is a replay.
            return Outcome.REPLAY;
        }
        if (successor.revoked() != null) {
            return Outcome.REVOKED;
        }
        if (successor.accessExpiresTs() != null && now >= successor.accessExpiresTs()) {
            return Outcome.REPLACE_STALE_SUCCESSOR;
        }
        return Outcome.REPEAT_SUCCESSOR;
    }

    /**
     * Whether a request for a rotated pair arrived before its rotation was confirmed plus the
     * allowance. A pair rotated before the time was kept counts as rotated long ago.
     */
    private boolean inFlightWhenRotated(TokenPair rotated, Instant arrived) {
        return rotated.revokedTs() != null
                && arrived.toEpochMilli() < rotated.revokedTs() + config.duplicateAllowance().toMillis();
    }

    /** Whether presenting a token of {@code pair} must first revoke its parent. */
    public boolean confirmsRotation(TokenPair pair) {
        return !pair.used() && pair.parentId() != null;
    }

    public Long accessExpiry(boolean refreshable) {
        long now = now().toEpochMilli();
        if (refreshable) {
            return now + config.accessTokenLifetime().toMillis();
        }
        return config.nonRefreshableAccessTokenLifetime().map(d -> now + d.toMillis()).orElse(null);
    }

    public Long refreshExpiry() {
        long now = now().toEpochMilli();
        return config.refreshTokenLifetime().map(d -> now + d.toMillis()).orElse(null);
    }

    public Long expiresInMs(TokenPair pair) {
        if (pair.accessExpiresTs() == null) {
            return null;
        }
        return Math.max(0, pair.accessExpiresTs() - now().toEpochMilli());
    }

    public TurnkeyConfig.ReusePolicy reusePolicy() {
        return config.reusePolicy();
    }

    /**
     * Prune a session's old generations at the first use of every this-many-th generation, not
     * at every one: a chain of refreshes pays one DELETE per that many refreshes.
     */
    static final int PRUNE_EVERY = 4;

    /**
     * Pairs kept per session so that replays are still recognised: when a session is pruned,
     * the generations older than the newest this many go (only revoked pairs ever do). Right
     * after a prune three revoked generations remain, and more until the next.
     */
    public int keptGenerations() {
        return 4;
    }

    /**
     * Whether the first use of a pair of this generation prunes its session's old generations:
     * every {@value #PRUNE_EVERY}th generation, so a session holds at most
     * {@link #maxPairsPerSession()} pairs.
     */
    public boolean prunesAt(int generation) {
        return generation % PRUNE_EVERY == 0;
    }

    /**
     * The most pairs a session holds between transactions: the generations a prune keeps and
     * those since it, the last an unused successor.
     */
    public int maxPairsPerSession() {
        return keptGenerations() + PRUNE_EVERY;
    }
}
