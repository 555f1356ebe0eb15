package org.turnkey.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.oauth.client.OAuthClient;

/**
 * The registered OAuth 2.0 clients, for admins. Synapse has no such API (MAS has its own), so
 * the path is Turnkey's: {@code /_turnkey/admin/v1/oauth_clients}, in the style of Synapse's
 * admin lists ({@code from}, {@code limit}, {@code next_token}, {@code total}). Every endpoint
 * needs an admin's access token; anyone else gets 403 {@code M_FORBIDDEN}.
 */
@ApplicationScoped
@Path("/_turnkey/admin/v1/oauth_clients")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class AdminOAuthClientsResource {

    @Inject
    OAuthClientAdmin clients;

    @Inject
    Requester requester;

    /**
     * GET /_turnkey/admin/v1/oauth_clients — a page of clients, oldest first. {@code next_token}
     * is the {@code from} of the next page, absent on the last one; {@code total} counts them all.
     */
    @GET
    public JsonObject list(@QueryParam("from") String from, @QueryParam("limit") String limit) {
        OAuthClientAdmin.Page page = clients.list(requester, from, limit);
        JsonArrayBuilder list = Jsons.createArrayBuilder();
        page.clients().forEach(c -> list.add(client(c, page.devices().getOrDefault(c.clientId(), 0L))));
        JsonObjectBuilder body = Jsons.createObjectBuilder().add("clients", list).add("total", page.total());
        page.nextToken().ifPresent(next -> body.add("next_token", Long.toString(next)));
        return body.build();
    }

    /** GET /_turnkey/admin/v1/oauth_clients/{clientId} — one client; 404 {@code M_NOT_FOUND} if unknown. */
    @GET
    @Path("/{clientId}")
    public JsonObject get(@PathParam("clientId") String clientId) {
        OAuthClient client = clients.get(requester, clientId);
        return client(client, clients.deviceCount(client.clientId()));
    }

    /**
     * DELETE /_turnkey/admin/v1/oauth_clients/{clientId} — deletes the client and every device
     * holding a session of it (their tokens stop working at once, on every instance); answers
     * {@code devices_deleted}. 404 {@code M_NOT_FOUND} if unknown.
     */
    @DELETE
    @Path("/{clientId}")
    public JsonObject delete(@PathParam("clientId") String clientId) {
        return Jsons.createObjectBuilder().add("devices_deleted", clients.delete(requester, clientId)).build();
    }

    static JsonObject client(OAuthClient client, long devices) {
        JsonArrayBuilder redirects = Jsons.createArrayBuilder();
        client.redirectUris().forEach(redirects::add);
        return Jsons.createObjectBuilder()
                .add("client_id", client.clientId())
                .add("client_name", client.clientName().<JsonValue>map(Jsons::createValue).orElse(JsonValue.NULL))
                .add("client_uri", client.clientUri().<JsonValue>map(Jsons::createValue).orElse(JsonValue.NULL))
                .add("application_type", client.applicationType())
                .add("redirect_uris", redirects)
                .add("created_ts", client.createdTs())
                .add("devices", devices)
                .add("metadata", client.metadata())
                .build();
    }
}
