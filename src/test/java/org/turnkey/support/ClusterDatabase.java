package org.turnkey.support;

import java.util.Map;

/** The one database several Turnkey processes share in a test. */
public final class ClusterDatabase {

    private ClusterDatabase() {
    }

    /** Environment for {@link PayaraProcess} instances that must share a database. */
    public static Map<String, String> environment(String name) {
        String dir = PayaraProcess.dataDir(name).getPath();
        return Map.of("TURNKEY_DB_URL", "jdbc:h2:file:" + dir
                        + "/turnkey;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE",
                "TURNKEY_DB_USER", "turnkey", "TURNKEY_DB_PASSWORD", "turnkey");
    }
}
