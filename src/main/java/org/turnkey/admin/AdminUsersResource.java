package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.json.JsonArray;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.turnkey.account.User;
import org.turnkey.api.Jsons;
import org.turnkey.email.Threepids;
import org.turnkey.api.JsonBody;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.device.Device;

import java.util.List;

/**
 * Synapse's user admin API ({@code /_synapse/admin/v2/users}), so existing admin tools work.
 * Every endpoint needs an admin's access token; anyone else gets 403 {@code M_FORBIDDEN}
 * before any user is looked up.
 */
@ApplicationScoped
@Path("/_synapse/admin/v2/users")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AdminUsersResource {

    @Inject
    AdminService admin;

    @Inject
    Requester requester;

    @Inject
    Threepids threepids;

    /**
     * GET /_synapse/admin/v2/users — a page of accounts ordered by {@code order_by}
     * ({@code name} or {@code creation_ts}) and {@code dir} ({@code f}/{@code b}); filters
     * {@code name} (localpart substring), {@code admins}; deactivated and locked accounts only
     * with {@code deactivated=true} / {@code locked=true}. {@code next_token} is the {@code from}
     * of the next page, absent on the last one; {@code total} counts every match. Each entry has
     * the fields of Synapse's list, which leaves out {@code threepids} and {@code external_ids}
     * (those are in {@code GET /users/{userId}}).
     */
    @GET
    public JsonObject list(@QueryParam("from") String from, @QueryParam("limit") String limit,
                           @QueryParam("name") String name, @QueryParam("admins") String admins,
                           @QueryParam("deactivated") String deactivated, @QueryParam("locked") String locked,
                           @QueryParam("order_by") String orderBy, @QueryParam("dir") String dir) {
        AdminUserSearch.Page page = admin.list(requester, new AdminUserSearch.Params(from, limit, name, admins,
                deactivated, locked, orderBy, dir));
        JsonArrayBuilder users = Jsons.createArrayBuilder();
        page.users().forEach(u -> users.add(listed(u)));
        JsonObjectBuilder body = Jsons.createObjectBuilder().add("users", users).add("total", page.total());
        page.nextToken().ifPresent(next -> body.add("next_token", Long.toString(next)));
        return body.build();
    }

    /** GET /_synapse/admin/v2/users/{userId} — one account; 404 {@code M_NOT_FOUND} if there is none. */
    @GET
    @Path("/{userId}")
    public JsonObject get(@PathParam("userId") String userId) {
        User user = admin.get(requester, userId);
        return user(user, threepids.json(user.userId()));
    }

    /**
     * PUT /_synapse/admin/v2/users/{userId} — creates the account (201) or changes it (200):
     * {@code password} (with {@code logout_devices}, default true, deleting every device but
     * the calling admin's own), {@code admin}, {@code locked} (tokens kept, effective at once),
     * {@code deactivated} (as the user's own deactivation: deletes every device and login token;
     * reactivating needs a {@code password}).
     * {@code threepids} (Synapse's list of {@code medium}/{@code address}; email only) replaces the
     * account's addresses, which count as validated; an address of another account is 400
     * {@code M_THREEPID_IN_USE}.
     * {@code displayname} and {@code avatar_url} are accepted and not stored: profiles are not
     * Turnkey's.
     */
    @PUT
    @Path("/{userId}")
    public Response put(@PathParam("userId") String userId, JsonObject body) {
        AdminService.Saved saved = admin.put(requester, userId, JsonBody.of(body));
        return Response.status(saved.created() ? 201 : 200)
                .entity(user(saved.user(), threepids.json(saved.user().userId()))).build();
    }

    /** GET /_synapse/admin/v2/users/{userId}/devices — the account's devices and their count. */
    @GET
    @Path("/{userId}/devices")
    public JsonObject devices(@PathParam("userId") String userId) {
        JsonArrayBuilder devices = Jsons.createArrayBuilder();
        var list = admin.devices(requester, userId);
        list.forEach(d -> devices.add(device(d)));
        return Jsons.createObjectBuilder().add("devices", devices).add("total", list.size()).build();
    }

    /**
     * GET /_synapse/admin/v2/users/{userId}/devices/{deviceId} — one device, as in the list;
     * 404 {@code M_NOT_FOUND} if the user has no such device.
     */
    @GET
    @Path("/{userId}/devices/{deviceId}")
    public JsonObject device(@PathParam("userId") String userId, @PathParam("deviceId") String deviceId) {
        return device(admin.device(requester, userId, deviceId));
    }

    /**
     * DELETE /_synapse/admin/v2/users/{userId}/devices/{deviceId} — deletes the device and with
     * it its tokens (their clients get 401 without {@code soft_logout}); an unknown device is
     * not an error, as in Synapse.
     */
    @DELETE
    @Path("/{userId}/devices/{deviceId}")
    public JsonObject deleteDevice(@PathParam("userId") String userId, @PathParam("deviceId") String deviceId) {
        admin.deleteDevice(requester, userId, deviceId);
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /** One account as {@code GET /users/{userId}} shows it, with its addresses. */
    static JsonObject user(User user, JsonArray threepids) {
        return Jsons.createObjectBuilder(listed(user))
                .add("threepids", threepids)
                .add("external_ids", JsonValue.EMPTY_JSON_ARRAY)
                .build();
    }

    /** One entry of the list: Synapse's list fields, without {@code threepids} and {@code external_ids}. */
    static JsonObject listed(User user) {
        return Jsons.createObjectBuilder()
                .add("name", user.userId())
                .add("displayname", JsonValue.NULL)
                .add("avatar_url", JsonValue.NULL)
                .add("is_guest", false)
                .add("admin", user.admin())
                .add("deactivated", user.deactivated())
                .add("locked", user.locked())
                .add("erased", false)
                .add("shadow_banned", false)
                .add("suspended", false)
                .add("user_type", JsonValue.NULL)
                .add("creation_ts", user.createdTs())
                .build();
    }

    private static JsonObject device(Device device) {
        // Synapse's shape: the client API's object plus user_id, with null for what is unknown.
        JsonObject base = device.toJson();
        JsonObjectBuilder json = Jsons.createObjectBuilder().add("user_id", device.userId());
        for (String field : List.of("device_id", "display_name", "last_seen_ts", "last_seen_ip")) {
            json.add(field, base.getOrDefault(field, JsonValue.NULL));
        }
        // Turnkey's: which API created the device and through which OAuth 2.0 client (null if unknown).
        json.add("created_by", device.createdBy() == null ? JsonValue.NULL : Jsons.createValue(device.createdBy()));
        json.add("oauth_client_id", device.oauthClientId() == null ? JsonValue.NULL
                : Jsons.createValue(device.oauthClientId()));
        return json.build();
    }
}
