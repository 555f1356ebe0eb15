package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.MatrixException;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.email.Emails;
import org.turnkey.email.Threepids;

/**
 * Synapse's {@code GET /_synapse/admin/v1/threepid/{medium}/users/{address}}: the account an
 * address belongs to, {@code {"user_id": ...}}, or 404 {@code M_NOT_FOUND}. Admins only.
 */
@ApplicationScoped
@Path("/_synapse/admin/v1/threepid/{medium}/users/{address}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AdminThreepidResource {

    @Inject
    AdminService admin;

    @Inject
    Requester requester;

    @Inject
    Threepids threepids;

    @GET
    public JsonObject user(@PathParam("medium") String medium, @PathParam("address") String address) {
        admin.requireAdmin(requester);
        String canonical;
        try {
            canonical = Emails.MEDIUM.equals(medium) ? Emails.canonical(address) : null;
        } catch (MatrixException invalid) {
            canonical = null;
        }
        String userId = canonical == null ? null : threepids.owner(canonical).orElse(null);
        if (userId == null) {
            throw MatrixException.notFound("User not found");
        }
        return Jsons.createObjectBuilder().add("user_id", userId).build();
    }
}
