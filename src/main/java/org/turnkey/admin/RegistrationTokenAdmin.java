package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Requester;
import org.turnkey.registration.RegistrationToken;
import org.turnkey.registration.RegistrationTokens;

import java.time.Clock;
import java.util.List;

/**
 * What an admin may do to registration tokens (spec "Token-authenticated registration"), in
 * Synapse's terms. Every entry point checks the caller first. Tokens are stored hashed, so a
 * token's value is known only where the caller sent it or it was just generated.
 */
@ApplicationScoped
public class RegistrationTokenAdmin {

    /** A token's row and its value. */
    public record Shown(String token, RegistrationToken row) {
    }

    // With short lengths most tokens may be taken; Synapse would retry forever.
    private static final int GENERATE_ATTEMPTS = 10;

    @Inject
    AdminService admin;

    @Inject
    RegistrationTokens tokens;

    @Inject
    Clock clock;

    @Inject
    SecurityEvents events;

    /** Every token, or with {@code valid} ("true"/"false") only the (in)valid ones. */
    public List<RegistrationToken> list(Requester requester, String valid) {
        admin.requireAdmin(requester);
        Boolean wanted = valid == null ? null : AdminUserSearch.bool("valid", valid, false);
        long now = clock.millis();
        return tokens.list().stream().filter(t -> wanted == null || t.validAt(now) == wanted).toList();
    }

    public Shown get(Requester requester, String token) {
        admin.requireAdmin(requester);
        return new Shown(token, existing(token));
    }

    public Shown create(Requester requester, JsonBody body) {
        admin.requireAdmin(requester);
        RegistrationTokenRequests.Create request = RegistrationTokenRequests.create(body, clock.millis());
        String token;
        if (request.token().isPresent()) {
            token = request.token().get();
            if (!inserted(token, request)) {
                throw MatrixException.invalidParam("Token already exists");
            }
        } else {
            token = generated(request);
        }
        events.registrationTokenChanged("created", requester.userId(), requester.deviceId());
        return new Shown(token, existing(token));
    }

    @Transactional
    public Shown update(Requester requester, String token, JsonBody body) {
        admin.requireAdmin(requester);
        RegistrationTokenRequests.Update change = RegistrationTokenRequests.update(body, clock.millis());
        RegistrationToken row = existing(token);
        change.applyTo(row);
        events.registrationTokenChanged("updated", requester.userId(), requester.deviceId());
        return new Shown(token, row);
    }

    public void delete(Requester requester, String token) {
        admin.requireAdmin(requester);
        if (!tokens.delete(token)) {
            throw notFound();
        }
        events.registrationTokenChanged("deleted", requester.userId(), requester.deviceId());
    }

    private String generated(RegistrationTokenRequests.Create request) {
        for (int i = 0; i < GENERATE_ATTEMPTS; i++) {
            String token = RegistrationTokens.generate(request.length());
            if (inserted(token, request)) {
                return token;
            }
        }
        throw MatrixException.invalidParam("No unused token of length " + request.length() + " found: ask for a longer one");
    }

    /** False if the token exists, even when another request inserted it at the same moment. */
    private boolean inserted(String token, RegistrationTokenRequests.Create request) {
        try {
            return tokens.createIfAbsent(token, request.usesAllowed(), request.expiryTime());
        } catch (RuntimeException e) {
            if (tokens.find(token).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    private RegistrationToken existing(String token) {
        return tokens.find(token).orElseThrow(RegistrationTokenAdmin::notFound);
    }

    // Unlike Synapse, the message does not repeat the token: it is a secret.
    private static MatrixException notFound() {
        return MatrixException.notFound("No such registration token");
    }
}
