package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.device.Device;
import org.turnkey.token.IssuedTokens;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Synapse's v1 admin endpoints for one account ({@code /_synapse/admin/v1}), in Synapse's
 * request and response shapes, so that synadm's {@code user whois}, {@code user password},
 * {@code user login}, {@code user deactivate} and {@code version} work. Admins only: anyone else
 * gets 403 {@code M_FORBIDDEN} before any account is looked up.
 */
@ApplicationScoped
@Path("/_synapse/admin/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AdminAccountsResource {

    private static final String VERSION = version();

    @Inject
    AdminAccountActions actions;

    @Inject
    Requester requester;

    /**
     * GET /_synapse/admin/v1/whois/{userId} — every device of the account (admin-issued ones
     * too) with its one connection: the address, time and user agent of its last request, noted
     * as {@code turnkey.device.last-seen-interval} allows. A device never seen has none.
     */
    @GET
    @Path("/whois/{userId}")
    public JsonObject whois(@PathParam("userId") String userId) {
        AdminAccountActions.Whois whois = actions.whois(requester, userId);
        JsonObjectBuilder devices = Jsons.createObjectBuilder();
        for (Device device : whois.devices()) {
            JsonArrayBuilder connections = Jsons.createArrayBuilder();
            if (device.lastSeenTs() != null) {
                connections.add(Jsons.createObjectBuilder()
                        .add("ip", nullable(device.lastSeenIp()))
                        .add("last_seen", device.lastSeenTs())
                        .add("user_agent", nullable(device.lastSeenUserAgent())));
            }
            devices.add(device.deviceId(), Jsons.createObjectBuilder().add("sessions",
                    Jsons.createArrayBuilder().add(Jsons.createObjectBuilder().add("connections", connections))));
        }
        return Jsons.createObjectBuilder().add("user_id", whois.userId()).add("devices", devices).build();
    }

    /**
     * POST /_synapse/admin/v1/reset_password/{userId} — {@code new_password}, and
     * {@code logout_devices} (default true: every device but the calling admin's own is deleted).
     */
    @POST
    @Path("/reset_password/{userId}")
    public JsonObject resetPassword(@PathParam("userId") String userId, JsonObject body) {
        actions.resetPassword(requester, userId, JsonBody.of(body));
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /**
     * POST /_synapse/admin/v1/users/{userId}/login — an access token for the account, valid until
     * {@code valid_until_ms} (default 24 hours), on a device the user's device list does not
     * show; never for an admin account (403) or oneself (400).
     */
    @POST
    @Path("/users/{userId}/login")
    public JsonObject loginAs(@PathParam("userId") String userId, JsonObject body) {
        IssuedTokens issued = actions.loginAs(requester, userId, JsonBody.of(body));
        return Jsons.createObjectBuilder().add("access_token", issued.accessToken()).build();
    }

    /**
     * POST /_synapse/admin/v1/deactivate/{userId} — as the user's own deactivation: every device
     * and token goes and the user ID is never reused; {@code erase} is accepted.
     */
    @POST
    @Path("/deactivate/{userId}")
    public JsonObject deactivate(@PathParam("userId") String userId, JsonObject body) {
        actions.deactivate(requester, userId, JsonBody.of(body));
        return Jsons.createObjectBuilder().add("id_server_unbind_result", "success").build();
    }

    /** GET /_synapse/admin/v1/server_version — which server this is, for admins. */
    @GET
    @Path("/server_version")
    public JsonObject serverVersion() {
        actions.requireAdmin(requester);
        return Jsons.createObjectBuilder().add("server_version", "Turnkey " + VERSION).build();
    }

    private static JsonValue nullable(String value) {
        return value == null ? JsonValue.NULL : Jsons.createValue(value);
    }

    private static String version() {
        try (InputStream in = AdminAccountsResource.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
