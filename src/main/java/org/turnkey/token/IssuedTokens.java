package org.turnkey.token;

/**
 * What a client is told after login, registration or refresh; {@code scope} is the OAuth 2.0
 * scope of the session (null for legacy sessions).
 */
public record IssuedTokens(String userId, String deviceId, String accessToken, String refreshToken,
                           Long expiresInMs, String scope) {

    public IssuedTokens(String userId, String deviceId, String accessToken, String refreshToken, Long expiresInMs) {
        this(userId, deviceId, accessToken, refreshToken, expiresInMs, null);
    }
}
