package org.turnkey.admin;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Synapse's shared-secret registration MAC: hex HMAC-SHA1, keyed with the shared secret, over
 * {@code nonce \0 username \0 password \0 admin|notadmin}, exactly as
 * {@code register_new_matrix_user} computes it.
 */
public final class SharedSecretMac {

    private SharedSecretMac() {
    }

    public static String compute(String secret, String nonce, String username, String password, boolean admin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            String message = nonce + '\0' + username + '\0' + password + '\0' + (admin ? "admin" : "notadmin");
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every Java runtime", e);
        }
    }

    /** Constant-time comparison of the presented hex MAC with the expected one. */
    public static boolean matches(String secret, String nonce, String username, String password, boolean admin,
                                  String presentedMac) {
        byte[] expected = compute(secret, nonce, username, password, admin).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presentedMac.getBytes(StandardCharsets.UTF_8));
    }
}
