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
        if (phc == null) {
            return false;
        }
        String[] parts = phc.split("\\$");
        if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
            return false;
        }
        int m = 0;
        int t = 0;
        int p = 0;
        for (String param : parts[3].split(",")) {
            String[] kv = param.split("=", 2);
            if (kv.length != 2) {
                return false;
            }
            int value;
            try {
                value = Integer.parseInt(kv[1]);
            } catch (NumberFormatException e) {
                return false;
            }
            switch (kv[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> {
                    return false;
                }
            }
        }
        if (m <= 0 || t <= 0 || p <= 0) {
            return false;
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = argon2.hash(password.getBytes(StandardCharsets.UTF_8), salt, m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the same work as a real check, for unknown users: no timing oracle for user names. */
    public void verifyDummy(String password) {
        verify(password, dummyHash);
    }

    /** Whether a stored hash uses weaker parameters than the configured ones. */
    public boolean needsRehash(String phc) {
        return phc == null || !phc.startsWith("$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$");
    }
}
