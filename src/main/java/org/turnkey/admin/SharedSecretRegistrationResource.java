package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.token.IssuedTokens;

/**
 * Synapse's {@code /_synapse/admin/v1/register}: shared-secret registration, the way to create
 * the first admin. 400 while {@code turnkey.registration.shared-secret} is unset.
 */
@ApplicationScoped
@Path("/_synapse/admin/v1/register")
@Produces(MediaType.APPLICATION_JSON)
public class SharedSecretRegistrationResource {

    @Inject
    SharedSecretRegistration registration;

    @Inject
    TurnkeyConfig config;

    /** GET /_synapse/admin/v1/register — a single-use nonce, valid for 60 seconds. */
    @GET
    public JsonObject nonce() {
        return Jsons.createObjectBuilder().add("nonce", registration.nonce()).build();
    }

    /**
     * POST /_synapse/admin/v1/register — with {@code nonce}, {@code username}, {@code password},
     * {@code admin} and {@code mac} (hex HMAC-SHA1 of {@code nonce\0username\0password\0admin|notadmin}):
     * creates the account, admin if asked, signs it in on a new device. Unknown or stale nonce
     * 400; wrong MAC 403 {@code M_FORBIDDEN}; name taken 400 {@code M_USER_IN_USE}.
     */
    @POST
    public JsonObject register(JsonObject body) {
        IssuedTokens tokens = registration.register(JsonBody.of(body));
        return Jsons.createObjectBuilder()
                .add("user_id", tokens.userId())
                .add("access_token", tokens.accessToken())
                .add("device_id", tokens.deviceId())
                .add("home_server", config.serverName())
                .build();
    }
}
