package org.turnkey.token;

/** What a client is told after login, registration or refresh. */
public record IssuedTokens(String userId, String deviceId, String accessToken, String refreshToken,
                           Long expiresInMs) {
}
