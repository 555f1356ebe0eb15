package org.turnkey.oauth.code;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.token.Tokens;
import org.turnkey.persistence.ExpiredRows;

import java.time.Clock;
import java.util.Optional;

/**
 * Issues authorisation codes (the authorisation endpoint) and hands them, row-locked, to the
 * token endpoint, which decides what a presented code is worth ({@code oauth.grant}). Redeemed
 * codes are kept until they expire, so a second use is recognised and can end the session the
 * first one started; expired rows are purged now and then.
 */
@ApplicationScoped
public class AuthorizationCodes {

    /** Code prefix, so a code is recognisable in a log or a leak scanner (never logged by Turnkey). */
    public static final String PREFIX = "tkc_";

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    OAuthSettings settings;

    @Inject
    Clock clock;

    private final ExpiredRows expired = new ExpiredRows("AuthorizationCode", "expiresTs");

    /** A new code for the grant; the caller redirects the browser with it. */
    @Transactional
    public String issue(String clientId, String userId, String scope, String redirectUri, String codeChallenge) {
        long now = clock.millis();
        expired.purgeIfDue(em, now);
        String code = PREFIX + Tokens.randomString(32);
        em.persist(new AuthorizationCode(Tokens.hash(code), clientId, userId, scope, redirectUri, codeChallenge,
                now, now + settings.codeLifetime().toMillis()));
        return code;
    }

    /** The code's row, locked until the caller's transaction ends, or empty if unknown. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<AuthorizationCode> lock(String code) {
        return Optional.ofNullable(em.find(AuthorizationCode.class, Tokens.hash(code), LockModeType.PESSIMISTIC_WRITE));
    }

}
