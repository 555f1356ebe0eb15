package org.turnkey.oauth.authorize;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.Scope;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Remembered consent (table {@code oauth_consents}): a user who allowed a client full API access
 * is not asked again by that client for {@code turnkey.oauth.consent-memory}. The key is the user,
 * the client and the API scope only, never the device part of the scope: every sign-in of a client
 * asks for a new device ID, and asking again each time would teach users to click Allow blindly
 * (MAS issue #5112). The API scope is stored in its stable spelling, so Element X's unstable
 * spelling and the stable one are the same consent.
 */
@ApplicationScoped
public class Consents {

    /** The consent key for the one API scope Turnkey grants. */
    static final String API_SCOPE = Scope.API;

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    OAuthSettings settings;

    @Inject
    Clock clock;

    /** Whether a consent given at {@code grantedTs} still counts at {@code now}. */
    public static boolean current(long grantedTs, long now, Duration memory) {
        return grantedTs <= now && now - grantedTs < memory.toMillis();
    }

    public boolean remembered(String userId, String clientId) {
        List<?> rows = em.createNativeQuery(
                        "SELECT granted_ts FROM oauth_consents WHERE user_id = ?1 AND client_id = ?2 AND scope = ?3")
                .setParameter(1, userId).setParameter(2, clientId).setParameter(3, API_SCOPE)
                .getResultList();
        return !rows.isEmpty() && current(((Number) rows.get(0)).longValue(), clock.millis(), settings.consentMemory());
    }

    /** Records (or renews) the user's consent. */
    @Transactional
    public void remember(String userId, String clientId) {
        long now = clock.millis();
        int updated = em.createNativeQuery(
                        "UPDATE oauth_consents SET granted_ts = ?1 WHERE user_id = ?2 AND client_id = ?3 AND scope = ?4")
                .setParameter(1, now).setParameter(2, userId).setParameter(3, clientId).setParameter(4, API_SCOPE)
                .executeUpdate();
        if (updated == 0) {
            // Two simultaneous Allows of the same user and client would collide on the primary key;
            // the loser's request fails once and the consent is recorded anyway.
            em.createNativeQuery(
                            "INSERT INTO oauth_consents (user_id, client_id, scope, granted_ts) VALUES (?1, ?2, ?3, ?4)")
                    .setParameter(1, userId).setParameter(2, clientId).setParameter(3, API_SCOPE).setParameter(4, now)
                    .executeUpdate();
        }
    }
}
