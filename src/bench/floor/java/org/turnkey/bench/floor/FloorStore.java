package org.turnkey.bench.floor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The floor WAR's one bean: its database, touched at start-up as Turnkey touches its own. */
@ApplicationScoped
public class FloorStore {

    @PersistenceContext
    EntityManager em;

    private volatile long things;

    /**
     * Runs one query before the application is ready, which makes Payara bring up the pool,
     * EclipseLink's session and the schema at start-up rather than on the first request (a read
     * needs no transaction).
     */
    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        things = em.createQuery("SELECT COUNT(t) FROM Thing t", Long.class).getSingleResult();
    }

    /** What the start-up query found; requests do not touch the database, as Turnkey's /versions does not. */
    public long things() {
        return things;
    }
}
