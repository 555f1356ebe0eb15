package org.turnkey.oauth.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.admin.AdminService;
import org.turnkey.api.Jsons;
import org.turnkey.api.MatrixException;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;

import java.util.Optional;

/**
 * Where a homeserver asks whether a user approved a cross-signing reset on the account pages
 * (action {@code org.matrix.cross_signing_reset}, the page the {@code m.oauth} UIA stage sends
 * the user to; spec "OAuth authentication"). Turnkey does not serve
 * {@code /keys/device_signing/upload}: the homeserver does, and before it answers that request
 * 401 with the {@code m.oauth} stage it can ask here. The path is Synapse's admin endpoint that
 * MAS calls to grant the same approval ({@code POST}); here it is read with {@code GET}, and the
 * answer carries Synapse's field {@code updatable_without_uia_before_ms}. Admins only
 * (403 {@code M_FORBIDDEN} otherwise); 404 {@code M_NOT_FOUND} for an unknown user.
 */
@ApplicationScoped
@Path("/_synapse/admin/v1/users/{userId}/_allow_cross_signing_replacement_without_uia")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class CrossSigningResetResource {

    @Inject
    AdminService admin;

    @Inject
    Requester requester;

    @Inject
    AccountManagement account;

    /**
     * {@code {"user_id", "allowed": bool, "updatable_without_uia_before_ms": ms}}; the time only
     * while an approval is live (never for a deactivated account).
     */
    @GET
    public JsonObject get(@PathParam("userId") String userId) {
        admin.requireAdmin(requester);
        if (account.user(userId).isEmpty()) {
            throw MatrixException.notFound("Unknown user");
        }
        Optional<Long> until = account.crossSigningResetAllowedUntil(userId);
        JsonObjectBuilder body = Jsons.createObjectBuilder().add("user_id", userId).add("allowed", until.isPresent());
        until.ifPresent(ms -> body.add("updatable_without_uia_before_ms", ms));
        return body.build();
    }
}
