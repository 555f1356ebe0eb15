package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.persistence.Ids;

import java.util.List;

/**
 * Issues, checks and revokes tokens (spec "Using access tokens", "Relationship between access
 * tokens and devices"). Refresh itself lives in {@link RefreshService}.
 */
@ApplicationScoped
public class TokenService {

    @Inject
    TokenStore store;

    @Inject
    AccessTokenCache cache;

    @Inject
    RefreshTokenPolicy policy;

    @Inject
    SoftLogoutPolicy softLogout;

    @Inject
    RefreshService refreshes;

    /**
     * Starts a fresh token chain on a device after a login or registration. Every token the
     * device held before is revoked (not deleted, so those clients hear soft_logout: true).
     * Must run inside the caller's transaction, after the device row exists.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public IssuedTokens loginOnDevice(String userId, String deviceId, boolean refreshable) {
        return loginOnDevice(userId, deviceId, refreshable, policy.accessExpiry(refreshable));
    }

    /** As above, without a refresh token, for an access token that expires at {@code accessExpiresTs}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public IssuedTokens loginOnDevice(String userId, String deviceId, long accessExpiresTs) {
        return loginOnDevice(userId, deviceId, false, accessExpiresTs);
    }

    private IssuedTokens loginOnDevice(String userId, String deviceId, boolean refreshable, Long accessExpiresTs) {
        long now = policy.now().toEpochMilli();
        AuthSession session = store.legacySession(userId, deviceId).orElseGet(() -> {
            AuthSession created = new AuthSession(Ids.next(), userId, deviceId, null, null, now);
            store.persist(created);
            return created;
        });
        store.revokeDevice(userId, deviceId, TokenPair.Revocation.RELOGIN, now);
        int generation = store.maxGeneration(session.id()) + 1;
        String access = Tokens.newAccessToken();
        String refresh = refreshable ? Tokens.newRefreshToken() : null;
        TokenPair pair = new TokenPair(Ids.next(), session, generation, Tokens.hash(access),
                refresh == null ? null : Tokens.hash(refresh), refresh == null ? null : Tokens.randomString(32),
                null, true, now, accessExpiresTs, refreshable ? policy.refreshExpiry() : null);
        store.persist(pair);
        store.prune(session.id(), generation, policy.keptGenerations());
        return new IssuedTokens(userId, deviceId, access, refresh, policy.expiresInMs(pair));
    }

    /**
     * Resolves an access token, or throws the spec's 401. The first use of a pair minted by a
     * refresh revokes the refresh token it replaced.
     */
    public AccessTokenCache.Entry authenticate(String accessToken, boolean allowExpired) {
        return authenticate(accessToken, allowExpired, false);
    }

    /**
     * As above; a locked account (spec "Account locking") gets 401 {@code M_USER_LOCKED} unless
     * {@code allowLocked} (logout). A locked user's first use of a refreshed pair does not
     * confirm the rotation; unlocking evicts the entry, so the next use after it does.
     */
    public AccessTokenCache.Entry authenticate(String accessToken, boolean allowExpired, boolean allowLocked) {
        String hash = Tokens.hash(accessToken);
        AccessTokenCache.Entry entry = cache.get(hash);
        if (entry == null) {
            long stamp = cache.stamp();
            TokenStore.PairState state = store.byAccessHashState(hash).orElseThrow(softLogout::unknownAccessToken);
            TokenPair pair = state.pair();
            if (pair.revoked() != null) {
                throw softLogout.revoked(pair.revoked());
            }
            if (!state.locked() && policy.confirmsRotation(pair)) {
                refreshes.confirmRotation(state);
            }
            entry = new AccessTokenCache.Entry(pair.session().userId(), pair.session().deviceId(),
                    pair.session().id(), pair.id(), pair.accessExpiresTs(), state.locked());
            cache.put(hash, entry, stamp);
        }
        if (entry.locked() && !allowLocked) {
            throw softLogout.locked();
        }
        if (!allowExpired && entry.expiresTs() != null && policy.now().toEpochMilli() >= entry.expiresTs()) {
            throw softLogout.expiredAccessToken();
        }
        return entry;
    }

    /** After a user's lock changed: their cached tokens are loaded again with the new flag. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forgetUser(String userId) {
        store.forgetUser(userId);
    }

    /** Before devices are deleted: their tokens must leave the cache too. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forgetDevices(String userId, List<String> deviceIds) {
        store.forgetDevices(userId, deviceIds);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeDevice(String userId, String deviceId, TokenPair.Revocation reason) {
        store.revokeDevice(userId, deviceId, reason, policy.now().toEpochMilli());
    }

    /** Locks devices of one user in the one order every writer of tokens uses ({@link TokenStore}). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> lockDevices(String userId, List<String> deviceIds) {
        return store.lockDevices(userId, deviceIds);
    }

    public MatrixException missingToken() {
        return MatrixException.missingToken();
    }
}
