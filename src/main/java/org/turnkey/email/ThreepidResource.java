package org.turnkey.email;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.Jsons;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.audit.SecurityEvents;
import org.turnkey.auth.Authenticated;
import org.turnkey.auth.Requester;
import org.turnkey.email.EmailValidation.Purpose;
import org.turnkey.uia.UiaService;

import java.util.List;
import java.util.logging.Logger;

/**
 * Spec "Adding Account Administrative Contact Information" ({@code administrative_contact.yaml}):
 * the account's email addresses. Turnkey validates addresses itself and has no identity server,
 * so binding answers 400 {@code M_SERVER_NOT_TRUSTED} (the deprecated {@code POST /account/3pid},
 * 403 {@code M_THREEPID_AUTH_FAILED}) and unbinding {@code no-support}; phone
 * numbers answer 400 {@code M_THREEPID_MEDIUM_NOT_SUPPORTED}.
 */
@ApplicationScoped
@Path("/_matrix/client/v3/account/3pid")
@Produces(MediaType.APPLICATION_JSON)
public class ThreepidResource {

    static final String ADD_OPERATION = "POST /_matrix/client/v3/account/3pid/add";
    private static final List<List<String>> FLOWS = List.of(List.of(UiaService.PASSWORD));
    private static final Logger LOG = Logger.getLogger(ThreepidResource.class.getName());

    @Inject
    Requester requester;

    @Inject
    Threepids threepids;

    @Inject
    EmailValidations validations;

    @Inject
    UiaService uia;

    @Inject
    SecurityEvents events;

    /** GET /account/3pid — the account's validated addresses. */
    @GET
    @Authenticated
    public JsonObject list() {
        return Jsons.createObjectBuilder().add("threepids", threepids.json(requester.userId())).build();
    }

    /**
     * POST /account/3pid/email/requestToken — mails a validation link for an address no account
     * has (400 {@code M_THREEPID_IN_USE} otherwise). No access token is needed (spec).
     */
    @POST
    @Path("/email/requestToken")
    public JsonObject requestEmailToken(JsonObject body) {
        return validations.request(Purpose.ADD, JsonBody.of(body));
    }

    /** POST /account/3pid/msisdn/requestToken — no phone numbers here. */
    @POST
    @Path("/msisdn/requestToken")
    public JsonObject requestMsisdnToken(JsonObject body) {
        throw EmailValidations.mediumNotSupported("Adding phone numbers");
    }

    /**
     * POST /account/3pid/add — after user-interactive auth (the account's password), adds the
     * address of a validated session ({@code sid}, {@code client_secret}) to the account; an
     * unvalidated session is 400 {@code M_THREEPID_AUTH_FAILED}; the session is then used up.
     */
    @POST
    @Path("/add")
    @Authenticated
    public JsonObject add(JsonObject body) {
        JsonBody parsed = JsonBody.of(body);
        String sid = parsed.requireString("sid");
        String secret = parsed.requireString("client_secret");
        if (!validations.available()) {
            throw EmailValidations.mediumNotSupported("Email");
        }
        uia.require(ADD_OPERATION, requester.userId(), parsed, FLOWS);
        String address = validations.addToAccount(requester.userId(), sid, secret);
        LOG.info(() -> "Email address added to " + requester.userId() + " (an address at " + Emails.domainOf(address) + ")");
        return JsonValue.EMPTY_JSON_OBJECT;
    }

    /** POST /account/3pid/delete — removes an address; there is no identity server to unbind from. */
    @POST
    @Path("/delete")
    @Authenticated
    public JsonObject delete(JsonObject body) {
        JsonBody parsed = JsonBody.of(body);
        String medium = parsed.requireString("medium");
        String address = parsed.requireString("address");
        parsed.optionalString("id_server");
        if (Emails.MEDIUM.equals(medium)) {
            String canonical;
            try {
                canonical = Emails.canonical(address);
            } catch (MatrixException invalid) {
                canonical = null; // nothing stored can match it
            }
            if (canonical != null && threepids.remove(requester.userId(), canonical)) {
                LOG.info(() -> "Email address removed from " + requester.userId());
            }
        } else if (!"msisdn".equals(medium)) {
            throw MatrixException.invalidParam("medium must be email or msisdn");
        }
        return unbindResult();
    }

    /**
     * POST /account/3pid — deprecated; the spec makes it "an equivalent to {@code /3pid/bind}".
     * The body is checked ({@code three_pid_creds} with {@code sid} and {@code client_secret}),
     * then the answer is the spec's error for credentials that could not be verified with the
     * identity server, 403 {@code M_THREEPID_AUTH_FAILED}: this server binds no address to one.
     */
    @POST
    @Authenticated
    public JsonObject addDeprecated(JsonObject body) {
        JsonBody creds = JsonBody.of(body).requireObject("three_pid_creds");
        creds.requireString("sid");
        creds.requireString("client_secret");
        throw new MatrixException(403, ErrorCode.M_THREEPID_AUTH_FAILED, "This server does not bind addresses to"
                + " identity servers; add an address to the account with /account/3pid/add");
    }

    /** POST /account/3pid/bind — there is no identity server this server works with. */
    @POST
    @Path("/bind")
    @Authenticated
    public JsonObject bind(JsonObject body) {
        throw new MatrixException(400, ErrorCode.M_SERVER_NOT_TRUSTED,
                "This server does not work with identity servers; add the address with /account/3pid/add");
    }

    /** POST /account/3pid/unbind — nothing was bound, so nothing to unbind. */
    @POST
    @Path("/unbind")
    @Authenticated
    public JsonObject unbind(JsonObject body) {
        JsonBody parsed = JsonBody.of(body);
        parsed.requireString("medium");
        parsed.requireString("address");
        return unbindResult();
    }

    private static JsonObject unbindResult() {
        return Jsons.createObjectBuilder().add("id_server_unbind_result", "no-support").build();
    }
}
