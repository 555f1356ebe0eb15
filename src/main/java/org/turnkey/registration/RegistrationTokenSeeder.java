package org.turnkey.registration;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Operator-created registration tokens from {@code turnkey.registration.tokens}: a comma-separated
 * list of {@code TOKEN[;uses=N][;expires=ISO-8601 instant]}, for example
 * {@code abc123;uses=10,vip;expires=2030-01-01T00:00:00Z}. Each token is added at startup if it
 * does not exist yet (an existing one keeps its use count). A malformed list fails deployment.
 * Admins manage the same tokens at run time with {@code org.turnkey.admin.AdminRegistrationTokensResource}.
 */
@ApplicationScoped
public class RegistrationTokenSeeder {

    private static final Logger LOG = Logger.getLogger(RegistrationTokenSeeder.class.getName());
    static final String KEY = "turnkey.registration.tokens";

    record Seed(String token, Integer uses, Long expiryTs) {
    }

    @Inject
    RegistrationTokens tokens;

    void seed(@Observes @Priority(10) @Initialized(ApplicationScoped.class) Object started, TurnkeyConfig config) {
        List<Seed> seeds = parse(config.raw(KEY).orElse(""));
        int created = 0;
        for (Seed seed : seeds) {
            try {
                if (tokens.createIfAbsent(seed.token(), seed.uses(), seed.expiryTs())) {
                    created++;
                }
            } catch (RuntimeException e) {
                // Another instance inserted it at the same moment: it exists, which is all we need.
                LOG.fine("A configured registration token was inserted concurrently by another instance");
            }
        }
        if (!seeds.isEmpty()) {
            LOG.info(seeds.size() + " configured registration tokens, " + created + " new");
        }
    }

    static List<Seed> parse(String value) {
        List<Seed> seeds = new ArrayList<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(";");
            String token = parts[0].trim();
            if (!RegistrationTokens.wellFormed(token)) {
                throw invalid("a token of 1 to 64 characters A-Z a-z 0-9 . _ ~ -");
            }
            Integer uses = null;
            Long expires = null;
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].trim().split("=", 2);
                try {
                    switch (kv.length == 2 ? kv[0].trim() : "") {
                        case "uses" -> {
                            uses = Integer.parseInt(kv[1].trim());
                            if (uses < 0) {
                                throw new NumberFormatException();
                            }
                        }
                        case "expires" -> expires = Instant.parse(kv[1].trim()).toEpochMilli();
                        default -> throw invalid("uses=N or expires=ISO-8601 instant after ';'");
                    }
                } catch (NumberFormatException | DateTimeParseException e) {
                    throw invalid("uses=N (N >= 0) or expires=ISO-8601 instant such as 2030-01-01T00:00:00Z");
                }
            }
            seeds.add(new Seed(token, uses, expires));
        }
        return seeds;
    }

    // Never echoes the value: it holds secrets.
    private static IllegalStateException invalid(String expected) {
        return new IllegalStateException("Invalid configuration " + KEY + ": expected " + expected);
    }
}
