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

    /**
     * Refresh tokens and soft logout arrived in v1.3, the OAuth 2.0 API in v1.15. Clients built on
     * ruma (Element X) and older matrix-js-sdk look for v1.15 before they use
     * {@code /_matrix/client/v1/auth_metadata}.
     */
    private static final JsonObject VERSIONS = Jsons.createObjectBuilder()
            .add("versions", Jsons.createArrayBuilder()
                    .add("v1.1").add("v1.2").add("v1.3").add("v1.4").add("v1.5").add("v1.6").add("v1.7")
                    .add("v1.8").add("v1.9").add("v1.10").add("v1.11").add("v1.12").add("v1.13").add("v1.14")
                    .add("v1.15"))
            .add("unstable_features", JsonObject.EMPTY_JSON_OBJECT)
            .build();

    /** GET /_matrix/client/versions — the spec versions Turnkey implements; no token needed. */
    @GET
    public JsonObject versions() {
        return VERSIONS;
    }
}
