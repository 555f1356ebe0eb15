package org.turnkey.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

import java.util.Map;

/** Serves the Matrix API from the context root, where clients expect {@code /_matrix/...}. */
@ApplicationPath("/")
public class TurnkeyApplication extends Application {

    /**
     * No response buffering by Jersey: {@link JsonObjectWriter} sets the length of every JSON body
     * itself, so the buffer Jersey would allocate per response to count it is garbage.
     */
    @Override
    public Map<String, Object> getProperties() {
        return Map.of("jersey.config.server.contentLength.buffer", 0);
    }
}
