package org.turnkey.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.account.UserStore;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.email.EmailValidation.Purpose;
import org.turnkey.persistence.ExpiredRows;
import org.turnkey.ratelimit.ClientAddress;
import org.turnkey.ratelimit.RateLimits;
import org.turnkey.token.Tokens;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The homeserver's own email validation (spec "Adding Account Administrative Contact
 * Information", the {@code requestToken} endpoints, {@code m.login.email.identity}): the one
 * place that decides who gets a validation email, what a token proves, and when a validated
 * session is used up.
 * <ul>
 *   <li>tokens are 192 random bits, stored as SHA-256, usable once, valid for
 *       {@code turnkey.email.token-lifetime} (default one hour); so is the client secret's hash</li>
 *   <li>a session serves only the purpose it was requested for (add, register, reset), and is
 *       deleted when used</li>
 *   <li>repeating a request with the same client secret, address and {@code send_attempt}
 *       returns the same {@code sid} and sends nothing (spec); a higher {@code send_attempt}
 *       sends a new token for the same session</li>
 *   <li>every mail sent counts against {@code turnkey.ratelimit.email.client-address} (per client
 *       address) and {@code turnkey.ratelimit.email.address} (per recipient): 429 {@code M_LIMIT_EXCEEDED}</li>
 *   <li>{@code next_link} must be an absolute http(s) URL ({@link NextLinks}); the link page
 *       redirects there once the address is confirmed</li>
 *   <li>a password reset for an address no account has is answered exactly as one for a known
 *       address (a notice is mailed instead of a token), unless
 *       {@code turnkey.email.password-reset.reveal-unknown-addresses}: then 400 {@code M_THREEPID_NOT_FOUND}</li>
 * </ul>
 */
@ApplicationScoped
public class EmailValidations {

    /** The browser page the email links to. */
    public static final String VALIDATE_PAGE = "_turnkey/email/validate";
    /** The spec's {@code submit_url}: the Identity Service API's submitToken shape. */
    public static final String SUBMIT_PATH = "_turnkey/email/submit_token";

    private static final Pattern CLIENT_SECRET = Pattern.compile("[0-9a-zA-Z.=_\\-]{1,255}");

    private final ExpiredRows expired = new ExpiredRows("EmailValidation", "expiresTs");

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    MailSettings settings;

    @Inject
    TurnkeyConfig config;

    @Inject
    MailOutbox outbox;

    @Inject
    Threepids threepids;

    @Inject
    UserStore users;

    @Inject
    RateLimits limits;

    @Inject
    ClientAddress client;

    @Inject
    Clock clock;

    /** 400 {@code M_THREEPID_MEDIUM_NOT_SUPPORTED}: phone numbers, and email while mail is off. */
    public static MatrixException mediumNotSupported(String what) {
        return new MatrixException(400, ErrorCode.M_THREEPID_MEDIUM_NOT_SUPPORTED, what + " is not supported on this server");
    }

    static MatrixException authFailed() {
        return new MatrixException(400, ErrorCode.M_THREEPID_AUTH_FAILED,
                "The email address has not been validated: follow the link in the email first");
    }

    /** Whether this server validates email addresses (mail is configured). */
    public boolean available() {
        return settings.enabled();
    }

