package org.turnkey.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Serves the Matrix API from the context root, where clients expect {@code /_matrix/...}. */
@ApplicationPath("/")
public class TurnkeyApplication extends Application {
}
