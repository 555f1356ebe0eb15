package org.turnkey.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@ApplicationScoped
@Path("/_matrix/client/versions")
@Produces(MediaType.APPLICATION_JSON)
public class VersionsResource {

    /** Refresh tokens and soft logout as implemented here arrived in v1.3; the rest is v1.1 or older. */
    private static final JsonObject VERSIONS = Json.createObjectBuilder()
            .add("versions", Json.createArrayBuilder()
                    .add("v1.1").add("v1.2").add("v1.3").add("v1.4").add("v1.5"))
            .add("unstable_features", JsonObject.EMPTY_JSON_OBJECT)
            .build();

    /** GET /_matrix/client/versions — the spec versions Turnkey implements; no token needed. */
    @GET
    public JsonObject versions() {
        return VERSIONS;
    }
}