    /**
     * A {@code requestToken} call: checks the body, applies the purpose's rule and the rate
     * limits, and queues the email; answers {@code sid} and {@code submit_url}.
     *
     * @param requester the signed-in user, for {@link Purpose#ADD} when known, else null
     */
    @Transactional
    public JsonObject request(Purpose purpose, JsonBody body) {
        if (!settings.enabled()) {
            throw mediumNotSupported("Email");
        }
        String clientSecret = clientSecret(body);
        String address = Emails.canonical(body.requireString("email"));
        long sendAttempt = body.optionalLong("send_attempt").orElseThrow(() -> MatrixException.missingParam("send_attempt"));
        String nextLink = NextLinks.check(body.optionalString("next_link")).orElse(null);
        body.optionalString("id_server"); // ignored: the homeserver validates (spec)
        String userId = null;
        if (purpose == Purpose.ADD || purpose == Purpose.REGISTER) {
            if (threepids.owner(address).isPresent()) {
                throw Threepids.inUse();
            }
        } else {
            userId = threepids.owner(address).filter(this::active).orElse(null);
            if (userId == null && settings.revealUnknownAddresses()) {
                throw new MatrixException(400, ErrorCode.M_THREEPID_NOT_FOUND, "No account uses this email address");
            }
        }
        long now = clock.millis();
        expired.purgeIfDue(em, now);
        String secretHash = Tokens.hash(clientSecret);
        Optional<EmailValidation> existing = em.createQuery("SELECT v FROM EmailValidation v WHERE v.clientSecretHash = :secret"
                        + " AND v.address = :address AND v.purpose = :purpose AND v.expiresTs > :now", EmailValidation.class)
                .setParameter("secret", secretHash).setParameter("address", address).setParameter("purpose", purpose)
                .setParameter("now", now).getResultList().stream().findFirst();
        if (existing.isPresent() && sendAttempt <= existing.get().sendAttempt()) {
            return response(existing.get().sid());
        }
        limits.acquire(RateLimits.Kind.EMAIL_CLIENT, client.get());
        limits.acquire(RateLimits.Kind.EMAIL_ADDRESS, address);
        String token = Tokens.randomString(24);
        EmailValidation validation;
        if (existing.isPresent()) {
            validation = existing.get();
            validation.resend(sendAttempt, Tokens.hash(token), nextLink);
        } else {
            validation = new EmailValidation(Tokens.randomString(18), secretHash, purpose, address, userId, sendAttempt,
                    Tokens.hash(token), now, now + settings.tokenLifetime().toMillis(), nextLink);
            em.persist(validation);
        }
        mail(validation, clientSecret, token);
        return response(validation.sid());
    }

    private boolean active(String userId) {
        return users.find(userId).map(u -> !u.deactivated()).orElse(false);
    }

    private JsonObject response(String sid) {
        return Jsons.createObjectBuilder().add("sid", sid)
                .add("submit_url", config.publicBaseUrl() + SUBMIT_PATH).build();
    }

    private static String clientSecret(JsonBody body) {
        String secret = body.requireString("client_secret");
        if (!CLIENT_SECRET.matcher(secret).matches()) {
            throw MatrixException.invalidParam("client_secret must be 1 to 255 characters of [0-9a-zA-Z.=_-]");
        }
        return secret;
    }

