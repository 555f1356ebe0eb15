package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.device.DeviceService;

import java.util.List;

@ApplicationScoped
@Path("/_matrix/client/v3/logout")
@Produces(MediaType.APPLICATION_JSON)
public class LogoutResource {

    @Inject
    Requester requester;

    @Inject
    DeviceService devices;

    @Inject
    SecurityEvents events;

    /** POST /_matrix/client/v3/logout — deletes the token's device and with it all its tokens; works with an expired token and on a locked account. */
    @POST
    @Authenticated(allowExpired = true, allowLocked = true)
    public JsonObject logout() {
        devices.delete(requester.userId(), List.of(requester.deviceId()));
        events.loggedOut(requester.userId(), requester.deviceId(), false);
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /** POST /_matrix/client/v3/logout/all — deletes every device and token of the user; works with an expired token and on a locked account. */
    @POST
    @Path("/all")
    @Authenticated(allowExpired = true, allowLocked = true)
    public JsonObject logoutAll() {
        devices.deleteAll(requester.userId());
        events.loggedOut(requester.userId(), requester.deviceId(), true);
        return JsonValue.EMPTY_JSON_OBJECT;
    }
}
