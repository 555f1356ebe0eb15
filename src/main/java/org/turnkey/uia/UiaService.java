package org.turnkey.uia;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.auth.Requester;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.email.EmailValidation;
import org.turnkey.email.EmailValidation.Purpose;
import org.turnkey.email.EmailValidations;
import org.turnkey.login.LoginService;
import org.turnkey.registration.RegistrationTokens;
import org.turnkey.token.Tokens;
import org.turnkey.persistence.ExpiredRows;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The one user-interactive authentication engine (spec "User-Interactive Authentication API").
 * An endpoint names its operation and flows; this class answers 401 with the state until one
 * flow is complete. Sessions live in the database, expire after
 * {@code turnkey.uia.session-timeout}, and only authorise the operation that started them.
 */
@ApplicationScoped
public class UiaService {

    public static final String DUMMY = "m.login.dummy";
    public static final String PASSWORD = "m.login.password";
    public static final String REGISTRATION_TOKEN = "m.login.registration_token";
    public static final String EMAIL = "m.login.email.identity";

    /**
     * A completed authentication: the validated email session of {@code m.login.email.identity}
     * (its {@code sid}, whose client secret the stage checked) when that stage was part of it,
     * else null. The endpoint uses it up with {@code EmailValidations.consumeCompleted}.
     */
    public record Completed(String emailSid) {
    }

    /** Expired sessions are deleted at most this often per instance, by whichever request comes next. */
    private final ExpiredRows expired = new ExpiredRows("UiaSession", "expiresTs");

    @PersistenceContext(unitName = "turnkey")
    EntityManager em;

    @Inject
    TurnkeyConfig config;

    @Inject
    Clock clock;

    @Inject
    LoginService logins;

    @Inject
    Requester requester;

    @Inject
    RegistrationTokens registrationTokens;

    @Inject
    EmailValidations emails;

    /**
     * The answer of every UIA endpoint to a token issued through the OAuth 2.0 API (spec "OAuth
     * 2.0 API": UIA "is not compatible with the OAuth 2.0 API, so the endpoints that depend on it
     * for authentication can't be used"): 403 {@code M_FORBIDDEN}, decided here, once, for
     * {@code DELETE /devices/{id}}, {@code POST /delete_devices}, {@code POST /account/password},
     * {@code POST /account/deactivate} and {@code POST /login/get_token}. Not 401: clients read a
     * 401 as a UIA challenge or a dead token, and this session is neither; the user does these
     * things in the account management web UI instead. Checked before a UIA session is created,
     * so nothing is stored.
     */
    static MatrixException oauthSession() {
        return MatrixException.forbidden("This session was signed in through OAuth 2.0, which cannot complete"
                + " user-interactive authentication: use the server's account management web page instead");
    }

    /**
     * Returns once the request's {@code auth} completes one of {@code flows} for
     * {@code operation}, otherwise throws the spec's 401 (or 403 for another user's credentials).
     *
     * @param userId the authenticated requester, or null when nobody is signed in (registration)
     */
    @Transactional(dontRollbackOn = MatrixException.class)
    public Completed require(String operation, String userId, JsonBody body, List<List<String>> flows) {
        if (userId != null && requester.oauth()) {
            throw oauthSession();
        }
        UiaFlows rules = UiaFlows.of(flows);
        JsonBody auth = body.optionalObject("auth").orElse(null);
        UiaSession session = auth == null ? null : existing(auth, operation, userId);
        if (session == null) {
            session = start(operation, userId);
        }
        if (auth == null) {
            throw challenge(session, flows, null, null);
        }
        String type = auth.optionalString("type").orElse(null);
        List<String> done = List.copyOf(session.completed());
        // Completed stages are never repeated: retrying one just reports the state (or succeeds).
        if (type != null && !done.contains(type)) {
            if (!rules.offers(type)) {
                throw challenge(session, flows, ErrorCode.M_UNRECOGNIZED, "Unsupported authentication type: " + type);
            }
            if (!rules.next(done).contains(type)) {
                throw challenge(session, flows, ErrorCode.M_FORBIDDEN,
                        "Stages must be completed in the order of a flow; expected one of " + rules.next(done));
            }
            perform(type, auth, userId, session, flows);
            session.complete(type);
        }
        if (rules.complete(session.completed())) {
            em.remove(session);
            return new Completed(session.emailSid());
        }
        throw challenge(session, flows, null, null);
    }

