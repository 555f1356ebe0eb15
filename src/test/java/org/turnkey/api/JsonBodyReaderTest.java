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

    // ---- limits on valid JSON that no Matrix request needs (issue 17) ----

    private static byte[] nested(int levels, String open, String close) {
        // The outer object is the first level.
        return ("{\"a\":" + open.repeat(levels - 1) + "1" + close.repeat(levels - 1) + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static MatrixException refusal(JsonBodyReader reader, byte[] body) {
        return assertThrows(MatrixException.class, () -> reader.readFrom(JsonObject.class, JsonObject.class,
                null, null, null, new ByteArrayInputStream(body)));
    }

    private final JsonBodyReader roomy = new JsonBodyReader();

    {
        roomy.config = new TurnkeyConfig(MapConfig.of("turnkey.max-body-bytes", "1048576"));
    }

    @Test
    void nestingUpToTheLimitIsRead() throws Exception {
        JsonObject body = roomy.readFrom(JsonObject.class, JsonObject.class, null, null, null,
                new ByteArrayInputStream(nested(JsonBodyReader.MAX_DEPTH, "[", "]")));
        assertTrue(body.containsKey("a"));
    }

    @Test
    void nestingBeyondTheLimitIsBadJson() {
        for (int levels : new int[]{JsonBodyReader.MAX_DEPTH + 1, 999, 1000, 1001, 100_000}) {
            MatrixException arrays = refusal(roomy, nested(levels, "[", "]"));
            assertEquals(ErrorCode.M_BAD_JSON, arrays.errcode(), levels + " levels of arrays");
            assertEquals(400, arrays.status());
            MatrixException objects = refusal(roomy, nested(levels, "{\"b\":", "}"));
            assertEquals(ErrorCode.M_BAD_JSON, objects.errcode(), levels + " levels of objects");
        }
    }

    @Test
    void deepUnclosedNestingIsRefusedWithoutAServerError() {
        MatrixException e = refusal(roomy, "[".repeat(50_000).getBytes(StandardCharsets.UTF_8));
        assertEquals(400, e.status());
    }

    @Test
    void bracketsInsideStringsDoNotCountAsNesting() throws Exception {
        String text = "{\"a\":\"" + "[{".repeat(500) + "\\\"[\"}";
        JsonObject body = roomy.readFrom(JsonObject.class, JsonObject.class, null, null, null,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(body.getString("a").startsWith("[{"));
    }

    @Test
    void numbersBeyondABigDecimalAreBadJson() {
        for (String number : new String[]{"1E+99999999999", "-1e99999999999", "1E-99999999999", "0.5e+2147483648"}) {
            MatrixException e = refusal(roomy, ("{\"a\":" + number + "}").getBytes(StandardCharsets.UTF_8));
            assertEquals(ErrorCode.M_BAD_JSON, e.errcode(), number);
            assertEquals(400, e.status(), number);
        }
    }

    @Test
    void numbersBeyondADoublesRangeAreBadJson() {
        for (String number : new String[]{"1E+99999999", "1e401", "-1e-401", "1" + "0".repeat(401)}) {
            assertEquals(ErrorCode.M_BAD_JSON,
                    refusal(roomy, ("{\"a\":[" + number + "]}").getBytes(StandardCharsets.UTF_8)).errcode(), number);
        }
    }

    @Test
    void ordinaryNumbersAreRead() throws Exception {
        JsonObject body = roomy.readFrom(JsonObject.class, JsonObject.class, null, null, null, new ByteArrayInputStream(
                "{\"a\":9007199254740991,\"b\":1.5e300,\"c\":0e999999,\"d\":-2.5E-300}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(9007199254740991L, body.getJsonNumber("a").longValueExact());
        assertEquals(4, body.size());
    }

    @Test
    void aBodyCutShortByTheClientIsAClientError() {
        java.io.InputStream stalled = new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException(new java.util.concurrent.TimeoutException());
            }
        };
        MatrixException e = assertThrows(MatrixException.class,
                () -> roomy.readFrom(JsonObject.class, JsonObject.class, null, null, null, stalled));
        assertEquals(400, e.status());
        assertEquals(ErrorCode.M_NOT_JSON, e.errcode());
    }

    @Test
    void anythingAfterTheObjectIsNotJson() {
        for (String text : new String[]{"{\"a\":1}x", "{}{}", "{} []", "{\"a\":1} 2", "{}]"}) {
            assertEquals(ErrorCode.M_NOT_JSON, refusal(roomy, text.getBytes(StandardCharsets.UTF_8)).errcode(), text);
        }
    }

    @Test
    void whitespaceAroundTheObjectIsFine() throws Exception {
        JsonObject body = roomy.readFrom(JsonObject.class, JsonObject.class, null, null, null,
                new ByteArrayInputStream(" \n{\"a\":1}\r\n ".getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, body.getInt("a"));
    }
}
