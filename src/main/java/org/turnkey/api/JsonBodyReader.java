package org.turnkey.api;

import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
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
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * Reads every request body as a JSON object, whatever the Content-Type (the spec makes the
 * header optional). Enforces the size limit while reading and insists on UTF-8, so that a bad
 * body becomes {@code M_TOO_LARGE} or {@code M_NOT_JSON} instead of a container error page.
 * An empty body reads as {@code {}} so endpoints report the missing fields themselves.
 *
 * <p>Valid JSON that no Matrix request needs is refused as {@code M_BAD_JSON} before it can
 * hurt: nesting deeper than {@value #MAX_DEPTH} levels (the parser's own limit, 1000, fails
 * with an error that is not a {@code JsonException}) and numbers whose decimal exponent is
 * beyond ±{@value #MAX_EXPONENT} ({@code 1E+99999999999} does not fit a {@code BigDecimal};
 * smaller giants would make arithmetic on them arbitrarily slow). No endpoint takes a number
 * outside a double's range.
 */
@Provider
// JSON media types named as well as the wildcard: a server's own JSON-P reader (RESTEasy's on
// WildFly) declares them, and at an equally close match the application's reader wins; with the
// wildcard alone RESTEasy would parse application/json bodies itself, without these limits.
@Consumes({MediaType.APPLICATION_JSON, "application/*+json", "text/json", MediaType.WILDCARD})
public class JsonBodyReader implements MessageBodyReader<JsonObject> {

    static final int MAX_DEPTH = 100;
    static final int MAX_EXPONENT = 400;

    @Inject
    TurnkeyConfig config;

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == JsonObject.class;
    }

    @Override
    public JsonObject readFrom(Class<JsonObject> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                               MultivaluedMap<String, String> headers, InputStream in) throws IOException {
        byte[] bytes;
        try {
            bytes = readLimited(in, config.maxBodyBytes());
        } catch (IOException e) {
            // The client stopped sending (the listener's read timeout) or went away: its fault, not ours.
            throw MatrixException.notJson("Request body ended before its announced length");
        }
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
        return parse(text);
    }

    static JsonObject parse(String text) {
        if (nestingDepth(text) > MAX_DEPTH) {
            throw MatrixException.badJson("JSON nested deeper than " + MAX_DEPTH + " levels");
        }
        JsonObject object;
        // A parser rather than a JsonReader: the reader stops after the first value and would
        // take {"a":1}x for {"a":1}; the parser reports what follows it.
        try (JsonParser parser = Jsons.createParser(new StringReader(text))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw MatrixException.notJson("Request body must be a JSON object");
            }
            object = parser.getObject();
            if (parser.hasNext()) {
                throw MatrixException.notJson("Request body has more after its JSON object");
            }
        } catch (JsonException | IllegalStateException | NoSuchElementException e) {
            throw MatrixException.notJson("Request body is not valid JSON");
        } catch (NumberFormatException | ArithmeticException e) {
            // Syntactically a number, but not one a BigDecimal can hold.
            throw numberOutOfRange();
        }
        checkNumbers(object);
        return object;
    }

    /**
     * The deepest nesting of objects and arrays, brackets inside strings not counted. Invalid
     * JSON may get any answer here: the parser refuses it afterwards.
     */
    static int nestingDepth(String text) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                max = Math.max(max, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return max;
    }

    /** Recursion is bounded by {@link #MAX_DEPTH}, checked before parsing. */
    private static void checkNumbers(JsonValue value) {
        switch (value.getValueType()) {
            case OBJECT -> value.asJsonObject().values().forEach(JsonBodyReader::checkNumbers);
            case ARRAY -> value.asJsonArray().forEach(JsonBodyReader::checkNumbers);
            case NUMBER -> {
                BigDecimal number;
                try {
                    number = ((JsonNumber) value).bigDecimalValue();
                } catch (NumberFormatException | ArithmeticException e) {
                    throw numberOutOfRange();
                }
                long exponent = (long) number.precision() - number.scale() - 1;
                if (number.signum() != 0 && Math.abs(exponent) > MAX_EXPONENT) {
                    throw numberOutOfRange();
                }
            }
            default -> {
            }
        }
    }

    private static MatrixException numberOutOfRange() {
        return MatrixException.badJson("Number out of range");
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
