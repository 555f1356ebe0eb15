package org.turnkey.token;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.turnkey.api.Jsons;

/** The JSON shapes of issued tokens for login, registration and refresh. */
public final class TokenResponses {

    private TokenResponses() {
    }

    public static JsonObject login(IssuedTokens tokens) {
        JsonObjectBuilder body = Jsons.createObjectBuilder()
                .add("user_id", tokens.userId())
                .add("access_token", tokens.accessToken())
                .add("device_id", tokens.deviceId());
        addRefresh(body, tokens);
        return body.build();
    }

    public static JsonObject refresh(IssuedTokens tokens) {
        JsonObjectBuilder body = Jsons.createObjectBuilder().add("access_token", tokens.accessToken());
        addRefresh(body, tokens);
        return body.build();
    }

    private static void addRefresh(JsonObjectBuilder body, IssuedTokens tokens) {
        if (tokens.refreshToken() != null) {
            body.add("refresh_token", tokens.refreshToken());
        }
        if (tokens.expiresInMs() != null) {
            body.add("expires_in_ms", tokens.expiresInMs());
        }
    }
}
