package org.turnkey.token;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Token material. Tokens are 256 random bits from a CSPRNG, base64url, with a prefix that says
 * what they are; the database only ever sees their SHA-256. A successor pair is derived from the
 * presented refresh token and a random per-pair salt, so repeating a refresh returns the very
 * same tokens without storing them, and nobody holding only the database or only an old
 * refresh token can compute them.
 */
public final class Tokens {

    public static final String ACCESS_PREFIX = "tka_";
    public static final String REFRESH_PREFIX = "tkr_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    public static String newAccessToken() {
        return ACCESS_PREFIX + randomString(32);
    }

    public static String newRefreshToken() {
        return REFRESH_PREFIX + randomString(32);
    }

    public static String randomString(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return B64.encodeToString(raw);
    }

    /**
     * {@code length} characters drawn uniformly from {@code alphabet} with the same generator as
     * tokens: for identifiers a spec constrains to an alphabet (device IDs, registration tokens).
     */
    public static String randomChars(int length, String alphabet) {
        StringBuilder chars = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            chars.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return chars.toString();
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Constant-time comparison of two hashes or secrets. */
    public static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(
                a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    public static String successorAccessToken(String salt, String parentRefreshToken) {
        return ACCESS_PREFIX + derive(salt, "access", parentRefreshToken);
    }

    public static String successorRefreshToken(String salt, String parentRefreshToken) {
        return REFRESH_PREFIX + derive(salt, "refresh", parentRefreshToken);
    }

    private static String derive(String salt, String purpose, String parent) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return B64.encodeToString(mac.doFinal(parent.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every Java platform", e);
        }
    }
}
