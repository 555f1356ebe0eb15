package org.turnkey.api;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.turnkey.config.TurnkeyConfig;
import org.turnkey.support.MapConfig;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "API Standards": JSON objects in UTF-8; bad bodies are M_NOT_JSON, big ones M_TOO_LARGE. */
class JsonBodyReaderTest {

    private final JsonBodyReader reader = new JsonBodyReader();

    {
        reader.config = new TurnkeyConfig(MapConfig.of("turnkey.max-body-bytes", "64"));
    }

    private JsonObject read(byte[] body) throws Exception {
        return reader.readFrom(JsonObject.class, JsonObject.class, null, null, null, new ByteArrayInputStream(body));
    }

    private ErrorCode error(byte[] body) {
        return assertThrows(MatrixException.class, () -> read(body)).errcode();
    }

    @Test
    void readsAJsonObject() throws Exception {
        assertEquals("b", read("{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8)).getString("a"));
    }

    @Test
    void anEmptyBodyIsAnEmptyObject() throws Exception {
        assertTrue(read(new byte[0]).isEmpty());
    }

    @Test
    void invalidJsonOrNonObjectsAreNotJson() {
        assertEquals(ErrorCode.M_NOT_JSON, error("{\"a\":".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.M_NOT_JSON, error("[1,2]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.M_NOT_JSON, error("\"text\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void invalidUtf8IsNotJson() {
        assertEquals(ErrorCode.M_NOT_JSON, error(new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
    }

    @Test
    void bodiesOverTheLimitAreTooLarge() {
        MatrixException e = assertThrows(MatrixException.class,
                () -> read(("{\"a\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(ErrorCode.M_TOO_LARGE, e.errcode());
        assertEquals(413, e.status());
    }
}
