package org.turnkey.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;

@ApplicationScoped
@Path("/_matrix/client/v3/account/whoami")
@Produces(MediaType.APPLICATION_JSON)
public class WhoAmIResource {

    @Inject
    Requester requester;

    /** GET /_matrix/client/v3/account/whoami — the token's user and device; never a guest. */
    @GET
    @Authenticated
    public JsonObject whoami() {
        return Jsons.createObjectBuilder()
                .add("user_id", requester.userId())
                .add("device_id", requester.deviceId())
                .add("is_guest", false)
                .build();
    }
}
