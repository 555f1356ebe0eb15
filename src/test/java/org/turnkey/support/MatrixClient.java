package org.turnkey.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal Matrix client for tests: raw HTTP, JSON in and out, nothing hidden. */
public class MatrixClient {

    /**
     * HTTP/1.1, as Matrix clients speak to a server: over h2c (the JDK's default upgrade) the
     * listener's 5 s idle timeout would end a connection whose request takes longer (docs/http.md).
     */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final String base;

    public MatrixClient(URL base) {
        String url = base.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String base() {
        return base;
    }

    public record Reply(int status, String raw, JsonObject json, HttpResponse<String> response) {
        public String string(String field) {
            return json.getString(field);
        }

        public String errcode() {
            return json.getString("errcode", null);
        }

        public boolean softLogout() {
            return json.getBoolean("soft_logout", false);
        }

        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    public Reply get(String path) {
        return send(request(path, null).GET());
    }

    public Reply get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Reply post(String path, JsonObject body) {
        return post(path, body, null);
    }

    public Reply post(String path, JsonObject body, String token) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public Reply postRaw(String path, byte[] body, String contentType) {
        return send(request(path, null).setHeader("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    public Reply put(String path, JsonObject body, String token) {
        return send(request(path, token).PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    public Reply delete(String path, JsonObject body, String token) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString());
        return send(request(path, token).method("DELETE", publisher));
    }

    public Reply method(String method, String path) {
        return send(request(path, null).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), parse(response.body()), response);
        } catch (IOException e) {
            throw new IllegalStateException("Request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject parse(String body) {
        if (body == null || body.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            return Json.createObjectBuilder().add("_not_json", body).build();
        }
    }

    // ---- Matrix conveniences ----

    /** Registers {@code username} with a dummy-auth session, the way a client completes UIA. */
    public Reply register(String username, String password, JsonObject extra) {
        var first = Json.createObjectBuilder().add("username", username).add("password", password);
        extra.forEach(first::add);
        Reply challenge = post("/_matrix/client/v3/register", first.build());
        if (challenge.status() != 401) {
            return challenge;
        }
        var second = Json.createObjectBuilder().add("username", username).add("password", password)
                .add("auth", Json.createObjectBuilder().add("type", "m.login.dummy")
                        .add("session", challenge.string("session")));
        extra.forEach(second::add);
        return post("/_matrix/client/v3/register", second.build());
    }

    public Reply register(String username, String password) {
        return register(username, password, JsonValue.EMPTY_JSON_OBJECT);
    }

    /** A signed-in device: what a login answered. */
    public record Session(String userId, String deviceId, String accessToken, String refreshToken) {
    }

    /** A fresh account (registered without a device) signed in once with a refresh token. */
    public Session newSession(String prefix, String password) {
        String name = unique(prefix);
        Reply registered = register(name, password, Json.createObjectBuilder().add("inhibit_login", true).build());
        org.junit.jupiter.api.Assertions.assertEquals(200, registered.status(), registered.toString());
        return signIn(registered.string("user_id"), password);
    }

    /** A password login with {@code refresh_token: true}; fails the test unless it succeeds. */
    public Session signIn(String userId, String password) {
        Reply login = login(userId, password, withRefresh());
        org.junit.jupiter.api.Assertions.assertEquals(200, login.status(), login.toString());
        return new Session(login.string("user_id"), login.string("device_id"), login.string("access_token"),
                login.string("refresh_token"));
    }

    /** Registers a fresh account named {@code prefix...} and returns its localpart; fails the test otherwise. */
    public String registered(String prefix, String password) {
        String name = unique(prefix);
        Reply reply = register(name, password);
        org.junit.jupiter.api.Assertions.assertEquals(200, reply.status(), reply.toString());
        return name;
    }

    public Reply login(String user, String password, JsonObject extra) {
        var body = Json.createObjectBuilder()
                .add("type", "m.login.password")
                .add("identifier", Json.createObjectBuilder().add("type", "m.id.user").add("user", user))
                .add("password", password);
        extra.forEach(body::add);
        return post("/_matrix/client/v3/login", body.build());
    }

    public Reply login(String user, String password) {
        return login(user, password, JsonValue.EMPTY_JSON_OBJECT);
    }

    /** A password login on {@code deviceId} with {@code refresh_token: true}. */
    public Reply loginRefreshable(String user, String password, String deviceId) {
        return login(user, password, Json.createObjectBuilder()
                .add("refresh_token", true).add("device_id", deviceId).build());
    }

    public Reply whoami(String token) {
        return get("/_matrix/client/v3/account/whoami", token);
    }

    public Reply refresh(String refreshToken) {
        return post("/_matrix/client/v3/refresh", Json.createObjectBuilder().add("refresh_token", refreshToken).build());
    }

    public static JsonObject withRefresh() {
        return Json.createObjectBuilder().add("refresh_token", true).build();
    }

    public static String unique(String prefix) {
        return prefix + Long.toString(System.nanoTime(), 36);
    }
}
