package org.turnkey.registration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.email.EmailValidation;
import org.turnkey.email.EmailValidations;
import org.turnkey.token.TokenResponses;

@ApplicationScoped
@Path("/_matrix/client/v3/register")
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationResource {

    @Inject
    RegistrationPolicy registration;

    @Inject
    EmailValidations emails;

    /**
     * POST /_matrix/client/v3/register — creates an account after user-interactive auth.
     * <ul>
     *   <li>refused with 403 when registration is disabled or {@code kind=guest}</li>
     *   <li>name checked (400 {@code M_INVALID_USERNAME}, {@code M_USER_IN_USE}) before auth</li>
     *   <li>signs in unless {@code inhibit_login}</li>
     * </ul>
     */
    @POST
    public JsonObject register(@QueryParam("kind") String kind, JsonObject body) {
        RegistrationPolicy.Result result = registration.register(kind, JsonBody.of(body));
        if (result.tokens() == null) {
            return Jsons.createObjectBuilder().add("user_id", result.userId()).build();
        }
        return TokenResponses.login(result.tokens());
    }

    /**
     * POST /_matrix/client/v3/register/email/requestToken — mails a validation link for the
     * address a new account will have; 403 when registration is off, 400
     * {@code M_THREEPID_IN_USE} for an address an account has.
     */
    @POST
    @Path("/email/requestToken")
    public JsonObject requestEmailToken(JsonObject body) {
        registration.requireEnabled();
        return emails.request(EmailValidation.Purpose.REGISTER, JsonBody.of(body));
    }

    /** POST /_matrix/client/v3/register/msisdn/requestToken — no phone numbers here. */
    @POST
    @Path("/msisdn/requestToken")
    public JsonObject requestMsisdnToken(JsonObject body) {
        throw EmailValidations.mediumNotSupported("Registering with a phone number");
    }

    /** GET /_matrix/client/v3/register/available — whether a name could be registered. */
    @GET
    @Path("/available")
    public JsonObject available(@QueryParam("username") String username) {
        registration.checkAvailable(username);
        return Jsons.createObjectBuilder().add("available", true).build();
    }
}
