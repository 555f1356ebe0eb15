package org.turnkey.admin;

import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.registration.RegistrationToken;
import org.turnkey.registration.RegistrationTokens;

import java.util.Optional;

/**
 * The request bodies of the registration token admin API, checked as Synapse checks them: a
 * value out of range is 400 {@code M_INVALID_PARAM}; a value of the wrong JSON type is 400
 * {@code M_BAD_JSON}, as everywhere in Turnkey ({@link JsonBody}). Unknown fields are ignored.
 */
final class RegistrationTokenRequests {

    static final int DEFAULT_LENGTH = 16;

    /** POST .../new; {@code token} is empty when one of {@code length} characters is to be generated. */
    record Create(Optional<String> token, int length, Integer usesAllowed, Long expiryTime) {
    }

    /** PUT .../{token}: a field changes only if it was sent; a null value means unlimited. */
    record Update(boolean usesAllowedSent, Integer usesAllowed, boolean expiryTimeSent, Long expiryTime) {

        void applyTo(RegistrationToken row) {
            if (usesAllowedSent) {
                row.usesAllowed(usesAllowed);
            }
            if (expiryTimeSent) {
                row.expiryTs(expiryTime);
            }
        }
    }

    private RegistrationTokenRequests() {
    }

    /** {@code now}: ms since the epoch; an {@code expiry_time} before it is refused. */
    static Create create(JsonBody body, long now) {
        Optional<String> token = body.optionalString("token");
        int length = DEFAULT_LENGTH;
        if (token.isPresent()) {
            if (token.get().isEmpty() || token.get().length() > RegistrationTokens.MAX_LENGTH) {
                throw MatrixException.invalidParam("token must not be empty and must not be longer than 64 characters");
            }
            if (!RegistrationTokens.wellFormed(token.get())) {
                throw MatrixException.invalidParam("token must consist only of characters A-Z a-z 0-9 . _ ~ -");
            }
        } else {
            // As in Synapse, length only matters when the token is generated.
            long requested = body.optionalLong("length").orElse((long) DEFAULT_LENGTH);
            if (requested < 1 || requested > RegistrationTokens.MAX_LENGTH) {
                throw MatrixException.invalidParam("length must be greater than zero and not greater than 64");
            }
            length = (int) requested;
        }
        return new Create(token, length, usesAllowed(body), expiryTime(body, now));
    }

    static Update update(JsonBody body, long now) {
        return new Update(body.json().containsKey("uses_allowed"), usesAllowed(body),
                body.json().containsKey("expiry_time"), expiryTime(body, now));
    }

    private static Integer usesAllowed(JsonBody body) {
        Optional<Long> uses = body.optionalLong("uses_allowed");
        if (uses.isPresent() && (uses.get() < 0 || uses.get() > Integer.MAX_VALUE)) {
            throw MatrixException.invalidParam("uses_allowed must be a non-negative integer or null");
        }
        return uses.map(Long::intValue).orElse(null);
    }

    private static Long expiryTime(JsonBody body, long now) {
        Optional<Long> expiry = body.optionalLong("expiry_time");
        if (expiry.isPresent() && expiry.get() < now) {
            throw MatrixException.invalidParam("expiry_time must not be in the past");
        }
        return expiry.orElse(null);
    }
}
