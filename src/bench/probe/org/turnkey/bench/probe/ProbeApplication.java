package org.turnkey.bench.probe;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * Benchmark only (P3), never part of Turnkey: {@code src/bench/run.sh} deploys this beside
 * Turnkey in the same Payara Micro, so raw Argon2id hashes run in the same JVM, on the same
 * request threads, as the logins they are compared with.
 */
@ApplicationPath("/")
public class ProbeApplication extends Application {
}
