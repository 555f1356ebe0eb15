package org.turnkey.account;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.turnkey.config.TurnkeyConfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashes stored as PHC strings ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}),
 * so parameters can be raised later while old hashes keep verifying. Defaults are OWASP's
 * minimum (19 MiB, 2 iterations, 1 lane); {@code turnkey.password.argon2.*} raises them and
 * bounds how many hashes run at once.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    @Inject
    TurnkeyConfig config;

    private int memoryKib;
    private int iterations;
    private int parallelism;
    private Argon2id argon2;
    private String dummyHash;

    protected PasswordHasher() {
    }

    public PasswordHasher(int memoryKib, int iterations, int parallelism, int concurrency) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.argon2 = new Argon2id(memoryKib, parallelism, concurrency);
        this.dummyHash = hash("not a password of anyone");
    }

    @PostConstruct
    void init() {
        memoryKib = config.argon2MemoryKib();
        iterations = config.argon2Iterations();
        parallelism = config.argon2Parallelism();
        argon2 = new Argon2id(memoryKib, parallelism, config.argon2Concurrency());
        dummyHash = hash("not a password of anyone");
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2.hash(password.getBytes(StandardCharsets.UTF_8), salt, memoryKib, iterations, parallelism, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Constant-time check against a PHC string; a malformed or absent hash never matches. */
    public boolean verify(String password, String phc) {
        Phc stored = Phc.parse(phc);
        if (stored == null) {
            return false;
        }
        byte[] actual = argon2.hash(password.getBytes(StandardCharsets.UTF_8), stored.salt(),
                stored.memoryKib(), stored.iterations(), stored.parallelism(), stored.hash().length);
        return MessageDigest.isEqual(stored.hash(), actual);
    }

    /** Spends the same work as a real check, for unknown users: no timing oracle for user names. */
    public void verifyDummy(String password) {
        verify(password, dummyHash);
    }

    /**
     * Whether a stored hash should be replaced by one with the configured parameters: when any of
     * its memory, iterations or lanes is below the configured value (or it is not an Argon2id
     * hash at all). A hash stronger than the configuration is kept, so lowering the parameters
     * never weakens existing hashes.
     */
    public boolean needsRehash(String phc) {
        Phc stored = Phc.parse(phc);
        return stored == null || stored.memoryKib() < memoryKib || stored.iterations() < iterations
                || stored.parallelism() < parallelism;
    }

    /** The parts of {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}. */
    private record Phc(int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

        /** The parsed string, or null when it is absent or malformed. */
        static Phc parse(String phc) {
            if (phc == null) {
                return null;
            }
            String[] parts = phc.split("\\$");
            if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
                return null;
            }
            int m = 0;
            int t = 0;
            int p = 0;
            for (String param : parts[3].split(",")) {
                String[] kv = param.split("=", 2);
                if (kv.length != 2) {
                    return null;
                }
                int value;
                try {
                    value = Integer.parseInt(kv[1]);
                } catch (NumberFormatException e) {
                    return null;
                }
                switch (kv[0]) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> {
                        return null;
                    }
                }
            }
            if (m <= 0 || t <= 0 || p <= 0) {
                return null;
            }
            try {
                return new Phc(m, t, p, B64D.decode(parts[4]), B64D.decode(parts[5]));
            } catch (IllegalArgumentException notBase64) {
                return null;
            }
        }
    }
}
