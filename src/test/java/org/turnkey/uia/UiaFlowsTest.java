package org.turnkey.uia;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec "User-Interactive Authentication API / Overview": flows of stages completed in order. */
class UiaFlowsTest {

    private final UiaFlows flows = UiaFlows.of(List.of(
            List.of("example.type.foo", "example.type.bar"),
            List.of("example.type.foo", "example.type.baz")));

    @Test
    @DisplayName("The first stage of any flow may start; later stages must wait their turn")
    void stagesInOrder() {
        assertEquals(List.of("example.type.foo"), flows.next(List.of()));
        assertEquals(List.of("example.type.bar", "example.type.baz"), flows.next(List.of("example.type.foo")));
        assertTrue(flows.offers("example.type.bar"));
        assertFalse(flows.next(List.of()).contains("example.type.bar"));
    }

    @Test
    @DisplayName("Authentication is complete when every stage of one flow is")
    void completion() {
        assertFalse(flows.complete(List.of()));
        assertFalse(flows.complete(List.of("example.type.foo")));
        assertTrue(flows.complete(List.of("example.type.foo", "example.type.baz")));
        assertTrue(UiaFlows.of(List.of(List.of("m.login.password"))).complete(List.of("m.login.password")));
    }

    @Test
    @DisplayName("A stage no flow offers is never next")
    void unknownStage() {
        assertFalse(flows.offers("m.login.dummy"));
        assertTrue(flows.next(List.of("m.login.dummy")).isEmpty());
    }

    @Test
    @DisplayName("An endpoint must offer at least one non-empty flow")
    void emptyFlowsRejected() {
        assertThrows(IllegalArgumentException.class, () -> UiaFlows.of(List.of()));
        assertThrows(IllegalArgumentException.class, () -> UiaFlows.of(List.of(List.of())));
    }
}
