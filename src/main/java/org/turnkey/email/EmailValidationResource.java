package org.turnkey.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;

/**
 * The {@code submit_url} the {@code requestToken} endpoints return: the Identity Service API's
 * {@code POST /validate/email/submitToken} shape ({@code sid}, {@code client_secret},
 * {@code token}; answer {@code {"success": true|false}}), for clients that ask the user to type
 * the code from the email instead of following its link.
 */
@ApplicationScoped
@Path("/" + EmailValidations.SUBMIT_PATH)
@Produces(MediaType.APPLICATION_JSON)
public class EmailValidationResource {

    @Inject
    EmailValidations validations;

    @POST
    public JsonObject submit(JsonObject body) {
        JsonBody parsed = JsonBody.of(body);
        boolean success = validations.submit(parsed.requireString("sid"), parsed.requireString("client_secret"),
                parsed.requireString("token"));
        return Jsons.createObjectBuilder().add("success", success).build();
    }
}
