package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.registration.RegistrationToken;

/**
 * Synapse's registration token admin API ({@code /_synapse/admin/v1/registration_tokens}), for
 * the tokens of spec "Token-authenticated registration". Every endpoint needs an admin's access
 * token; anyone else gets 403 {@code M_FORBIDDEN}.
 * <p>
 * A token object has {@code token}, {@code uses_allowed} (null: unlimited), {@code pending},
 * {@code completed} and {@code expiry_time} (ms since the epoch, null: never). {@code pending}
 * is always 0: Turnkey counts a use only when the {@code m.login.registration_token} stage
 * succeeds, with no reservation before.
 * <p>
 * One deviation from Synapse: tokens are stored only as their SHA-256, so the <em>list</em>
 * cannot show their values. Each of its entries has {@code token_sha256} (the lower-case hex
 * SHA-256 of the token's UTF-8 bytes) instead of {@code token}. Create, get and update answer
 * with {@code token}, which the caller sent or which was just generated. Tokens from
 * {@code turnkey.registration.tokens} are listed and managed like any other.
 */
@ApplicationScoped
@Path("/_synapse/admin/v1/registration_tokens")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AdminRegistrationTokensResource {

    @Inject
    RegistrationTokenAdmin tokens;

    @Inject
    Requester requester;

    /**
     * GET /_synapse/admin/v1/registration_tokens — every token, oldest first; {@code valid=true}
     * only those with uses left and not expired, {@code valid=false} only the others.
     */
    @GET
    public JsonObject list(@QueryParam("valid") String valid) {
        JsonArrayBuilder list = Jsons.createArrayBuilder();
        tokens.list(requester, valid).forEach(row -> list.add(token("token_sha256", row.tokenHash(), row)));
        return Jsons.createObjectBuilder().add("registration_tokens", list).build();
    }

    /** GET /_synapse/admin/v1/registration_tokens/{token} — one token; 404 {@code M_NOT_FOUND} if unknown. */
    @GET
    @Path("/{token}")
    public JsonObject get(@PathParam("token") String token) {
        return token(tokens.get(requester, token));
    }

    /**
     * POST /_synapse/admin/v1/registration_tokens/new — creates {@code token} (1 to 64 of
     * {@code A-Z a-z 0-9 . _ ~ -}; an existing one is 400 {@code M_INVALID_PARAM}) or, without
     * it, a random one of {@code length} characters (default 16); {@code uses_allowed} and
     * {@code expiry_time} (not in the past) default to null. Declared on the template so that a
     * token named {@code new} keeps its GET, PUT and DELETE.
     */
    @POST
    @Path("/{token}")
    public JsonObject create(@PathParam("token") String path, JsonObject body) {
        if (!path.equals("new")) {
            throw MatrixException.unrecognized(405, "Method not allowed for this endpoint");
        }
        return token(tokens.create(requester, JsonBody.of(body)));
    }

    /**
     * PUT /_synapse/admin/v1/registration_tokens/{token} — sets {@code uses_allowed} and/or
     * {@code expiry_time} (absent: unchanged, null: unlimited); answers the updated token.
     */
    @PUT
    @Path("/{token}")
    public JsonObject update(@PathParam("token") String token, JsonObject body) {
        return token(tokens.update(requester, token, JsonBody.of(body)));
    }

    /** DELETE /_synapse/admin/v1/registration_tokens/{token} — {@code {}}; 404 {@code M_NOT_FOUND} if unknown. */
    @DELETE
    @Path("/{token}")
    public JsonObject delete(@PathParam("token") String token) {
        tokens.delete(requester, token);
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    private static JsonObject token(RegistrationTokenAdmin.Shown shown) {
        return token("token", shown.token(), shown.row());
    }

    private static JsonObject token(String key, String value, RegistrationToken row) {
        return Jsons.createObjectBuilder()
                .add(key, value)
                .add("uses_allowed", row.usesAllowed() == null ? JsonValue.NULL : Jsons.createValue(row.usesAllowed()))
                .add("pending", 0)
                .add("completed", row.completed())
                .add("expiry_time", row.expiryTs() == null ? JsonValue.NULL : Jsons.createValue(row.expiryTs()))
                .build();
    }
}
