package org.turnkey.oauth.grant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.turnkey.oauth.OAuthUrls;

@ApplicationScoped
@Path(OAuthUrls.REVOKE)
public class RevocationResource {

    @Inject
    TokenRevocation revocation;

    /**
     * POST /_turnkey/oauth2/revoke — RFC 7009 as the spec words it ({@link TokenRevocation}).
     * 200 {@code {}} (an empty object rather than no body: matrix-js-sdk 42 parsed it), also for
     * unknown tokens; 400 {@code invalid_request} without {@code token}, 400
     * {@code unsupported_token_type} for another {@code token_type_hint}.
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        revocation.revoke(FormParameters.parse(contentType, body));
        return Response.ok(JsonValue.EMPTY_JSON_OBJECT).header("Cache-Control", "no-store").build();
    }
}
