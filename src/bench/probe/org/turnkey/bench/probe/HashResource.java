package org.turnkey.bench.probe;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.turnkey.account.Argon2id;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code POST /hash-probe/hash?m=&t=&p=}: one Argon2id hash with Turnkey's own class. How fast a
 * JVM hashes varied by a quarter from JVM to JVM on the benchmark's machine (README, P3), which
 * decided P3 while the raw side ran in the load generator's JVM.
 */
@Path("hash")
public class HashResource {

    /** As Turnkey keeps one: memory reused, at most one hash per core at a time. */
    private static final Argon2id HASHER = new Argon2id(19456, 1, Runtime.getRuntime().availableProcessors());
    private static final byte[] SECRET = "bench-probe-password".getBytes(StandardCharsets.UTF_8);

    @POST
    public String hash(@QueryParam("m") int memoryKib, @QueryParam("t") int iterations, @QueryParam("p") int parallelism) {
        byte[] salt = new byte[16];
        ThreadLocalRandom.current().nextBytes(salt);
        HASHER.hash(SECRET, salt, memoryKib, iterations, parallelism, 32);
        return "{}";
    }
}
