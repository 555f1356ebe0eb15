package org.turnkey.oauth.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.turnkey.api.Jsons;
import org.turnkey.oauth.OAuthUrls;

@ApplicationScoped
@Path(OAuthUrls.REGISTER)
public class ClientRegistrationResource {

    @Inject
    ClientRegistrations registrations;

    /**
     * POST /_turnkey/oauth2/register — dynamic client registration (RFC 7591 section 3, spec
     * "Client registration"). 201 with {@code client_id} and the registered metadata; 400
     * {@code invalid_client_metadata} or {@code invalid_redirect_uri}. The body is read as text
     * and parsed by {@link ClientRegistrationPolicy#parse}, so a malformed body gets the RFC's
     * error, not a Matrix one.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response register(String body) {
        OAuthClient client = registrations.register(body);
        JsonObjectBuilder answer = Jsons.createObjectBuilder().add("client_id", client.clientId());
        client.metadata().forEach(answer::add);
        return Response.status(Response.Status.CREATED).header("Cache-Control", "no-store")
                .header("Pragma", "no-cache").entity(answer.build()).build();
    }
}
