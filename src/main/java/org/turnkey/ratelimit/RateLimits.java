package org.turnkey.ratelimit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.config.TurnkeyConfig;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Spec "Rate limiting": the limits Turnkey applies, each keyed by client address or by account,
 * answered with 429 {@code M_LIMIT_EXCEEDED}, {@code retry_after_ms} and {@code Retry-After}.
 * {@code turnkey.ratelimit.enabled=false} turns them all off.
 */
@ApplicationScoped
public class RateLimits {

    /** The limits, named as their {@code turnkey.ratelimit.NAME.*} keys. */
    public enum Kind {
        /** Every login attempt, per client address (Synapse rc_login.address). */
        LOGIN_ADDRESS("login.address"),
        /** Successful logins, per account (Synapse rc_login.account). */
        LOGIN_ACCOUNT("login.account"),
        /** Wrong passwords at login and in user-interactive auth, per account (rc_login.failed_attempts). */
        LOGIN_FAILED("login.failed-attempts"),
        /** Accounts created, per client address (rc_registration). */
        REGISTRATION("registration"),
        /** Registration token validity checks, per client address (rc_registration_token_validity). */
        REGISTRATION_TOKEN_VALIDITY("registration-token-validity"),
        /** Refreshes, per client address. */
        REFRESH("refresh"),
        /** Login tokens issued by POST /login/get_token, per account. */
        LOGIN_TOKEN("login-token"),
        /** Wrong user codes typed on the device verification page, per client address (RFC 8628 section 5.1). */
        DEVICE_USER_CODE("device-user-code"),
        /** Device authorisation requests (each stores a pending code), per client address. */
        DEVICE_AUTHORIZATION("device-authorization"),
        /** Validation emails requested (the requestToken endpoints), per client address (Synapse rc_3pid_validation). */
        EMAIL_CLIENT("email.client-address"),
        /** Validation emails requested, per email address: no address can be flooded. */
        EMAIL_ADDRESS("email.address");

        final String configName;

        Kind(String configName) {
            this.configName = configName;
        }
    }

    @Inject
    TurnkeyConfig config;

    @Inject
    Clock clock;

    @Inject
    SecurityEvents events;

    private boolean enabled;
    private final Map<Kind, RateLimiter> limiters = new EnumMap<>(Kind.class);

    protected RateLimits() {
    }

    /** For unit tests. */
    public RateLimits(TurnkeyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        init();
    }

    @PostConstruct
    void init() {
        enabled = config.rateLimitEnabled();
        for (Kind kind : Kind.values()) {
            limiters.put(kind, new RateLimiter(config.rateLimit(kind.configName), clock));
        }
    }

    /** Counts one action, or throws 429 without counting it. */
    public void acquire(Kind kind, String key) {
        if (enabled) {
            refuseIfWaiting(kind, limiters.get(kind).tryAcquire(normalize(key)));
        }
    }

    /** Throws 429 if one more action would be refused now; counts nothing. */
    public void check(Kind kind, String key) {
        if (enabled) {
            refuseIfWaiting(kind, limiters.get(kind).check(normalize(key)));
        }
    }

    /** Counts one action that has already happened (a wrong password, an issued token). */
    public void record(Kind kind, String key) {
        if (enabled) {
            limiters.get(kind).record(normalize(key));
        }
    }

    private static String normalize(String key) {
        return key == null ? "-" : key.toLowerCase(Locale.ROOT);
    }

    private void refuseIfWaiting(Kind kind, long waitMs) {
        if (waitMs > 0) {
            if (events != null) {
                events.rateLimited(kind.configName);
            }
            throw MatrixException.limitExceeded(waitMs);
        }
    }
}
