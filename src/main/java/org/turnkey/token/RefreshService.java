package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.persistence.Ids;

import java.time.Instant;


/**
 * {@code POST /refresh} carried out under {@link RefreshTokenPolicy}. The device's row is locked
 * for the whole transaction ({@link TokenStore} says in which order locks are taken), so
 * concurrent refreshes of one token, on one instance or several, run one after another against
 * the database; the transaction commits before the response is written, so no client is told
 * about tokens a crash could lose.
 */
@ApplicationScoped
public class RefreshService {


    @Inject
    TokenStore store;

    @Inject
    RefreshTokenPolicy policy;

    @Inject
    SoftLogoutPolicy softLogout;

    @Inject
    SecurityEvents events;

    /**
     * Refreshes with {@code refreshToken} for a request that arrived at {@code arrived} (taken
     * before any wait for a lock, so a duplicate the client already had in flight is told from a
     * replay by when it was sent, not by when its turn came).
     */
    @Transactional(dontRollbackOn = MatrixException.class)
    public IssuedTokens refresh(String refreshToken, Instant arrived) {
        return refresh(refreshToken, arrived, null);
    }

    /**
     * As above, for a refresh token of the session kind {@code clientId} names: null for the
     * legacy {@code /refresh}, which knows only legacy sessions, or the OAuth 2.0 client whose
     * session it must be (the refresh token grant, {@code oauth.grant}). A token of another kind
     * or client is answered as unknown, before the rule runs, so it changes nothing.
     */
    @Transactional(dontRollbackOn = MatrixException.class)
    public IssuedTokens refresh(String refreshToken, Instant arrived, String clientId) {
        TokenStore.RefreshState state = store.byRefreshHashLocked(Tokens.hash(refreshToken))
                .orElseThrow(softLogout::unknownRefreshToken);
        TokenPair presented = state.presented().pair();
        TokenPair successor = state.successor();
        AuthSession session = presented.session();
        if (!java.util.Objects.equals(session.clientId(), clientId)) {
            throw softLogout.unknownRefreshToken();
        }
        if (state.presented().locked()) {
            throw softLogout.locked();
        }
        switch (policy.decide(presented, successor, arrived)) {
            case DUPLICATE -> {
                events.refreshTokenDuplicate(session.userId(), session.deviceId());
                throw softLogout.revoked(TokenPair.Revocation.ROTATED);
            }
            case REPLAY -> {
                boolean revokeDevice = policy.reusePolicy() == TurnkeyConfig.ReusePolicy.REVOKE_DEVICE;
                if (revokeDevice) {
                    store.revokeDevice(session.userId(), session.deviceId(), TokenPair.Revocation.REPLAY,
                            policy.now().toEpochMilli());
                }
                events.refreshTokenReplayed(session.userId(), session.deviceId(), revokeDevice);
                throw softLogout.revoked(TokenPair.Revocation.ROTATED);
            }
            case REVOKED -> throw softLogout.revoked(presented.revoked() != null ? presented.revoked()
                    : successor.revoked());
            case EXPIRED -> throw softLogout.expiredRefreshToken();
            case REPEAT_SUCCESSOR -> {
                return issued(session, successor, refreshToken, presented.rotationSalt());
            }
            case REPLACE_STALE_SUCCESSOR -> {
                presented.rotationSalt(Tokens.randomString(32));
                store.replaceSuccessor(successor, presented);
                return mint(state, refreshToken);
            }
            case ISSUE_SUCCESSOR -> {
                return mint(state, refreshToken);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The new tokens are in use: the refresh token they replaced stops working now. */
    @Transactional
    public void confirmRotation(TokenStore.PairState state) {
        if (policy.confirmsRotation(state.pair())) {
            store.confirmUse(state, pruneKeeping(state.pair()), policy.now().toEpochMilli());
        }
    }

    private IssuedTokens mint(TokenStore.RefreshState state, String refreshToken) {
        TokenPair presented = state.presented().pair();
        long now = policy.now().toEpochMilli();
        // Using a refresh token counts as using the pair it belongs to; this transaction already
        // holds the device's lock.
        if (policy.confirmsRotation(presented)) {
            store.confirmUse(state, pruneKeeping(presented), now);
        }
        String salt = presented.rotationSalt();
        TokenPair successor = new TokenPair(Ids.next(), presented.session(), presented.generation() + 1,
                Tokens.hash(Tokens.successorAccessToken(salt, refreshToken)),
                Tokens.hash(Tokens.successorRefreshToken(salt, refreshToken)),
                Tokens.randomString(32), presented.id(), false, now,
                policy.accessExpiry(true), policy.refreshExpiry());
        store.insert(successor);
        return issued(presented.session(), successor, refreshToken, salt);
    }

    /** The generations to keep if this pair's first use prunes its session, else 0: no prune. */
    private int pruneKeeping(TokenPair used) {
        return policy.prunesAt(used.generation()) ? policy.keptGenerations() : 0;
    }

    private IssuedTokens issued(AuthSession session, TokenPair successor, String refreshToken, String salt) {
        String access = Tokens.successorAccessToken(salt, refreshToken);
        String refresh = Tokens.successorRefreshToken(salt, refreshToken);
        if (!Tokens.same(Tokens.hash(access), successor.accessHash())
                || !Tokens.same(Tokens.hash(refresh), successor.refreshHash())) {
            throw new IllegalStateException("Stored successor does not match its derivation");
        }
        return new IssuedTokens(session.userId(), session.deviceId(), access, refresh, policy.expiresInMs(successor),
                session.scope());
    }
}
