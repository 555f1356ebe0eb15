package org.turnkey.api;

import jakarta.json.JsonObject;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Writes every JSON response body (all are objects) as UTF-8 with its exact {@code Content-Length}.
 * The JSON-P writer Jersey ships opens an {@code OutputStreamWriter} per response (an 8 KiB
 * encoder buffer) and Jersey buffers the entity in another 8 KiB to count its length: on small
 * bodies such as {@code /whoami}'s, most of a request's garbage, and so of the young collections
 * that pause the server. {@link TurnkeyApplication} turns Jersey's buffer off; the length is
 * known here. Declared for
 * {@code JsonObject}, closer to the entities' classes than the platform's {@code JsonStructure}
 * writer, so Jersey chooses this one.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class JsonObjectWriter implements MessageBodyWriter<JsonObject> {

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonObject.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(JsonObject value, Class<?> type, Type genericType, Annotation[] annotations,
                        MediaType mediaType, MultivaluedMap<String, Object> headers, OutputStream out)
            throws IOException {
        // JsonValue.toString() is specified to return the value's JSON text.
        byte[] body = value.toString().getBytes(StandardCharsets.UTF_8);
        headers.putSingle(HttpHeaders.CONTENT_LENGTH, body.length);
        out.write(body);
    }
}
