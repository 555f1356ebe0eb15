package org.turnkey.device;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** device_management.yaml: last_seen_* "may be a few minutes out of date, for efficiency reasons". */
class LastSeenThrottleTest {

    @Test
    @DisplayName("At most one write per device per interval")
    void oneWritePerInterval() {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100);
        assertNotNull(throttle.due("@a:x", "D1", "1.1.1.1", "UA", 0));
        assertNull(throttle.due("@a:x", "D1", "1.1.1.1", "UA", 59_999));
        assertNotNull(throttle.due("@a:x", "D1", "1.1.1.1", "UA", 60_000));
        assertNotNull(throttle.due("@a:x", "D2", "1.1.1.1", "UA", 60_001));
    }

    @Test
    @DisplayName("A new address is written at once; a forgotten device is written next time")
    void newAddressAndForget() {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100);
        assertNotNull(throttle.due("@a:x", "D1", "1.1.1.1", "UA", 0));
        assertNotNull(throttle.due("@a:x", "D1", "2.2.2.2", "UA", 1));
        throttle.forget("@a:x", "D1");
        assertNotNull(throttle.due("@a:x", "D1", "2.2.2.2", "UA", 2));
    }

    @Test
    @DisplayName("Requests of one device racing past the interval write it once")
    void oneWriteWhenRequestsRace() throws Exception {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100);
        assertNotNull(throttle.due("@a:x", "D1", "1.1.1.1", "UA", 0));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LastSeenThrottle.Sighting>> writes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                writes.add(pool.submit(() -> throttle.due("@a:x", "D1", "1.1.1.1", "UA", 60_000)));
            }
            int written = 0;
            for (Future<LastSeenThrottle.Sighting> write : writes) {
                written += write.get() != null ? 1 : 0;
            }
            assertEquals(1, written);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("The first requests of a new device racing each other write it once")
    void oneWriteWhenFirstRequestsRace() throws Exception {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LastSeenThrottle.Sighting>> writes = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                writes.add(pool.submit(() -> throttle.due("@a:x", "D1", "1.1.1.1", "UA", 5)));
            }
            int written = 0;
            for (Future<LastSeenThrottle.Sighting> write : writes) {
                written += write.get() != null ? 1 : 0;
            }
            assertEquals(1, written);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("A throttle remembers at most its size in devices")
    void throttleIsBounded() {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100, Runnable::run);
        for (int i = 0; i < 1_000; i++) {
            assertNotNull(throttle.due("@a:x", "D" + i, "1.1.1.1", "UA", i));
        }
        assertTrue(throttle.remembered() <= 100, "remembered " + throttle.remembered());
    }

    @Test
    @DisplayName("A full throttle forgets rarely seen devices one at a time, so the active ones are not written again")
    void fullThrottleKeepsActiveDevices() {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100, Runnable::run);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 50; i++) {
                throttle.due("@a:x", "ACTIVE" + i, "1.1.1.1", "UA", round);
            }
        }
        // Twice the throttle's size in devices seen once each: the old map emptied itself here.
        for (int i = 0; i < 200; i++) {
            assertNotNull(throttle.due("@a:x", "ONCE" + i, "1.1.1.1", "UA", 10));
        }
        for (int i = 0; i < 50; i++) {
            assertNull(throttle.due("@a:x", "ACTIVE" + i, "1.1.1.1", "UA", 20), "ACTIVE" + i);
        }
    }

    @Test
    @DisplayName("A device used often long ago is forgotten before the devices in use now: use counts age")
    void oldPopularityFades() {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100, Runnable::run);
        for (int i = 0; i < 64; i++) {
            throttle.due("@a:x", "STALE", "1.1.1.1", "UA", 0);
        }
        for (int i = 0; i < 89; i++) {
            throttle.due("@a:x", "ACTIVE" + i, "1.1.1.1", "UA", 0);
            throttle.due("@a:x", "ACTIVE" + i, "1.1.1.1", "UA", 0);
        }
        int once = 0;
        // Each round: the active devices once each, then new devices until a trim.
        for (int round = 0; round < 80; round++) {
            for (int i = 0; i < 89; i++) {
                throttle.due("@a:x", "ACTIVE" + i, "1.1.1.1", "UA", 1);
            }
            for (int i = 0; i < 11; i++) {
                throttle.due("@a:x", "ONCE" + once++, "1.1.1.1", "UA", 1);
            }
        }
        for (int i = 0; i < 89; i++) {
            assertNull(throttle.due("@a:x", "ACTIVE" + i, "1.1.1.1", "UA", 2), "ACTIVE" + i);
        }
        // Without ageing its 64 uses would keep it for good; halved every 1,000 requests, it fell below the rest.
        assertNotNull(throttle.due("@a:x", "STALE", "1.1.1.1", "UA", 2));
    }

    @Test
    @DisplayName("A device's sightings share one entry, which holds the newest time and address for the write")
    void oneEntryPerDeviceHoldsTheNewestSighting() {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100);
        LastSeenThrottle.Sighting first = throttle.due("@a:x", "D1", "1.1.1.1", "UA", 0);
        assertSame(first, throttle.due("@a:x", "D1", "2.2.2.2", "UA", 10));
        assertEquals(new LastSeenThrottle.Row("@a:x", "D1", 10, "2.2.2.2", "UA"), first.row());
        assertSame(first, throttle.due("@a:x", "D1", "2.2.2.2", "UA", 60_010));
        assertEquals(new LastSeenThrottle.Row("@a:x", "D1", 60_010, "2.2.2.2", "UA"), first.row());
    }

    @Test
    @DisplayName("A new user agent alone waits for the next due write, which carries the newest one")
    void userAgentIsWrittenWithTheNextDueSighting() {
        LastSeenThrottle throttle = new LastSeenThrottle(60_000, 100);
        LastSeenThrottle.Sighting first = throttle.due("@a:x", "D1", "1.1.1.1", "Element/1", 0);
        assertNull(throttle.due("@a:x", "D1", "1.1.1.1", "Element/2", 10));
        assertEquals(new LastSeenThrottle.Row("@a:x", "D1", 0, "1.1.1.1", "Element/1"), first.row());
        assertSame(first, throttle.due("@a:x", "D1", "1.1.1.1", "Element/2", 60_000));
        assertEquals(new LastSeenThrottle.Row("@a:x", "D1", 60_000, "1.1.1.1", "Element/2"), first.row());
    }
}
