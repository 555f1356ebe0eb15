package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.oauth.OAuthSettings;
import org.turnkey.token.TokenResponses;

@ApplicationScoped
@Path("/_matrix/client/v3/login")
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

    @Inject
    LoginService logins;

    @Inject
    TurnkeyConfig config;

    @Inject
    OAuthSettings oauth;

    /**
     * GET /_matrix/client/v3/login — the login types this server accepts.
     * <ul>
     *   <li>{@code m.login.password}</li>
     *   <li>{@code m.login.token} with {@code get_login_token: true} unless
     *       {@code turnkey.login-token.enabled=false}</li>
     *   <li>{@code m.login.sso} with {@code oauth_aware_preferred: true} (spec "OAuth 2.0 aware
     *       clients"; {@code /login/sso/redirect} signs in on Turnkey's own pages) unless
     *       {@code turnkey.oauth.legacy-sso=false}</li>
     * </ul>
     */
    @GET
    public JsonObject flows() {
        JsonArrayBuilder flows = Jsons.createArrayBuilder()
                .add(Jsons.createObjectBuilder().add("type", LoginService.PASSWORD));
        if (config.loginTokenEnabled()) {
            flows.add(Jsons.createObjectBuilder().add("type", LoginService.TOKEN).add("get_login_token", true));
        }
        if (oauth.legacySso()) {
            flows.add(Jsons.createObjectBuilder().add("type", "m.login.sso").add("oauth_aware_preferred", true));
        }
        return Jsons.createObjectBuilder().add("flows", flows).build();
    }

    /**
     * POST /_matrix/client/v3/login — password or login-token login.
     * <ul>
     *   <li>{@code m.login.token}: a token from {@code POST /login/get_token} logs in once; a
     *       second use, or an expired token, is 403 {@code M_FORBIDDEN}</li>
     *   <li>a deactivated account is 403 {@code M_USER_DEACTIVATED}</li>
     *   <li>rate limited per client address, per account, and per account for wrong passwords
     *       (429 {@code M_LIMIT_EXCEEDED} with {@code retry_after_ms} and {@code Retry-After})</li>
     *   <li>a known {@code device_id} of the user: keeps the device, revokes its old tokens</li>
     *   <li>{@code refresh_token: true}: also a refresh token and {@code expires_in_ms}</li>
     * </ul>
     */
    @POST
    public JsonObject login(JsonObject body) {
        return TokenResponses.login(logins.login(JsonBody.of(body)));
    }
}
