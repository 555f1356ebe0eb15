package org.turnkey.oauth.code;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * PKCE with S256 only (RFC 7636; the spec: "Support PKCE using the S256 code challenge method").
 * {@code plain} is refused: it protects nothing once the authorisation request is seen.
 */
public final class Pkce {

    /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    /** BASE64URL(SHA-256(verifier)) without padding is always 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Pkce() {
    }

    public static boolean validChallenge(String challenge) {
        return challenge != null && CHALLENGE.matcher(challenge).matches();
    }

    public static boolean validVerifier(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    /** RFC 7636 section 4.6, compared in constant time. */
    public static boolean matches(String verifier, String challenge) {
        if (!validVerifier(verifier) || !validChallenge(challenge)) {
            return false;
        }
        return MessageDigest.isEqual(challengeOf(verifier).getBytes(StandardCharsets.US_ASCII),
                challenge.getBytes(StandardCharsets.US_ASCII));
    }

    public static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
