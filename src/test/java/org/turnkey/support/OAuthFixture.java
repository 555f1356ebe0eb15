package org.turnkey.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.turnkey.oauth.code.Pkce;
import org.turnkey.support.MatrixClient.Reply;
import org.turnkey.token.Tokens;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client side of the OAuth 2.0 JSON endpoints for ITs: client registration, token requests,
 * revocation, and authorisation codes.
 * <p>
 * Codes are not obtained through the browser here: {@link #code} inserts the {@code oauth_codes}
 * row the authorisation endpoint writes after sign-in and consent (hash via
 * {@link Tokens#hash}, S256 challenge of a fresh verifier) straight into the deployment's
 * database, so the token endpoint can be tested on its own. The browser step itself, and the
 * whole flow from authorisation request to tokens, is covered end to end by the browser IT.
 */
public final class OAuthFixture {

    public static final String REGISTER = "/_turnkey/oauth2/register";
    public static final String TOKEN = "/_turnkey/oauth2/token";
    public static final String REVOKE = "/_turnkey/oauth2/revoke";
    public static final String REDIRECT = "https://app.example.com/callback";
    public static final String FORM = "application/x-www-form-urlencoded";

    /** A code as the client holds it after the redirect, with its PKCE verifier. */
    public record Code(String code, String verifier, String redirectUri) {
    }

    private final MatrixClient client;
    private final String deployment;

    public OAuthFixture(MatrixClient client, String deployment) {
        this.client = client;
        this.deployment = deployment;
    }

    public Reply register(JsonObject metadata) {
        return client.postRaw(REGISTER, metadata.toString().getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** Registers a web client with {@link #REDIRECT} and answers its client_id. */
    /**
     * An authorisation request with {@code prompt=create} from a newly registered client named
     * {@code clientName}: the browser lands on the registration page, which is answered.
     */
    public PageBrowser.Page registrationPage(PageBrowser browser, String clientName, String deviceId) {
        java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", registerClient(clientName));
        p.put("redirect_uri", REDIRECT);
        p.put("scope", scope(deviceId));
        p.put("state", "st");
        p.put("code_challenge", Pkce.challengeOf("verifier-".repeat(6)));
        p.put("code_challenge_method", "S256");
        p.put("prompt", "create");
        PageBrowser.Page redirect = browser.get("_turnkey/oauth2/authorize?" + PageBrowser.encode(p));
        assertEquals(303, redirect.status(), redirect.toString());
        org.junit.jupiter.api.Assertions.assertTrue(redirect.location().startsWith("/_turnkey/register?"),
                redirect.location());
        PageBrowser.Page page = browser.get(redirect.location());
        assertEquals(200, page.status(), page.toString());
        return page;
    }

    public String registerClient(String name) {
        Reply reply = register(Json.createObjectBuilder().add("client_name", name)
                .add("client_uri", "https://example.com/")
                .add("redirect_uris", Json.createArrayBuilder().add(REDIRECT))
                .add("token_endpoint_auth_method", "none")
                .add("grant_types", Json.createArrayBuilder().add("authorization_code").add("refresh_token"))
                .build());
        assertEquals(201, reply.status(), reply.toString());
        return reply.string("client_id");
    }

    public static String scope(String deviceId) {
        return "urn:matrix:client:api:* urn:matrix:client:device:" + deviceId;
    }

    public static String unstableScope(String deviceId) {
        return "urn:matrix:org.matrix.msc2967.client:api:* urn:matrix:org.matrix.msc2967.client:device:" + deviceId;
    }

    /** A code for {@link #REDIRECT}, valid for two minutes. */
    public Code code(String clientId, String userId, String scope) {
        return code(clientId, userId, scope, REDIRECT, 120_000);
    }

    /** Writes the row the authorisation endpoint writes; {@code validForMs} may be negative (expired). */
    public Code code(String clientId, String userId, String scope, String redirectUri, long validForMs) {
        String code = "tkc_" + Tokens.randomString(32);
        String verifier = Tokens.randomString(48);
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(Deployments.jdbcUrl(deployment), "turnkey", "turnkey");
             PreparedStatement insert = c.prepareStatement("INSERT INTO oauth_codes (code_hash, client_id, user_id,"
                     + " scope, redirect_uri, code_challenge, created_ts, expires_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, Tokens.hash(code));
            insert.setString(2, clientId);
            insert.setString(3, userId);
            insert.setString(4, scope);
            insert.setString(5, redirectUri);
            insert.setString(6, Pkce.challengeOf(verifier));
            insert.setLong(7, now);
            insert.setLong(8, now + validForMs);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Code(code, verifier, redirectUri);
    }

    /** Runs one statement against the deployment's database (lock or deactivate an account). */
    public void sql(String sql, Object... params) {
        try (Connection c = DriverManager.getConnection(Deployments.jdbcUrl(deployment), "turnkey", "turnkey");
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** POSTs {@code name, value, ...} form-encoded. */
    public Reply form(String path, String... pairs) {
        StringJoiner body = new StringJoiner("&");
        for (int i = 0; i < pairs.length; i += 2) {
            body.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return client.postRaw(path, body.toString().getBytes(StandardCharsets.UTF_8), FORM);
    }

    public Reply exchange(String clientId, Code code) {
        return form(TOKEN, "grant_type", "authorization_code", "code", code.code(), "redirect_uri", code.redirectUri(),
                "client_id", clientId, "code_verifier", code.verifier());
    }

    /** Exchanges a code and asserts the 200. */
    public Reply login(String clientId, String userId, String deviceId) {
        Reply reply = exchange(clientId, code(clientId, userId, scope(deviceId)));
        assertEquals(200, reply.status(), reply.toString());
        return reply;
    }

    public Reply refresh(String clientId, String refreshToken) {
        return form(TOKEN, "grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId);
    }

    public Reply revoke(String... pairs) {
        return form(REVOKE, pairs);
    }
}
