package org.turnkey.oauth.metadata;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.oauth.OAuthUrls;
import org.turnkey.oauth.account.AccountActions;
import org.turnkey.oauth.client.ClientRegistrationPolicy;

/**
 * Server metadata discovery (spec "Server metadata discovery",
 * {@code api/oauth_server_metadata.yaml}; RFC 8414 field names). Every URL derives from
 * {@code turnkey.public-base-url}. Served at the stable path and at MSC2965's unstable one, which
 * ruma-based clients (Element X) pick from {@code /versions}.
 */
@ApplicationScoped
@Path("/_matrix/client")
@Produces(MediaType.APPLICATION_JSON)
public class AuthMetadataResource {

    @Inject
    OAuthUrls urls;

    @Inject
    OAuthSettings settings;

    /** GET /_matrix/client/v1/auth_metadata — no token needed. */
    @GET
    @Path("v1/auth_metadata")
    public JsonObject metadata() {
        JsonObjectBuilder body = Jsons.createObjectBuilder()
                .add("issuer", urls.issuer())
                .add("authorization_endpoint", urls.url(OAuthUrls.AUTHORIZE))
                .add("token_endpoint", urls.url(OAuthUrls.TOKEN))
                .add("revocation_endpoint", urls.url(OAuthUrls.REVOKE))
                .add("registration_endpoint", urls.url(OAuthUrls.REGISTER))
                // RFC 8628 section 4, spec "Device authorisation grant".
                .add("device_authorization_endpoint", urls.url(OAuthUrls.DEVICE_AUTHORIZATION))
                .add("response_types_supported", Jsons.createArrayBuilder().add("code"))
                .add("response_modes_supported", Jsons.createArrayBuilder().add("query").add("fragment"))
                .add("grant_types_supported", Jsons.createArrayBuilder().add("authorization_code").add("refresh_token")
                        .add(ClientRegistrationPolicy.DEVICE_CODE))
                .add("code_challenge_methods_supported", Jsons.createArrayBuilder().add("S256"))
                .add("token_endpoint_auth_methods_supported", Jsons.createArrayBuilder().add("none"))
                .add("revocation_endpoint_auth_methods_supported", Jsons.createArrayBuilder().add("none"))
                // RFC 9207: the authorisation response carries iss.
                .add("authorization_response_iss_parameter_supported", true);
        JsonArrayBuilder prompts = Jsons.createArrayBuilder();
        if (settings.registrationPages()) {
            prompts.add("create");
        }
        body.add("prompt_values_supported", prompts);
        // Spec "Account management URL discovery".
        body.add("account_management_uri", urls.url(OAuthUrls.ACCOUNT_PAGE));
        JsonArrayBuilder actions = Jsons.createArrayBuilder();
        AccountActions.SUPPORTED.forEach(actions::add);
        body.add("account_management_actions_supported", actions);
        return body.build();
    }

    /** GET /_matrix/client/unstable/org.matrix.msc2965/auth_metadata — the same document. */
    @GET
    @Path("unstable/org.matrix.msc2965/auth_metadata")
    public JsonObject unstableMetadata() {
        return metadata();
    }
}
