package org.turnkey.admin;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.turnkey.api.ErrorCode;
import org.turnkey.api.JsonBody;
import org.turnkey.api.MatrixException;
import org.turnkey.registration.RegistrationToken;

import java.io.StringReader;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The bodies of Synapse's registration token admin API: what is accepted, and which errcode the rest gets. */
class RegistrationTokenRequestsTest {

    private static final long NOW = 1_800_000_000_000L;

    private static JsonBody body(String json) {
        return JsonBody.of(Json.createReader(new StringReader(json)).readObject());
    }

    private static void assertRefused(ErrorCode errcode, Runnable parse) {
        MatrixException e = assertThrows(MatrixException.class, parse::run);
        assertEquals(400, e.status());
        assertEquals(errcode, e.errcode(), e.getMessage());
    }

    @Test
    @DisplayName("An empty create body generates a 16-character unlimited token that never expires")
    void createDefaults() {
        assertEquals(new RegistrationTokenRequests.Create(Optional.empty(), 16, null, null),
                RegistrationTokenRequests.create(JsonBody.of(JsonValue.EMPTY_JSON_OBJECT), NOW));
        assertEquals(new RegistrationTokenRequests.Create(Optional.empty(), 16, null, null),
                RegistrationTokenRequests.create(body("{\"token\":null,\"uses_allowed\":null,\"expiry_time\":null}"), NOW));
    }

    @Test
    @DisplayName("A given token with uses and expiry is taken as sent; length is ignored then, as in Synapse")
    void createGiven() {
        String token = "Ab9._~-" + "x".repeat(57);
        assertEquals(new RegistrationTokenRequests.Create(Optional.of(token), 16, 3, NOW),
                RegistrationTokenRequests.create(body("{\"token\":\"" + token + "\",\"uses_allowed\":3,"
                        + "\"expiry_time\":" + NOW + ",\"length\":0}"), NOW));
        assertEquals(new RegistrationTokenRequests.Create(Optional.empty(), 64, 0, null),
                RegistrationTokenRequests.create(body("{\"length\":64,\"uses_allowed\":0}"), NOW));
        assertEquals(1, RegistrationTokenRequests.create(body("{\"length\":1}"), NOW).length());
    }

    @Test
    @DisplayName("Bad values are M_INVALID_PARAM: token characters and length, length, negative uses, past expiry")
    void createRefusesBadValues() {
        for (String bad : new String[] {
                "{\"token\":\"\"}", "{\"token\":\"" + "x".repeat(65) + "\"}", "{\"token\":\"has space\"}",
                "{\"token\":\"slash/\"}", "{\"token\":\"é\"}", "{\"length\":0}", "{\"length\":65}",
                "{\"length\":-1}", "{\"uses_allowed\":-1}", "{\"uses_allowed\":2147483648}",
                "{\"expiry_time\":" + (NOW - 1) + "}"}) {
            assertRefused(ErrorCode.M_INVALID_PARAM, () -> RegistrationTokenRequests.create(body(bad), NOW));
        }
    }

    @Test
    @DisplayName("Values of the wrong JSON type are M_BAD_JSON")
    void createRefusesWrongTypes() {
        for (String bad : new String[] {
                "{\"token\":12}", "{\"length\":\"16\"}", "{\"length\":1.5}", "{\"uses_allowed\":\"1\"}",
                "{\"uses_allowed\":true}", "{\"expiry_time\":\"tomorrow\"}", "{\"expiry_time\":1e30}"}) {
            assertRefused(ErrorCode.M_BAD_JSON, () -> RegistrationTokenRequests.create(body(bad), NOW));
        }
    }

    @Test
    @DisplayName("An update changes only the fields sent; null means unlimited")
    void update() {
        RegistrationToken row = new RegistrationToken("hash", 5, NOW + 10, NOW);
        RegistrationTokenRequests.update(body("{}"), NOW).applyTo(row);
        assertEquals(5, row.usesAllowed());
        assertEquals(NOW + 10, row.expiryTs());

        RegistrationTokenRequests.update(body("{\"uses_allowed\":0}"), NOW).applyTo(row);
        assertEquals(0, row.usesAllowed());
        assertEquals(NOW + 10, row.expiryTs());
        assertFalse(row.validAt(NOW));

        RegistrationTokenRequests.update(body("{\"uses_allowed\":null,\"expiry_time\":" + (NOW + 99) + "}"), NOW).applyTo(row);
        assertNull(row.usesAllowed());
        assertEquals(NOW + 99, row.expiryTs());

        RegistrationTokenRequests.update(body("{\"expiry_time\":null}"), NOW).applyTo(row);
        assertNull(row.usesAllowed());
        assertNull(row.expiryTs());
    }

    @Test
    @DisplayName("An update refuses what create refuses")
    void updateRefuses() {
        assertRefused(ErrorCode.M_INVALID_PARAM, () -> RegistrationTokenRequests.update(body("{\"uses_allowed\":-2}"), NOW));
        assertRefused(ErrorCode.M_INVALID_PARAM,
                () -> RegistrationTokenRequests.update(body("{\"expiry_time\":" + (NOW - 1000) + "}"), NOW));
        assertRefused(ErrorCode.M_BAD_JSON, () -> RegistrationTokenRequests.update(body("{\"uses_allowed\":[]}"), NOW));
        JsonObject wrong = Json.createObjectBuilder().add("expiry_time", "soon").build();
        assertRefused(ErrorCode.M_BAD_JSON, () -> RegistrationTokenRequests.update(JsonBody.of(wrong), NOW));
    }
}
