package org.turnkey.persistence;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TurnkeyDataSourceTest {

    private static final String DEFAULT = "jdbc:h2:file:./data/turnkey;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    @Test
    void anH2UrlWithoutAWriteDelayCommitsToTheFileBeforeTheCommitReturns() {
        assertEquals(DEFAULT + ";WRITE_DELAY=0", TurnkeyDataSource.durableH2Url(DEFAULT));
        assertEquals("jdbc:h2:file:/d/t;WRITE_DELAY=0", TurnkeyDataSource.durableH2Url("jdbc:h2:file:/d/t"));
    }

    @Test
    void aWriteDelayTheOperatorNamesIsKept() {
        assertEquals(DEFAULT + ";write_delay=500", TurnkeyDataSource.durableH2Url(DEFAULT + ";write_delay=500"));
        assertEquals("500", TurnkeyDataSource.writeDelay(DEFAULT + "; WRITE_DELAY = 500 ;AUTO_SERVER=TRUE"));
        assertEquals("0", TurnkeyDataSource.writeDelay(DEFAULT + ";WRITE_DELAY=0"));
    }

    @Test
    void onlyASettingCountsAsAWriteDelay() {
        assertNull(TurnkeyDataSource.writeDelay("jdbc:h2:file:/data/WRITE_DELAY=1/turnkey"));
        assertNull(TurnkeyDataSource.writeDelay(DEFAULT));
    }
}
