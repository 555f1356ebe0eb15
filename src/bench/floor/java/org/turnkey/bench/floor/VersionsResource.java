package org.turnkey.bench.floor;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The path the benchmark polls on every WAR, answered through Jersey and a CDI bean; the first
 * 200 comes after the start-up query, so the whole stack is up, not just Jersey.
 */
@Path("/_matrix/client/versions")
public class VersionsResource {

    @Inject
    FloorStore store;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String versions() {
        return "{\"versions\":[\"v1.1\",\"v1.15\"],\"things\":" + store.things() + "}";
    }
}
