package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;

/**
 * Spec "Account locking" admin endpoints ({@code /_matrix/client/v1/admin/lock/{userId}}): an
 * admin reads or sets another non-admin user's lock. Locking keeps every token; the user's
 * requests get 401 {@code M_USER_LOCKED} at once, and unlocking restores the same sessions.
 */
@ApplicationScoped
@Path("/_matrix/client/v1/admin/lock/{userId}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AccountLockResource {

    @Inject
    AdminService admin;

    @Inject
    Requester requester;

    /** GET /_matrix/client/v1/admin/lock/{userId} — {@code {"locked": bool}}; 404 for unknown or deactivated users. */
    @GET
    public JsonObject get(@PathParam("userId") String userId) {
        return Jsons.createObjectBuilder().add("locked", admin.lockStatus(requester, userId)).build();
    }

    /** PUT /_matrix/client/v1/admin/lock/{userId} — sets the lock; 403 for oneself or another admin. */
    @PUT
    public JsonObject put(@PathParam("userId") String userId, JsonObject body) {
        JsonBody json = JsonBody.of(body);
        if (!json.has("locked")) {
            throw MatrixException.missingParam("locked");
        }
        return Jsons.createObjectBuilder()
                .add("locked", admin.lock(requester, userId, json.optionalBoolean("locked", false))).build();
    }
}