    private UiaSession existing(JsonBody auth, String operation, String userId) {
        String id = auth.optionalString("session").orElse(null);
        if (id == null) {
            return null;
        }
        UiaSession session = em.find(UiaSession.class, id);
        if (session == null || session.expiresTs() <= clock.millis()) {
            throw new MatrixException(400, ErrorCode.M_UNKNOWN, "Unknown or expired authentication session");
        }
        if (!session.operation().equals(operation) || !Objects.equals(session.userId(), userId)) {
            throw MatrixException.forbidden("This authentication session was started for a different request");
        }
        return session;
    }

    private UiaSession start(String operation, String userId) {
        long now = clock.millis();
        expired.purgeIfDue(em, now);
        UiaSession session = new UiaSession(Tokens.randomString(18), operation, userId, now,
                now + config.uiaSessionTimeout().toMillis());
        em.persist(session);
        return session;
    }

    private void perform(String type, JsonBody auth, String userId, UiaSession session, List<List<String>> flows) {
        if (PASSWORD.equals(type)) {
            String authenticated;
            try {
                authenticated = logins.checkPassword(auth);
            } catch (MatrixException failed) {
                if (failed.status() == 403) {
                    throw challenge(session, flows, failed.errcode(), failed.getMessage());
                }
                throw failed;
            }
            if (!authenticated.equals(userId)) {
                throw MatrixException.forbidden("The credentials given are those of another user");
            }
        } else if (REGISTRATION_TOKEN.equals(type)) {
            String token = auth.optionalString("token").orElse(null);
            if (token == null) {
                throw challenge(session, flows, ErrorCode.M_MISSING_PARAM, "Missing parameter: token");
            }
            if (!registrationTokens.use(token)) {
                throw challenge(session, flows, ErrorCode.M_FORBIDDEN, "Invalid registration token");
            }
        } else if (EMAIL.equals(type)) {
            Purpose purpose = emailPurpose(session.operation());
            List<String> creds;
            try {
                creds = EmailValidations.creds(auth);
            } catch (MatrixException missing) {
                throw challenge(session, flows, missing.errcode(), missing.getMessage());
            }
            EmailValidation validated;
            try {
                validated = emails.validated(purpose, creds.get(0), creds.get(1));
            } catch (MatrixException notValidated) {
                throw challenge(session, flows, notValidated.errcode(), notValidated.getMessage());
            }
            session.emailSid(validated.sid());
        } else if (!DUMMY.equals(type)) {
            throw challenge(session, flows, ErrorCode.M_UNRECOGNIZED, "Unsupported authentication type: " + type);
        }
    }

    /** What a validated address proves for this operation: a new account's address, or a forgotten password's account. */
    static Purpose emailPurpose(String operation) {
        return operation.endsWith("/register") ? Purpose.REGISTER : Purpose.RESET;
    }

    private static MatrixException challenge(UiaSession session, List<List<String>> flows, ErrorCode errcode, String message) {
        JsonArrayBuilder flowArray = Jsons.createArrayBuilder();
        for (List<String> flow : flows) {
            flowArray.add(Jsons.createObjectBuilder().add("stages", Jsons.createArrayBuilder(flow)));
        }
        JsonObjectBuilder state = Jsons.createObjectBuilder()
                .add("flows", flowArray)
                .add("params", JsonObject.EMPTY_JSON_OBJECT)
                .add("session", session.sessionId());
        if (!session.completed().isEmpty()) {
            state.add("completed", Jsons.createArrayBuilder(session.completed()));
        }
        return MatrixException.interactiveAuth(state.build(), errcode, message);
    }
}
