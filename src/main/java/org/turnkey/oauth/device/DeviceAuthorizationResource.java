package org.turnkey.oauth.device;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.turnkey.api.Jsons;
import org.turnkey.api.OAuthException;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.client.OAuthClients;
import org.turnkey.oauth.grant.FormParameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * POST /_turnkey/oauth2/device — the device authorisation endpoint (RFC 8628 sections 3.1 and
 * 3.2, spec "Device authorisation flow"). A public client names itself with {@code client_id}
 * (unknown: 401 {@code invalid_client}); it must have registered the device code grant (else 400
 * {@code unauthorized_client}); {@code scope} is the spec's, its device ID allocated here if it
 * names none. Answers with {@code Cache-Control: no-store}: the device code is a credential.
 */
@ApplicationScoped
@Path(OAuthUrls.DEVICE_AUTHORIZATION)
public class DeviceAuthorizationResource {

    @Inject
    OAuthClients clients;

    @Inject
    DeviceAuthorizations authorizations;

    @Inject
    OAuthUrls urls;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response start(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, String body) {
        FormParameters form = FormParameters.parse(contentType, body);
        String clientId = form.require("client_id");
        OAuthClient client = clients.find(clientId).orElseThrow(() -> OAuthException.invalidClient("Unknown client_id"));
        DeviceAuthorizations.Started started = authorizations.start(client, form.optional("scope").orElse(null));
        String page = urls.url(OAuthUrls.DEVICE_PAGE);
        return Response.ok(Jsons.createObjectBuilder()
                        .add("device_code", started.deviceCode())
                        .add("user_code", started.userCode())
                        .add("verification_uri", page)
                        // RFC 8628 section 3.3.1: the same page with the code filled in.
                        .add("verification_uri_complete", page + "?user_code="
                                + URLEncoder.encode(started.userCode(), StandardCharsets.UTF_8))
                        .add("expires_in", started.expiresIn())
                        .add("interval", started.interval())
                        // Not in RFC 8628's response; tells the client the scope it will get.
                        .add("scope", started.scope().value())
                        .build())
                .header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }
}
