package org.turnkey.bench.floor;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The "floor" WAR of P5 and P6 (org.turnkey.bench.Footprint): the smallest application built
 * the way Turnkey is (Jakarta REST at the root, CDI, JPA on a JTA data source declared in
 * web.xml, a query before the first request), so the table shows how much of Turnkey's ratios to
 * the hello-world WAR the platform itself costs. Jersey scans this WAR for its resources, as
 * Turnkey's application does.
 */
@ApplicationPath("/")
public class FloorApplication extends Application {
}
