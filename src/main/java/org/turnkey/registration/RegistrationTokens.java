package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registration token store (spec "Token-authenticated registration"). Tokens are opaque
 * identifiers of at most 64 characters, stored hashed. A use is taken atomically by one
 * conditional UPDATE, so concurrent registrations on any number of instances never exceed
 * {@code uses_allowed}.
 */
@ApplicationScoped
public class RegistrationTokens {

    /** Spec appendix "Opaque Identifiers", at most 64 characters. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~\\-]{1,64}");
    /** The characters {@link #TOKEN} allows, for generated tokens. */
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-";
    public static final int MAX_LENGTH = 64;

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    Clock clock;

    public static boolean wellFormed(String token) {
        return token != null && TOKEN.matcher(token).matches();
    }

    /** A new random token of {@code length} characters (1 to 64) of the allowed alphabet. */
    public static String generate(int length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("Registration tokens are 1 to 64 characters long");
        }
        return Tokens.randomChars(length, ALPHABET);
    }

    /** The row of {@code token}; managed when called inside a transaction. */
    public Optional<RegistrationToken> find(String token) {
        return wellFormed(token) ? Optional.ofNullable(em.find(RegistrationToken.class, Tokens.hash(token)))
                : Optional.empty();
    }

    /** Every token, oldest first. */
    public List<RegistrationToken> list() {
        return em.createQuery("SELECT t FROM RegistrationToken t ORDER BY t.createdTs, t.tokenHash",
                RegistrationToken.class).getResultList();
    }

    /** Deletes {@code token}; false if there was none. */
    @Transactional
    public boolean delete(String token) {
        return wellFormed(token) && em.createQuery("DELETE FROM RegistrationToken t WHERE t.tokenHash = :h")
                .setParameter("h", Tokens.hash(token)).executeUpdate() == 1;
    }

    /** Whether {@code token} exists, has uses left and has not expired. */
    public boolean valid(String token) {
        return find(token).map(t -> t.validAt(clock.millis())).orElse(false);
    }

    /** Takes one use of {@code token}; false if it is unknown, used up or expired. */
    @Transactional
    public boolean use(String token) {
        return wellFormed(token) && useHash(Tokens.hash(token));
    }

    /**
     * Takes one use of the token whose SHA-256 this is (a registration that waited for its email
     * address kept only the hash); false if it is unknown, used up or expired.
     */
    @Transactional
    public boolean useHash(String tokenHash) {
        return em.createQuery("UPDATE RegistrationToken t SET t.completed = t.completed + 1"
                        + " WHERE t.tokenHash = :h AND (t.usesAllowed IS NULL OR t.completed < t.usesAllowed)"
                        + " AND (t.expiryTs IS NULL OR t.expiryTs > :now)")
                .setParameter("h", tokenHash).setParameter("now", clock.millis())
                .executeUpdate() == 1;
    }

    /** Creates {@code token} unless it exists already (so restarts keep its use count). */
    @Transactional
    public boolean createIfAbsent(String token, Integer usesAllowed, Long expiryTs) {
        if (!wellFormed(token)) {
            throw new IllegalArgumentException("Registration tokens are 1 to 64 of A-Z a-z 0-9 . _ ~ -");
        }
        String hash = Tokens.hash(token);
        if (em.find(RegistrationToken.class, hash) != null) {
            return false;
        }
        em.persist(new RegistrationToken(hash, usesAllowed, expiryTs, clock.millis()));
        return true;
    }
}
