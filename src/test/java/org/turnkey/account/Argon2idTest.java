package org.turnkey.account;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class Argon2idTest {

    // The reference implementation's test vector (phc-winner-argon2 src/test.c): Argon2id v=19,
    // m=65536, t=2, p=1, "password", "somesalt".
    private static final String REFERENCE = "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7";
    private static final byte[] PASSWORD = bytes("password");
    private static final byte[] SALT = bytes("somesalt");

    @Test
    void matchesTheReferenceVectorOnFreshAndOnReusedMemory() {
        Argon2id argon2 = new Argon2id(65536, 1, 2);
        for (int i = 0; i < 3; i++) {
            assertEquals(REFERENCE, HexFormat.of().formatHex(argon2.hash(PASSWORD, SALT, 65536, 2, 1, 32)), "hash " + i);
        }
    }

    @Test
    void reusedMemoryCarriesNothingIntoTheNextHash() {
        Argon2id argon2 = new Argon2id(1024, 1, 2);
        byte[] first = argon2.hash(bytes("one"), SALT, 1024, 2, 1, 32);
        byte[] other = argon2.hash(bytes("two"), SALT, 1024, 2, 1, 32);
        // Smaller and larger memories than the kept one, then the first input again.
        argon2.hash(bytes("two"), SALT, 512, 1, 1, 32);
        argon2.hash(bytes("two"), SALT, 4096, 1, 2, 32);
        assertEquals(HexFormat.of().formatHex(first), HexFormat.of().formatHex(argon2.hash(bytes("one"), SALT, 1024, 2, 1, 32)));
        assertNotEquals(HexFormat.of().formatHex(first), HexFormat.of().formatHex(other));
        assertEquals(HexFormat.of().formatHex(new Argon2id(1024, 1, 2).hash(bytes("two"), SALT, 1024, 2, 1, 32)),
                HexFormat.of().formatHex(other));
    }

    @Test
    void concurrentHashesNeverShareMemory() throws Exception {
        Argon2id argon2 = new Argon2id(2048, 1, 2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                byte[] password = bytes("password " + (i % 4));
                results.add(pool.submit(() -> HexFormat.of().formatHex(argon2.hash(password, SALT, 2048, 1, 1, 32))));
            }
            for (int i = 0; i < results.size(); i++) {
                String expected = HexFormat.of().formatHex(new Argon2id(2048, 1, 2).hash(bytes("password " + (i % 4)), SALT, 2048, 1, 1, 32));
                assertEquals(expected, results.get(i).get(), "hash " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
