package org.turnkey.device;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When the batched last-seen writes go to the database (device_management.yaml: "a few minutes out of date" is allowed). */
class DeviceActivityTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    @DisplayName("A few sightings wait for the second, then are written")
    void fewSightingsWaitForTheSecond() {
        assertFalse(DeviceActivity.due(1, 999 * MS, false));
        assertTrue(DeviceActivity.due(1, 1000 * MS, false));
    }

    @Test
    @DisplayName("Many sightings are written at once, in small batches instead of one large one a second")
    void manySightingsAreWrittenEarly() {
        assertFalse(DeviceActivity.due(DeviceActivity.EARLY_ROWS - 1, 100 * MS, false));
        assertTrue(DeviceActivity.due(DeviceActivity.EARLY_ROWS, 100 * MS, false));
    }

    @Test
    @DisplayName("Nothing pending, nothing written")
    void nothingPending() {
        assertFalse(DeviceActivity.due(0, 10_000 * MS, false));
    }

    @Test
    @DisplayName("While the database fails, retries come once a second however many sightings wait")
    void outageRetriesOnceASecond() {
        assertFalse(DeviceActivity.due(50_000, 500 * MS, true));
        assertTrue(DeviceActivity.due(50_000, 1000 * MS, true));
    }
}
