package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.time.Clock;

/**
 * Lifetimes of {@code m.login.token} tokens (spec {@code POST /login/get_token}): valid for
 * {@code turnkey.login-token.lifetime} (default two minutes, as the spec recommends) and for
 * one login only.
 */
@ApplicationScoped
public class LoginTokenPolicy {

    @Inject
    TurnkeyConfig config;

    @Inject
    Clock clock;

    protected LoginTokenPolicy() {
    }

    public LoginTokenPolicy(TurnkeyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    public long now() {
        return clock.millis();
    }

    public long expiresTs(long issuedTs) {
        return issuedTs + config.loginTokenLifetime().toMillis();
    }

    /** Whether a token that has not been used yet may log in now. */
    public boolean usable(LoginToken token) {
        return now() < token.expiresTs();
    }

    public long expiresInMs(LoginToken token) {
        return Math.max(0, token.expiresTs() - now());
    }
}
