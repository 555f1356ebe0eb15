package org.turnkey.uia;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import org.turnkey.support.MatrixClient;

import java.util.List;

/** Builders for user-interactive auth request bodies and checks of 401 bodies, for ITs. */
public final class Uia {

    private Uia() {
    }

    public static JsonObject password(String session, String user, String password) {
        JsonObjectBuilder auth = Json.createObjectBuilder()
                .add("type", "m.login.password")
                .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", user))
                .add("password", password);
        if (session != null) {
            auth.add("session", session);
        }
        return auth.build();
    }

    public static JsonObject body(JsonObject auth) {
        return Json.createObjectBuilder().add("auth", auth).build();
    }

    /** The stages of each flow in a 401 body. */
    public static List<List<String>> flows(MatrixClient.Reply reply) {
        return reply.json().getJsonArray("flows").stream()
                .map(f -> f.asJsonObject().getJsonArray("stages").stream()
                        .map(s -> ((JsonString) s).getString()).toList())
                .toList();
    }
}
