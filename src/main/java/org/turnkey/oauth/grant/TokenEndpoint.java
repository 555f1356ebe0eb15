package org.turnkey.oauth.grant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.turnkey.api.Jsons;
import org.turnkey.api.MatrixException;
import org.turnkey.api.OAuthException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.oauth.client.ClientRegistrationPolicy;
import org.turnkey.oauth.client.OAuthClient;
import org.turnkey.oauth.client.OAuthClients;
import org.turnkey.oauth.device.DeviceCodeGrant;
import org.turnkey.ratelimit.RateLimits;
import org.turnkey.token.IssuedTokens;
import org.turnkey.token.RefreshService;

import java.time.Instant;

/**
 * What the token endpoint does with a request (RFC 6749 sections 4.1.3, 5 and 6, RFC 8628
 * section 3.4; spec "Token request", "Token refresh flow", "Device authorisation flow"): dispatch by {@code grant_type}, errors in RFC 6749 section
 * 5.2's shape.
 * <p>
 * <b>Refresh.</b> The refresh token grant is {@code POST /refresh}'s rule, carried out by the
 * same {@link RefreshService} (repeat before use, rotate on use, duplicate allowance, replay
 * under {@code turnkey.refresh-token.reuse-policy}); only the answers differ: every refusal the
 * legacy endpoint answers with 401 {@code M_UNKNOWN_TOKEN} is 400 {@code invalid_grant} here.
 * The token must belong to an OAuth session of the requesting client: legacy refresh tokens are
 * refused here, and OAuth ones at {@code /refresh}, so each session is refreshed one way only.
 * <p>
 * <b>Rate limiting.</b> Clients end the session on any 4xx from this endpoint (matrix-js-sdk
 * even on a 429), so no valid grant ever gets one: only failed grants are counted (in the
 * {@code turnkey.ratelimit.refresh.*} bucket of the client address), and while an address is
 * over that limit its requests get 503 {@code temporarily_unavailable} with
 * {@code Retry-After}, which clients retry.
 */
@ApplicationScoped
public class TokenEndpoint {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String DEVICE_CODE = ClientRegistrationPolicy.DEVICE_CODE;

    @Inject
    OAuthClients clients;

    @Inject
    AuthorizationCodeGrant codes;

    @Inject
    RefreshService refreshes;

    @Inject
    DeviceCodeGrant deviceCodes;

    @Inject
    RateLimits limits;

    @Inject
    SecurityEvents events;

    /**
     * Answers one token request.
     *
     * @param arrived when the request arrived, taken before any lock (see {@link RefreshService#refresh})
     */
    public JsonObject grant(FormParameters form, String clientAddress, Instant arrived) {
        try {
            limits.check(RateLimits.Kind.REFRESH, clientAddress);
        } catch (MatrixException e) {
            throw OAuthException.temporarilyUnavailable("Too many failed token requests from this address",
                    Long.parseLong(e.headers().getOrDefault("Retry-After", "1")));
        }
        try {
            return grant(form, arrived);
        } catch (OAuthException e) {
            // A device still waiting for its user polls by design: not a failed grant.
            if (e.status() < 500 && !e.error().equals("authorization_pending") && !e.error().equals("slow_down")) {
                limits.record(RateLimits.Kind.REFRESH, clientAddress);
            }
            throw e;
        }
    }

    private JsonObject grant(FormParameters form, Instant arrived) {
        String grantType = form.require("grant_type");
        switch (grantType) {
            case AUTHORIZATION_CODE -> {
                OAuthClient client = client(form);
                String code = form.require("code");
                return answer(codes.redeem(client, code, form.optional("redirect_uri").orElse(null),
                        form.optional("code_verifier").orElse(null)));
            }
            case REFRESH_TOKEN -> {
                OAuthClient client = client(form);
                String refreshToken = form.require("refresh_token");
                IssuedTokens issued;
                try {
                    issued = refreshes.refresh(refreshToken, arrived, client.clientId());
                } catch (MatrixException e) {
                    if (e.status() != 401) {
                        throw e;
                    }
                    // Unknown, expired, revoked, replayed or a duplicate inside the allowance
                    // (which revoked nothing), another client's, or a locked account.
                    events.oauthGrantRefused(REFRESH_TOKEN, client.clientId(), e.errcode().name());
                    throw OAuthException.invalidGrant(e.getMessage());
                }
                events.oauthGrant(REFRESH_TOKEN, issued.userId(), issued.deviceId(), client.clientId());
                return answer(issued);
            }
            case DEVICE_CODE -> {
                OAuthClient client = client(form);
                return answer(deviceCodes.poll(client, form.require("device_code")));
            }
            default -> throw OAuthException.unsupportedGrantType("Supported grant types: "
                    + AUTHORIZATION_CODE + ", " + REFRESH_TOKEN + ", " + DEVICE_CODE);
        }
    }

    /** RFC 6749 section 3.2.1: a public client identifies itself with client_id; unknown is 401. */
    private OAuthClient client(FormParameters form) {
        String clientId = form.require("client_id");
        return clients.find(clientId).orElseThrow(() -> OAuthException.invalidClient("Unknown client_id"));
    }

    /** RFC 6749 section 5.1, with the spec's {@code scope}; expires_in in whole seconds. */
    static JsonObject answer(IssuedTokens tokens) {
        JsonObjectBuilder body = Jsons.createObjectBuilder()
                .add("access_token", tokens.accessToken())
                .add("token_type", "Bearer")
                .add("expires_in", tokens.expiresInMs() / 1000)
                .add("refresh_token", tokens.refreshToken())
                .add("scope", tokens.scope());
        return body.build();
    }
}
