package org.turnkey.api;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Optional;

/** Typed access to a request's JSON object: wrong shapes become 400s with the spec's errcodes. */
public record JsonBody(JsonObject json) {

    public static JsonBody of(JsonObject json) {
        return new JsonBody(json == null ? JsonValue.EMPTY_JSON_OBJECT : json);
    }

    public boolean has(String name) {
        return json.containsKey(name) && json.get(name).getValueType() != JsonValue.ValueType.NULL;
    }

    public String requireString(String name) {
        return optionalString(name).orElseThrow(() -> MatrixException.missingParam(name));
    }

    public Optional<String> optionalString(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        if (json.get(name) instanceof JsonString s) {
            if (!Text.acceptable(s.getString())) {
                throw MatrixException.invalidParam("'" + name + "' must not contain U+0000");
            }
            return Optional.of(s.getString());
        }
        throw MatrixException.badJson("'" + name + "' must be a string");
    }

    public boolean optionalBoolean(String name, boolean fallback) {
        if (!has(name)) {
            return fallback;
        }
        JsonValue value = json.get(name);
        if (value == JsonValue.TRUE) {
            return true;
        }
        if (value == JsonValue.FALSE) {
            return false;
        }
        throw MatrixException.badJson("'" + name + "' must be a boolean");
    }

    public Optional<Long> optionalLong(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        if (json.get(name) instanceof JsonNumber n && n.isIntegral()) {
            try {
                return Optional.of(n.longValueExact());
            } catch (ArithmeticException e) {
                // Beyond 64 bits: refused below rather than silently truncated.
            }
        }
        throw MatrixException.badJson("'" + name + "' must be an integer");
    }

    public Optional<JsonBody> optionalObject(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        if (json.get(name) instanceof JsonObject o) {
            return Optional.of(new JsonBody(o));
        }
        throw MatrixException.badJson("'" + name + "' must be an object");
    }

    public JsonBody requireObject(String name) {
        return optionalObject(name).orElseThrow(() -> MatrixException.missingParam(name));
    }
}
