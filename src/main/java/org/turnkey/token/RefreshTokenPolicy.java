package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.time.Clock;
import java.time.Instant;

/**
 * The refresh rule of the spec ("Refreshing access tokens"): the old refresh token remains valid
 * until the new access token or the new refresh token is used, at which point it is revoked.
 *
 * <ul>
 *   <li>A refresh whose successor is still unused repeats: the client gets the same successor
 *       again, so a lost response or a burst of concurrent refreshes never costs a session.</li>
 *   <li>A refresh token whose successor has been used is a replay (MSC2918, RFC 9700 §4.14):
 *       a sign that the token was stolen.</li>
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
        /** The token was rotated and its successor used: treat as theft. */
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

    /** Decides what a refresh with the refresh token of {@code presented} does. */
    public Outcome decide(TokenPair presented, TokenPair successor) {
        long now = now().toEpochMilli();
        if (presented.revoked() == TokenPair.Revocation.ROTATED) {
            return Outcome.REPLAY;
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

    /** Revoked pairs kept per session so that replays are still recognised; older ones are pruned. */
    public int keptGenerations() {
        return 4;
    }
}
