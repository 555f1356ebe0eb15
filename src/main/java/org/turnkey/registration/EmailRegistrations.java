package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.account.PasswordHasher;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.email.EmailValidation.Purpose;
import org.turnkey.email.EmailValidations;
import org.turnkey.email.Emails;
import org.turnkey.email.MailSettings;
import org.turnkey.email.Threepids;
import org.turnkey.ratelimit.ClientAddress;
import org.turnkey.ratelimit.RateLimits;
import org.turnkey.token.Tokens;

import java.util.Optional;

/**
 * Registration on the browser page with an email address (spec {@code prompt=create}; issue 23).
 * The one place that decides:
 * <ul>
 *   <li>whether the page asks for an address ({@link #mode}): with mail on, always; required
 *       with {@code turnkey.registration.requires-email}, else optional, and an address given is
 *       validated before it is attached, like a required one;</li>
 *   <li>what the form must pass before any mail is sent ({@link #start}): the checks of
 *       {@code POST /register} ({@link RegistrationPolicy#admissible}: user ID free and valid,
 *       password length, registration rate limit), the registration token if one is required
 *       (checked now, used when the account is created), then the rules and rate limits of
 *       {@code /register/email/requestToken} ({@link EmailValidations}: the same single-use,
 *       hashed, expiring token, the same mail);</li>
 *   <li>how the waiting form is held: server-side ({@link PendingRegistration}), found by the
 *       SHA-256 of a random key kept in the browser's cookie, with the password only as its
 *       Argon2id hash, for as long as the emailed token lives;</li>
 *   <li>when the account is made ({@link #complete}): the browser holding the key brings the code
 *       from the mail, or continues after the mail's link was confirmed (in any browser); then
 *       the account and its validated address are created in one transaction.</li>
 * </ul>
 * The validation session's client secret is derived from the key (never stored), so only the
 * browser that filled in the form can use it; the mail's link carries the derived value only.
 */
@ApplicationScoped
public class EmailRegistrations {

    /** The cookie that holds the waiting form's key. */
    public static final String COOKIE = "turnkey_registration";

    /** How the page registers, given the address field. */
    public enum Mode {
        /** No address: the account is made at once (mail off, or an optional address left empty). */
        DIRECT,
        /** An address to validate first. */
        BY_EMAIL,
        /** {@code turnkey.registration.requires-email} and no address: the page asks for one. */
        ADDRESS_MISSING
    }

    /** The outcome of the waiting page's Continue. */
    public enum Outcome { CREATED, WRONG_CODE, NOT_CONFIRMED, EXPIRED }

    public record Completion(Outcome outcome, String userId) {
    }

    @Inject
    RegistrationPolicy policy;

    @Inject
    PendingRegistrations pending;

    @Inject
    EmailValidations emails;

    @Inject
    Threepids threepids;

    @Inject
    MailSettings mail;

    @Inject
    TurnkeyConfig config;

    @Inject
    RegistrationTokens registrationTokens;

    @Inject
    PasswordHasher hasher;

    @Inject
    AccountCreation accounts;

    @Inject
    RateLimits limits;

    @Inject
    ClientAddress client;

    @Inject
    SecurityEvents events;

    protected EmailRegistrations() {
    }

    /** For unit tests of {@link #mode}. */
    EmailRegistrations(MailSettings mail) {
        this.mail = mail;
    }

    static MatrixException expired() {
        return new MatrixException(400, ErrorCode.M_UNKNOWN, "This registration has expired");
    }

    /** Whether the page shows an address field at all. */
    public boolean offered() {
        return mail.enabled();
    }

    /** Whether the page requires an address. */
    public boolean required() {
        return mail.enabled() && mail.registrationRequiresEmail();
    }

    public Mode mode(String address) {
        boolean given = address != null && !address.isBlank();
        if (!mail.enabled()) {
            return Mode.DIRECT;
        }
        if (given) {
            return Mode.BY_EMAIL;
        }
        return mail.registrationRequiresEmail() ? Mode.ADDRESS_MISSING : Mode.DIRECT;
    }

    /** The canonical form of a typed address, or empty if it is not one. */
    public static Optional<String> address(String typed) {
        try {
            return Optional.of(Emails.canonical(typed.trim()));
        } catch (MatrixException invalid) {
            return Optional.empty();
        }
    }

    /**
     * Checks the form and mails the validation link and code; answers the key the browser must
     * keep. Refusals are the API's: {@code M_USER_IN_USE}, {@code M_INVALID_USERNAME},
     * {@code M_INVALID_PARAM} (password too long, address), 403 (registration off, wrong
     * registration token), {@code M_THREEPID_IN_USE}, 429 {@code M_LIMIT_EXCEEDED}.
     */
    public String start(String username, String password, String registrationToken, String typedAddress) {
        policy.requireEnabled();
        if (!mail.enabled()) {
            throw EmailValidations.mediumNotSupported("Email");
        }
        String userId = policy.admissible(Optional.of(username), Optional.of(password));
        String tokenHash = null;
        if (config.registrationRequiresToken()) {
            if (registrationToken == null || !registrationTokens.valid(registrationToken)) {
                throw MatrixException.forbidden("Invalid registration token");
            }
            tokenHash = Tokens.hash(registrationToken);
        }
        String address = Emails.canonical(typedAddress.trim());
        // Before the Argon2id work; EmailValidations checks it again in the transaction.
        if (threepids.owner(address).isPresent()) {
            throw Threepids.inUse();
        }
        String passwordHash = hasher.hash(password);
        String key = Tokens.randomString(32);
        pending.start(key, clientSecret(key), userId, passwordHash, address, tokenHash);
        return key;
    }

    /** The waiting form the browser's key names, if it is still live. */
    public Optional<PendingRegistration> waiting(String key) {
        return pending.find(key);
    }

    /**
     * The waiting page's Continue: with the code from the mail, or (code empty) after the mail's
     * link was confirmed. Creates the account when the address is validated; refusals of the
     * creation itself (the user ID or the address taken meanwhile, the registration token used
     * up) are the API's errors.
     */
    public Completion complete(String key, String code) {
        Optional<PendingRegistration> found = pending.find(key);
        if (found.isEmpty()) {
            return new Completion(Outcome.EXPIRED, null);
        }
        PendingRegistration p = found.get();
        String secret = clientSecret(key);
        boolean typed = code != null && !code.isBlank();
        if (typed && !emails.submit(p.emailSid(), secret, code.trim()) && !validated(p, secret)) {
            return new Completion(Outcome.WRONG_CODE, null);
        }
        if (!typed && !validated(p, secret)) {
            return new Completion(Outcome.NOT_CONFIRMED, null);
        }
        limits.check(RateLimits.Kind.REGISTRATION, client.get());
        accounts.unlessTaken(p.userId(), () -> {
            pending.createAccount(p.keyHash());
            return null;
        });
        limits.record(RateLimits.Kind.REGISTRATION, client.get());
        events.registered(p.userId());
        return new Completion(Outcome.CREATED, p.userId());
    }

    private boolean validated(PendingRegistration p, String secret) {
        try {
            emails.validated(Purpose.REGISTER, p.emailSid(), secret);
            return true;
        } catch (MatrixException notYet) {
            return false;
        }
    }

    /** The validation session's client secret: derived from the key, so never stored. */
    static String clientSecret(String key) {
        return Tokens.hash("turnkey-registration-email:" + key);
    }
}
