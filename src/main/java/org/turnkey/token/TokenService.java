package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.persistence.Ids;

import java.util.List;
import java.util.Optional;

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
     * Starts an OAuth 2.0 session (spec "OAuth 2.0 API") on a device after an authorisation code
     * was exchanged: like a legacy login, every token the device held before is revoked
     * ({@code RELOGIN}, so those clients hear soft_logout: true), then a new session with the
     * client and scope gets a refreshable pair with the lifetimes of
     * {@code turnkey.access-token.lifetime} and {@code turnkey.refresh-token.lifetime}. The one
     * place besides {@link #loginOnDevice} that issues a first pair. Must run inside the caller's
     * transaction, with the user's row and then the device's row already locked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public OAuthSessionStart startOAuthSession(String userId, String deviceId, String clientId, String scope) {
        long now = policy.now().toEpochMilli();
        store.revokeDevice(userId, deviceId, TokenPair.Revocation.RELOGIN, now);
        AuthSession session = new AuthSession(Ids.next(), userId, deviceId, clientId, scope, now);
        store.persist(session);
        String access = Tokens.newAccessToken();
        String refresh = Tokens.newRefreshToken();
        TokenPair pair = new TokenPair(Ids.next(), session, 1, Tokens.hash(access), Tokens.hash(refresh),
                Tokens.randomString(32), null, true, now, policy.accessExpiry(true), policy.refreshExpiry());
        store.persist(pair);
        return new OAuthSessionStart(session.id(),
                new IssuedTokens(userId, deviceId, access, refresh, policy.expiresInMs(pair), scope));
    }

    /**
     * Revokes the tokens of one session (an authorisation code used twice), keeping the device:
     * its client hears soft_logout: true and can sign in again on it. Answers whether the session
     * still existed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean revokeSession(long sessionId) {
        return store.revokeSession(sessionId, TokenPair.Revocation.REPLAY, policy.now().toEpochMilli()).isPresent();
    }

    /** A started OAuth 2.0 session: its ID (for the code that started it) and its tokens. */
    public record OAuthSessionStart(long sessionId, IssuedTokens tokens) {
    }

    /**
     * The session a live access or refresh token belongs to, for RFC 7009 revocation
     * ({@code oauth.grant.TokenRevocation}, which then deletes its device as {@code /logout}
     * does). Empty for unknown tokens and for tokens already revoked (an old refresh token of a
     * rotated chain): a leaked old token must not be a way to log someone out. Reads without
     * locks; the deletion takes the device's lock.
     */
    public Optional<AuthSession> liveSessionOf(String token) {
        String hash = Tokens.hash(token);
        Optional<TokenStore.PairState> state = store.byAccessHashState(hash);
        if (state.isEmpty()) {
            state = store.byRefreshHashState(hash);
        }
        return state.filter(s -> s.pair().revoked() == null).map(s -> s.pair().session());
    }

    /**
     * Resolves an access token, or throws the spec's 401. The first use of a pair minted by a
     * refresh revokes the refresh token it replaced. A locked account (spec "Account locking")
     * gets 401 {@code M_USER_LOCKED} unless {@code allowLocked} (logout). A locked user's first
     * use of a refreshed pair does not confirm the rotation; unlocking evicts the entry, so the
     * next use after it does.
     */
    public AccessTokenCache.Entry authenticate(String accessToken, boolean allowExpired, boolean allowLocked) {
        String hash = Tokens.hash(accessToken);
        AccessTokenCache.Entry entry = cache.get(hash);
        if (entry == null) {
            AccessTokenCache.Stamp stamp = cache.stamp(hash);
            TokenStore.PairState state = store.byAccessHashState(hash).orElseThrow(softLogout::unknownAccessToken);
            TokenPair pair = state.pair();
            if (pair.revoked() != null) {
                throw softLogout.revoked(pair.revoked());
            }
            if (!state.locked() && policy.confirmsRotation(pair)) {
                refreshes.confirmRotation(state);
            }
            entry = new AccessTokenCache.Entry(pair.session().userId(), pair.session().deviceId(),
                    pair.session().id(), pair.id(), pair.accessExpiresTs(), state.locked(), pair.session().oauth());
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
