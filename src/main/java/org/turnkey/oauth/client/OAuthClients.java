package org.turnkey.oauth.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.Optional;

/** Registered clients, by ID. Registration itself: {@code ClientRegistrationResource}. */
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
}
