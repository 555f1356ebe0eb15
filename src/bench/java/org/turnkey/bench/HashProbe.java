package org.turnkey.bench;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw password hashes with Keycloak's parameters, for the peer figure P3-peer
 * (docs/performance.md): the load generator runs it in a JVM of its own on the JDK Keycloak runs
 * on, so Keycloak's logins are compared with hashes by the same JDK. Keycloak 26 hashes with
 * BouncyCastle's Argon2 (its default outside FIPS mode) or the JDK's PBKDF2; this does the same.
 * Arguments: {@code ALGORITHM ITERATIONS MEMORY_KIB PARALLELISM HASH_BYTES THREADS WARMUP_S SECONDS},
 * ALGORITHM one of argon2id, argon2i, argon2d, pbkdf2-sha512, pbkdf2-sha256, pbkdf2 (SHA-1).
 * Prints one line: {@code hashes seconds cpu-seconds}.
 */
public final class HashProbe {

    private HashProbe() {
    }

    public static void main(String[] args) throws Exception {
        String algorithm = args[0];
        int iterations = Integer.parseInt(args[1]);
        int memoryKib = Integer.parseInt(args[2]);
        int parallelism = Integer.parseInt(args[3]);
        int hashBytes = Integer.parseInt(args[4]);
        int threads = Integer.parseInt(args[5]);
        long warmupNanos = (long) (Double.parseDouble(args[6]) * 1e9);
        long nanos = (long) (Double.parseDouble(args[7]) * 1e9);
        Hash hash = hasher(algorithm, iterations, memoryKib, parallelism, hashBytes);
        run(hash, threads, warmupNanos);
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        long n = run(hash, threads, nanos);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%d %.3f %.3f%n", n, seconds, (cpuNanos() - cpu0) / 1e9);
    }

    interface Hash {
        void hash(char[] password, byte[] salt) throws GeneralSecurityException;
    }

    static Hash hasher(String algorithm, int iterations, int memoryKib, int parallelism, int hashBytes) {
        if (algorithm.startsWith("argon2")) {
            int type = switch (algorithm) {
                case "argon2i" -> Argon2Parameters.ARGON2_i;
                case "argon2d" -> Argon2Parameters.ARGON2_d;
                default -> Argon2Parameters.ARGON2_id;
            };
            return (password, salt) -> {
                Argon2BytesGenerator generator = new Argon2BytesGenerator();
                generator.init(new Argon2Parameters.Builder(type).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                        .withSalt(salt).withIterations(iterations).withMemoryAsKB(memoryKib).withParallelism(parallelism).build());
                byte[] out = new byte[hashBytes];
                generator.generateBytes(password, out);
            };
        }
        String jdk = switch (algorithm) {
            case "pbkdf2-sha512" -> "PBKDF2WithHmacSHA512";
            case "pbkdf2-sha256" -> "PBKDF2WithHmacSHA256";
            case "pbkdf2" -> "PBKDF2WithHmacSHA1";
            default -> throw new IllegalArgumentException("Unknown algorithm " + algorithm);
        };
        return (password, salt) -> SecretKeyFactory.getInstance(jdk)
                .generateSecret(new PBEKeySpec(password, salt, iterations, hashBytes * 8)).getEncoded();
    }

    private static long run(Hash hash, int threads, long nanos) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long deadline = System.nanoTime() + nanos;
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                char[] password = "bench-password".toCharArray();
                byte[] salt = new byte[16];
                try {
                    while (System.nanoTime() < deadline) {
                        ThreadLocalRandom.current().nextBytes(salt);
                        hash.hash(password, salt);
                        done.incrementAndGet();
                    }
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            all.add(t);
        }
        for (Thread t : all) {
            t.join();
        }
        return done.get();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
