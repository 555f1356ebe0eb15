package org.turnkey.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.ratelimit.RateLimits;
import org.turnkey.uia.UiaService;

import java.util.List;

@ApplicationScoped
@Path("/_matrix/client/v1/login/get_token")
@Produces(MediaType.APPLICATION_JSON)
public class LoginTokenResource {

    static final String OPERATION = "POST /_matrix/client/v1/login/get_token";

    @Inject
    Requester requester;

    @Inject
    UiaService uia;

    @Inject
    LoginTokens tokens;

    @Inject
    RateLimits limits;

    @Inject
    TurnkeyConfig config;

    @Inject
    SecurityEvents events;

    /**
     * POST /_matrix/client/v1/login/get_token — a single-use token to log another client in.
     * <ul>
     *   <li>404 {@code M_UNRECOGNIZED} when {@code turnkey.login-token.enabled=false}</li>
     *   <li>user-interactive auth with {@code m.login.password}, every time (a completed UIA
     *       session is deleted, so nothing is remembered between calls)</li>
     *   <li>rate limited per account ({@code turnkey.ratelimit.login-token.*}, default one a minute)</li>
     *   <li>returns {@code login_token} and {@code expires_in_ms} ({@code turnkey.login-token.lifetime})</li>
     * </ul>
     */
    @POST
    @Authenticated
    public JsonObject getToken(JsonObject body) {
        if (!config.loginTokenEnabled()) {
            throw MatrixException.unrecognized(404, "Login tokens are not enabled on this server");
        }
        String userId = requester.userId();
        limits.check(RateLimits.Kind.LOGIN_TOKEN, userId);
        uia.require(OPERATION, userId, JsonBody.of(body), List.of(List.of(UiaService.PASSWORD)));
        limits.acquire(RateLimits.Kind.LOGIN_TOKEN, userId);
        LoginTokens.Issued issued = tokens.issue(userId);
        events.loginTokenIssued(userId, requester.deviceId());
        return Jsons.createObjectBuilder()
                .add("login_token", issued.token())
                .add("expires_in_ms", issued.expiresInMs())
                .build();
    }
}
