package org.turnkey.persistence;

import java.util.concurrent.ThreadLocalRandom;

/** Row ids chosen by the application: portable across H2 and PostgreSQL, no sequence round trip. */
public final class Ids {

    private Ids() {
    }

    public static long next() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
