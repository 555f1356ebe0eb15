package org.turnkey.oauth.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.Optional;

/** Registered clients, by ID or by metadata digest. Registration itself: {@link ClientRegistrations}. */
@ApplicationScoped
public class OAuthClients {

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    public Optional<OAuthClient> find(String clientId) {
        if (clientId == null || clientId.isEmpty() || clientId.length() > 64) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(OAuthClient.class, clientId));
    }

    /** The client registered with exactly this normalised metadata, if any. */
    public Optional<OAuthClient> findByDigest(String digest) {
        return em.createQuery("SELECT c FROM OAuthClient c WHERE c.metadataDigest = :d", OAuthClient.class)
                .setParameter("d", digest).getResultStream().findFirst();
    }

    /**
     * Stores a new client in its own transaction. A concurrent registration of the same
     * metadata makes this fail on the digest's UNIQUE constraint; the caller then finds the
     * winner's row ({@link ClientRegistrations}).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void insert(OAuthClient client) {
        em.persist(client);
        em.flush();
    }
}
