package org.turnkey.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.Jsons;
import org.turnkey.api.MatrixException;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The validated email addresses of accounts: one address belongs to at most one account. */
@ApplicationScoped
public class Threepids {

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    Clock clock;

    public static MatrixException inUse() {
        return new MatrixException(400, ErrorCode.M_THREEPID_IN_USE, "This email address is already in use");
    }

    public List<Threepid> of(String userId) {
        return em.createQuery("SELECT t FROM Threepid t WHERE t.userId = :user ORDER BY t.addedTs, t.address", Threepid.class)
                .setParameter("user", userId).getResultList();
    }

    /** The account a canonical address belongs to. */
    public Optional<String> owner(String address) {
        Threepid t = em.find(Threepid.class, address);
        return Optional.ofNullable(t).map(Threepid::userId);
    }

    /**
     * Adds a validated address to an account in the caller's transaction; 400
     * {@code M_THREEPID_IN_USE} if another account has it (already there: nothing changes).
     */
    @Transactional
    public void add(String userId, String address, long validatedTs) {
        Threepid existing = em.find(Threepid.class, address);
        if (existing != null) {
            if (!existing.userId().equals(userId)) {
                throw inUse();
            }
            return;
        }
        em.persist(new Threepid(address, userId, validatedTs, clock.millis()));
        em.flush();
    }

    /** Removes an address from an account; whether it was there. */
    @Transactional
    public boolean remove(String userId, String address) {
        return em.createQuery("DELETE FROM Threepid t WHERE t.userId = :user AND t.address = :address")
                .setParameter("user", userId).setParameter("address", address).executeUpdate() > 0;
    }

    /**
     * Replaces an account's addresses (the admin API's {@code threepids}) in the caller's
     * transaction: addresses it keeps keep their timestamps; new ones count as validated now.
     */
    @Transactional
    public void replace(String userId, List<String> addresses) {
        for (String address : addresses) {
            owner(address).filter(owner -> !owner.equals(userId)).ifPresent(owner -> {
                throw inUse();
            });
        }
        java.util.Set<String> wanted = new java.util.LinkedHashSet<>(addresses);
        for (Threepid t : of(userId)) {
            if (!wanted.remove(t.address())) {
                em.remove(t);
            }
        }
        long now = clock.millis();
        for (String address : wanted) {
            em.persist(new Threepid(address, userId, now, now));
        }
        em.flush();
    }

    /** The Synapse/spec shape: {@code medium}, {@code address}, {@code validated_at}, {@code added_at}. */
    public JsonArray json(String userId) {
        JsonArrayBuilder list = Jsons.createArrayBuilder();
        for (Threepid t : of(userId)) {
            list.add(Jsons.createObjectBuilder().add("medium", t.medium()).add("address", t.address())
                    .add("validated_at", t.validatedTs()).add("added_at", t.addedTs()));
        }
        return list.build();
    }
}
