package org.turnkey.api;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import org.turnkey.config.TurnkeyConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads every request body as a JSON object, whatever the Content-Type (the spec makes the
 * header optional). Enforces the size limit while reading and insists on UTF-8, so that a bad
 * body becomes {@code M_TOO_LARGE} or {@code M_NOT_JSON} instead of a container error page.
 * An empty body reads as {@code {}} so endpoints report the missing fields themselves.
 */
@Provider
@Consumes(MediaType.WILDCARD)
public class JsonBodyReader implements MessageBodyReader<JsonObject> {

    @Inject
    TurnkeyConfig config;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonObject.class;
    }

    @Override
    public JsonObject readFrom(Class<JsonObject> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                               MultivaluedMap<String, String> headers, InputStream in) throws IOException {
        byte[] bytes = readLimited(in, config.maxBodyBytes());
        if (bytes.length == 0) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw MatrixException.notJson("Request body is not valid UTF-8");
        }
        if (text.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        JsonStructure parsed;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            parsed = reader.read();
        } catch (JsonException | IllegalStateException e) {
            throw MatrixException.notJson("Request body is not valid JSON");
        }
        if (!(parsed instanceof JsonObject object)) {
            throw MatrixException.notJson("Request body must be a JSON object");
        }
        return object;
    }

    /** Past the limit the rest is read and dropped (up to a cap) so the client gets the 413 instead of a reset. */
    static byte[] readLimited(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) != -1; ) {
            total += n;
            if (total > limit) {
                long drainCap = Math.max(limit * 16, 64L * 1024 * 1024);
                while (total < drainCap && (n = in.read(buffer)) != -1) {
                    total += n;
                }
                throw MatrixException.tooLarge(limit);
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
