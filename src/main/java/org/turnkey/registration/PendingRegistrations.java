package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.email.EmailValidation.Purpose;
import org.turnkey.email.EmailValidations;
import org.turnkey.email.MailSettings;
import org.turnkey.persistence.ExpiredRows;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.util.Optional;

/** The rows of {@link PendingRegistration}, and the transactions that create and finish them. */
@ApplicationScoped
public class PendingRegistrations {

    private final ExpiredRows expired = new ExpiredRows("PendingRegistration", "expiresTs");

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    EmailValidations emails;

    @Inject
    MailSettings mail;

    @Inject
    AccountCreation accounts;

    @Inject
    RegistrationTokens registrationTokens;

    @Inject
    Clock clock;

    /**
     * Requests the validation email exactly as {@code /register/email/requestToken} does (same
     * rules, same rate limits, same mail) and stores the form beside it, in one transaction: the
     * mail goes out only if the form was stored.
     */
    @Transactional
    public void start(String key, String clientSecret, String userId, String passwordHash, String address,
                      String registrationTokenHash) {
        long now = clock.millis();
        expired.purgeIfDue(em, now);
        JsonObject requested = emails.request(Purpose.REGISTER, JsonBody.of(Jsons.createObjectBuilder()
                .add("client_secret", clientSecret).add("email", address).add("send_attempt", 1).build()));
        em.persist(new PendingRegistration(Tokens.hash(key), userId, passwordHash, requested.getString("sid"), address,
                registrationTokenHash, now, now + mail.tokenLifetime().toMillis()));
    }

    /** The live form the browser's key names. */
    public Optional<PendingRegistration> find(String key) {
        if (key == null) {
            return Optional.empty();
        }
        PendingRegistration p = em.find(PendingRegistration.class, Tokens.hash(key));
        return p == null || p.expiresTs() <= clock.millis() ? Optional.empty() : Optional.of(p);
    }

    /**
     * Creates the account of a form whose address is validated, in one transaction: the
     * registration token's use, the user, the address (the validation session used up), the form
     * deleted. Any refusal undoes all of it.
     */
    @Transactional
    public void createAccount(String keyHash) {
        PendingRegistration p = em.find(PendingRegistration.class, keyHash);
        if (p == null || p.expiresTs() <= clock.millis()) {
            throw EmailRegistrations.expired();
        }
        if (p.registrationTokenHash() != null && !registrationTokens.useHash(p.registrationTokenHash())) {
            throw MatrixException.forbidden("The registration token is used up or has expired");
        }
        accounts.createWithPasswordHash(p.userId(), p.passwordHash(), p.emailSid());
        em.remove(p);
        em.flush();
    }
}
