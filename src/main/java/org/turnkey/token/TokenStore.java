package org.turnkey.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.annotation.Resource;
import org.turnkey.cluster.ClusterInvalidation;

import java.util.List;
import java.util.Optional;

/**
 * Queries over sessions and token pairs. Every method that revokes or deletes tokens also takes
 * their access hashes out of the {@link AccessTokenCache}, now and again after commit.
 */
@ApplicationScoped
public class TokenStore {

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    AccessTokenCache cache;

    @Inject
    ClusterInvalidation cluster;

    @Resource
    TransactionSynchronizationRegistry transactions;

    public Optional<TokenPair> byAccessHash(String hash) {
        return em.createQuery("SELECT p FROM TokenPair p WHERE p.accessHash = :h", TokenPair.class)
                .setParameter("h", hash).getResultStream().findFirst();
    }

    public Optional<TokenPair> byRefreshHashForUpdate(String hash) {
        return em.createQuery("SELECT p FROM TokenPair p WHERE p.refreshHash = :h", TokenPair.class)
                .setParameter("h", hash).setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    public Optional<TokenPair> child(long parentId) {
        return em.createQuery("SELECT p FROM TokenPair p WHERE p.parentId = :id", TokenPair.class)
                .setParameter("id", parentId).getResultStream().findFirst();
    }

    public Optional<TokenPair> find(long id) {
        return Optional.ofNullable(em.find(TokenPair.class, id));
    }

    public Optional<AuthSession> legacySession(String userId, String deviceId) {
        return em.createQuery("SELECT s FROM AuthSession s WHERE s.userId = :u AND s.deviceId = :d"
                        + " AND s.clientId IS NULL", AuthSession.class)
                .setParameter("u", userId).setParameter("d", deviceId)
                .getResultStream().findFirst();
    }

    public int maxGeneration(long sessionId) {
        Integer max = em.createQuery("SELECT MAX(p.generation) FROM TokenPair p WHERE p.session.id = :s", Integer.class)
                .setParameter("s", sessionId).getSingleResult();
        return max == null ? 0 : max;
    }

    public void persist(Object entity) {
        em.persist(entity);
    }

    public void flush() {
        em.flush();
    }

    /** Takes a pair that just got revoked out of the cache. */
    public void forget(TokenPair pair) {
        invalidate(List.of(pair.accessHash()));
    }

    public void remove(TokenPair pair) {
        invalidate(List.of(pair.accessHash()));
        em.remove(pair);
    }

    /** Revokes every live pair of one device. */
    public void revokeDevice(String userId, String deviceId, TokenPair.Revocation reason) {
        List<TokenPair> live = em.createQuery("SELECT p FROM TokenPair p WHERE p.session.userId = :u"
                        + " AND p.session.deviceId = :d AND p.revoked IS NULL", TokenPair.class)
                .setParameter("u", userId).setParameter("d", deviceId).getResultList();
        live.forEach(p -> p.revoke(reason));
        invalidate(live.stream().map(TokenPair::accessHash).toList());
    }

    /** Drops the cached tokens of devices about to be deleted (their rows go with the device). */
    public void forgetDevices(String userId, List<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return;
        }
        invalidate(em.createQuery("SELECT p.accessHash FROM TokenPair p WHERE p.session.userId = :u"
                        + " AND p.session.deviceId IN :d", String.class)
                .setParameter("u", userId).setParameter("d", deviceIds).getResultList());
    }

    /** Drops every cached token of a user whose account flags changed; the tokens stay valid. */
    public void forgetUser(String userId) {
        invalidate(em.createQuery("SELECT p.accessHash FROM TokenPair p WHERE p.session.userId = :u", String.class)
                .setParameter("u", userId).getResultList());
    }

    public boolean userLocked(String userId) {
        return em.createQuery("SELECT u.locked FROM User u WHERE u.userId = :u", Boolean.class)
                .setParameter("u", userId).getResultStream().findFirst().orElse(false);
    }

    /** Keeps only the newest revoked generations of a session: chains of refreshes stay bounded. */
    public void prune(long sessionId, int newestGeneration, int keep) {
        List<TokenPair> old = em.createQuery("SELECT p FROM TokenPair p WHERE p.session.id = :s"
                        + " AND p.revoked IS NOT NULL AND p.generation <= :g", TokenPair.class)
                .setParameter("s", sessionId).setParameter("g", newestGeneration - keep).getResultList();
        old.forEach(this::remove);
    }

    public long countPairs(String userId, String deviceId) {
        return em.createQuery("SELECT COUNT(p) FROM TokenPair p WHERE p.session.userId = :u"
                        + " AND p.session.deviceId = :d", Long.class)
                .setParameter("u", userId).setParameter("d", deviceId).getSingleResult();
    }

    private void invalidate(List<String> hashes) {
        if (hashes.isEmpty()) {
            return;
        }
        cache.invalidate(hashes);
        if (transactions.getTransactionKey() != null) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        cache.invalidate(hashes);
                        cluster.broadcast(hashes);
                    }
                }
            });
        }
    }
}
