package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.api.MatrixException;
import org.turnkey.token.Tokens;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-use nonces for shared-secret registration, valid for a minute as in Synapse. Kept in
 * memory: the nonce and the registration must reach the same instance. Bounded, because
 * anyone may ask for one.
 */
@ApplicationScoped
public class RegistrationNonces {

    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final int MAX_OUTSTANDING = 10_000;

    @Inject
    Clock clock;

    private final ConcurrentHashMap<String, Long> expiries = new ConcurrentHashMap<>();

    public String issue() {
        long now = clock.millis();
        if (expiries.size() >= MAX_OUTSTANDING) {
            expiries.values().removeIf(expiry -> expiry <= now);
            if (expiries.size() >= MAX_OUTSTANDING) {
                throw MatrixException.limitExceeded(LIFETIME.toMillis());
            }
        }
        String nonce = Tokens.randomString(32);
        expiries.put(nonce, now + LIFETIME.toMillis());
        return nonce;
    }

    /** Whether the nonce was issued and is still fresh; either way it cannot be used again. */
    public boolean consume(String nonce) {
        Long expiry = expiries.remove(nonce);
        return expiry != null && clock.millis() < expiry;
    }
}
