package org.turnkey.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.Optional;

/** Lookups of local accounts. */
@ApplicationScoped
public class UserStore {

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    public Optional<User> find(String userId) {
        return Optional.ofNullable(em.find(User.class, userId));
    }

    public boolean exists(String userId) {
        return em.createQuery("SELECT COUNT(u) FROM User u WHERE u.userId = :id", Long.class)
                .setParameter("id", userId).getSingleResult() > 0;
    }

    public void persist(User user) {
        em.persist(user);
        em.flush();
    }
}