    private void mail(EmailValidation v, String clientSecret, String token) {
        String server = config.serverName();
        String link = config.publicBaseUrl() + VALIDATE_PAGE + "?sid=" + enc(v.sid()) + "&client_secret=" + enc(clientSecret)
                + "&token=" + enc(token);
        String minutes = Long.toString(settings.tokenLifetime().toMinutes());
        String subject;
        String text;
        switch (v.purpose()) {
            case ADD -> {
                subject = "Confirm your email address for " + server;
                text = "Someone asked to add this email address to a Matrix account on " + server + ".\n\n"
                        + "If it was you, open this link to confirm it:\n\n" + link + "\n\n"
                        + "or, if your app asks for a code, enter: " + token + "\n\n"
                        + "The link works once, for " + minutes + " minutes. If it was not you, ignore this email.\n";
            }
            case REGISTER -> {
                subject = "Confirm your email address to register on " + server;
                text = "Someone is registering a Matrix account on " + server + " with this email address.\n\n"
                        + "If it is you, open this link to confirm it:\n\n" + link + "\n\n"
                        + "or, if your app or the registration page asks for a code, enter: " + token + "\n\n"
                        + "The link works once, for " + minutes + " minutes. If it was not you, ignore this email.\n";
            }
            default -> {
                if (v.userId() == null) {
                    subject = "Password reset on " + server;
                    text = "Someone asked to reset the password of a Matrix account on " + server
                            + " using this email address, but no account on " + server + " has this address.\n\n"
                            + "If it was you, perhaps your account uses another address. If it was not you, ignore this email.\n";
                } else {
                    subject = "Reset your password on " + server;
                    text = "Someone asked to reset the password of your Matrix account " + v.userId() + ".\n\n"
                            + "If it was you, open this link to confirm, then choose a new password in your app:\n\n"
                            + link + "\n\n"
                            + "or, if your app asks for a code, enter: " + token + "\n\n"
                            + "The link works once, for " + minutes + " minutes. Resetting your password signs out"
                            + " your other sessions. If it was not you, ignore this email: your password stays as it is.\n";
                }
            }
        }
        outbox.enqueue(v.address(), subject, text, v.expiresTs());
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The emailed token, brought back by the link's page or the {@code submit_url}: whether it
     * validated the session. Wrong, used or expired tokens are all simply false.
     */
    @Transactional
    public boolean submit(String sid, String clientSecret, String token) {
        return validate(sid, clientSecret, token).isPresent();
    }

    /** As {@link #submit}, answering the session the token validated (its purpose, its {@code next_link}). */
    @Transactional
    public Optional<EmailValidation> validate(String sid, String clientSecret, String token) {
        if (sid == null || clientSecret == null || token == null) {
            return Optional.empty();
        }
        EmailValidation v = em.find(EmailValidation.class, sid);
        long now = clock.millis();
        if (v == null || v.expiresTs() <= now || v.tokenHash() == null
                || !Tokens.same(v.clientSecretHash(), Tokens.hash(clientSecret))
                || !Tokens.same(v.tokenHash(), Tokens.hash(token))) {
            return Optional.empty();
        }
        v.validated(now);
        return Optional.of(v);
    }

    /**
     * The {@code next_link} of the session {@code sid} and {@code clientSecret} name, if it has
     * one and has not expired (the link page's form may end in a redirect there).
     */
    public Optional<String> nextLink(String sid, String clientSecret) {
        if (sid == null || clientSecret == null) {
            return Optional.empty();
        }
        EmailValidation v = em.find(EmailValidation.class, sid);
        if (v == null || v.nextLink() == null || v.expiresTs() <= clock.millis()
                || !Tokens.same(v.clientSecretHash(), Tokens.hash(clientSecret))) {
            return Optional.empty();
        }
        return Optional.of(v.nextLink());
    }

    /**
     * The validated session {@code threepid_creds} (or {@code sid} and {@code client_secret})
     * name, for {@code purpose}, without using it up; else 400 {@code M_THREEPID_AUTH_FAILED}.
     */
    public EmailValidation validated(Purpose purpose, String sid, String clientSecret) {
        if (sid == null || clientSecret == null) {
            throw authFailed();
        }
        EmailValidation v = usable(purpose, sid);
        if (!Tokens.same(v.clientSecretHash(), Tokens.hash(clientSecret))) {
            throw authFailed();
        }
        return v;
    }

    private EmailValidation usable(Purpose purpose, String sid) {
        EmailValidation v = em.find(EmailValidation.class, sid);
        if (v == null || v.purpose() != purpose || v.validatedTs() == null || v.expiresTs() <= clock.millis()
                || (purpose == Purpose.RESET && v.userId() == null)) {
            throw authFailed();
        }
        return v;
    }

    /** Uses a validated session up (in the caller's transaction): it cannot be used again. */
    @Transactional(Transactional.TxType.MANDATORY)
    public EmailValidation consume(Purpose purpose, String sid, String clientSecret) {
        return delete(validated(purpose, sid, clientSecret));
    }

    /**
     * Uses up the session a completed user-interactive auth names ({@code UiaService.Completed}):
     * its stage already checked the client secret, and the sid comes from the server-side UIA
     * session, never from this request.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EmailValidation consumeCompleted(Purpose purpose, String sid) {
        return delete(usable(purpose, sid));
    }

    /** Adds the address of a validated {@link Purpose#ADD} session to an account, using the session up; returns it. */
    @Transactional
    public String addToAccount(String userId, String sid, String clientSecret) {
        EmailValidation v = consume(Purpose.ADD, sid, clientSecret);
        threepids.add(userId, v.address(), v.validatedTs());
        return v.address();
    }

    /**
     * Gives a new account (inserted in the caller's transaction) the address of the validated
     * {@link Purpose#REGISTER} session its registration's auth completed; 400
     * {@code M_THREEPID_IN_USE} if another account took the address meanwhile.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void registerAddress(String userId, String sid) {
        EmailValidation v = consumeCompleted(Purpose.REGISTER, sid);
        threepids.add(userId, v.address(), v.validatedTs());
    }

    private EmailValidation delete(EmailValidation v) {
        if (em.createQuery("DELETE FROM EmailValidation v WHERE v.sid = :sid").setParameter("sid", v.sid()).executeUpdate() != 1) {
            throw authFailed();
        }
        return v;
    }

    /** The {@code sid} and {@code client_secret} of a UIA {@code threepid_creds} (or legacy {@code threePidCreds}). */
    public static List<String> creds(JsonBody auth) {
        JsonBody creds = auth.optionalObject("threepid_creds").or(() -> auth.optionalObject("threePidCreds"))
                .orElseThrow(() -> MatrixException.missingParam("threepid_creds"));
        return List.of(creds.requireString("sid"), creds.requireString("client_secret"));
    }

}
