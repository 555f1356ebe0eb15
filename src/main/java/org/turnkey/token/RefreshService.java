package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.persistence.Ids;


/**
 * {@code POST /refresh} carried out under {@link RefreshTokenPolicy}. The presented pair's row is
 * locked for the whole transaction, so concurrent refreshes of one token, on one instance or
 * several, run one after another against the database; the transaction commits before the
 * response is written, so no client is told about tokens a crash could lose.
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

    @Transactional(dontRollbackOn = MatrixException.class)
    public IssuedTokens refresh(String refreshToken) {
        TokenPair presented = store.byRefreshHashForUpdate(Tokens.hash(refreshToken))
                .orElseThrow(softLogout::unknownRefreshToken);
        TokenPair successor = store.child(presented.id()).orElse(null);
        AuthSession session = presented.session();
        if (store.userLocked(session.userId())) {
            throw softLogout.locked();
        }
        switch (policy.decide(presented, successor)) {
            case REPLAY -> {
                boolean revokeDevice = policy.reusePolicy() == TurnkeyConfig.ReusePolicy.REVOKE_DEVICE;
                if (revokeDevice) {
                    store.revokeDevice(session.userId(), session.deviceId(), TokenPair.Revocation.REPLAY);
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
                store.remove(successor);
                presented.rotationSalt(Tokens.randomString(32));
                store.flush();
                return mint(presented, refreshToken);
            }
            case ISSUE_SUCCESSOR -> {
                return mint(presented, refreshToken);
            }
            default -> throw new IllegalStateException();
        }
    }

    /** The new tokens are in use: the refresh token they replaced stops working now. */
    @Transactional
    public void confirmRotation(long pairId) {
        store.find(pairId).ifPresent(this::confirm);
    }

    private void confirm(TokenPair pair) {
        if (!policy.confirmsRotation(pair)) {
            return;
        }
        pair.markUsed();
        store.find(pair.parentId()).ifPresent(parent -> {
            if (parent.revoked() == null) {
                parent.revoke(TokenPair.Revocation.ROTATED);
                store.forget(parent);
            }
        });
        store.prune(pair.session().id(), pair.generation(), policy.keptGenerations());
    }

    private IssuedTokens mint(TokenPair presented, String refreshToken) {
        // Using a refresh token counts as using the pair it belongs to.
        confirm(presented);
        long now = policy.now().toEpochMilli();
        String salt = presented.rotationSalt();
        TokenPair successor = new TokenPair(Ids.next(), presented.session(), presented.generation() + 1,
                Tokens.hash(Tokens.successorAccessToken(salt, refreshToken)),
                Tokens.hash(Tokens.successorRefreshToken(salt, refreshToken)),
                Tokens.randomString(32), presented.id(), false, now,
                policy.accessExpiry(true), policy.refreshExpiry());
        store.persist(successor);
        return issued(presented.session(), successor, refreshToken, salt);
    }

    private IssuedTokens issued(AuthSession session, TokenPair successor, String refreshToken, String salt) {
        String access = Tokens.successorAccessToken(salt, refreshToken);
        String refresh = Tokens.successorRefreshToken(salt, refreshToken);
        if (!Tokens.same(Tokens.hash(access), successor.accessHash())
                || !Tokens.same(Tokens.hash(refresh), successor.refreshHash())) {
            throw new IllegalStateException("Stored successor does not match its derivation");
        }
        return new IssuedTokens(session.userId(), session.deviceId(), access, refresh, policy.expiresInMs(successor));
    }
}
