package org.turnkey.persistence;

import jakarta.persistence.EntityManager;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Deletion of one entity's expired rows, run from the request path that creates new ones, at
 * most once a minute per instance: no scheduler to configure on each server, and the table holds
 * the live rows plus about a minute's expired ones. Concurrent callers race for the slot; one
 * wins, the others go on. Several instances each purge; the DELETE is idempotent.
 */
public final class ExpiredRows {

    private static final long INTERVAL_MS = 60_000;

    private final String delete;
    private final AtomicLong last = new AtomicLong();

    /** For rows of {@code entity} whose {@code expiryField} (epoch milliseconds) has passed. */
    public ExpiredRows(String entity, String expiryField) {
        this.delete = "DELETE FROM " + entity + " e WHERE e." + expiryField + " <= :now";
    }

    /** Purges in the caller's transaction if a minute has passed since this instance last did. */
    public void purgeIfDue(EntityManager em, long now) {
        long previous = last.get();
        if (now - previous >= INTERVAL_MS && last.compareAndSet(previous, now)) {
            em.createQuery(delete).setParameter("now", now).executeUpdate();
        }
    }
}
