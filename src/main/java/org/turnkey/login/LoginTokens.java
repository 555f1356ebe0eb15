package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.MatrixException;
import org.turnkey.token.Tokens;
import org.turnkey.persistence.ExpiredRows;

/**
 * Issues and redeems single-use login tokens. Redeeming deletes the row and only the request
 * whose DELETE removed it logs in, so a token works once even with concurrent requests on
 * several instances. Expired rows are purged now and then.
 */
@ApplicationScoped
public class LoginTokens {

    public static final String PREFIX = "tkl_";

    public record Issued(String token, long expiresInMs) {
    }

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    LoginTokenPolicy policy;

    private final ExpiredRows expired = new ExpiredRows("LoginToken", "expiresTs");

    @Transactional
    public Issued issue(String userId) {
        long now = policy.now();
        expired.purgeIfDue(em, now);
        String token = PREFIX + Tokens.randomString(32);
        LoginToken row = new LoginToken(Tokens.hash(token), userId, now, policy.expiresTs(now));
        em.persist(row);
        return new Issued(token, policy.expiresInMs(row));
    }

    /** The user a token logs in, consuming it; 403 {@code M_FORBIDDEN} if unknown, used or expired. */
    @Transactional(dontRollbackOn = MatrixException.class)
    public String redeem(String token) {
        String hash = Tokens.hash(token);
        LoginToken row = em.find(LoginToken.class, hash);
        if (row == null) {
            throw invalid();
        }
        int deleted = em.createQuery("DELETE FROM LoginToken t WHERE t.tokenHash = :h")
                .setParameter("h", hash).executeUpdate();
        if (deleted != 1 || !policy.usable(row)) {
            throw invalid();
        }
        return row.userId();
    }

    /** Removes every outstanding token of a user (deactivation). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revokeAll(String userId) {
        em.createQuery("DELETE FROM LoginToken t WHERE t.userId = :u").setParameter("u", userId).executeUpdate();
    }

    private static MatrixException invalid() {
        return MatrixException.forbidden("Invalid or expired login token");
    }
}
