package org.turnkey.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.Optional;

/** Lookups of local accounts. */
@ApplicationScoped
public class UserStore {

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    public Optional<User> find(String userId) {
        return Optional.ofNullable(em.find(User.class, userId));
    }

    /**
     * The user's row, locked until the caller's transaction ends: first in the lock order of
     * {@code token.TokenStore}, so a sign-in sees a lock or deactivation that commits meanwhile
     * only after it, and never half-way.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> lock(String userId) {
        return Optional.ofNullable(em.find(User.class, userId, LockModeType.PESSIMISTIC_WRITE));
    }

    public boolean exists(String userId) {
        return em.createQuery("SELECT COUNT(u) FROM User u WHERE u.userId = :id", Long.class)
                .setParameter("id", userId).getSingleResult() > 0;
    }

    public void persist(User user) {
        em.persist(user);
        em.flush();
    }

    /**
     * Replaces the password hash {@code expected} by {@code replacement}, unless the row holds
     * another hash by now (a password change or deactivation committed since it was read: that
     * one wins). Only ever within the transaction of the sign-in the check belongs to
     * ({@link AccountService#upgradeHashThen}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void replaceHash(String userId, String expected, String replacement) {
        User user = em.find(User.class, userId, LockModeType.PESSIMISTIC_WRITE);
        if (user != null && expected.equals(user.passwordHash())) {
            user.passwordHash(replacement);
        }
    }
}
