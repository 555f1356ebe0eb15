package org.turnkey.uia;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Flow rules of the spec's "User-Interactive Authentication API": a client follows one flow,
 * completing its stages in order; authentication is complete when every stage of one flow is.
 */
public record UiaFlows(List<List<String>> flows) {

    public UiaFlows {
        if (flows.isEmpty() || flows.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("Every endpoint needs at least one non-empty flow");
        }
        flows = flows.stream().map(List::copyOf).toList();
    }

    public static UiaFlows of(List<List<String>> flows) {
        return new UiaFlows(flows);
    }

    /** Whether any flow has this stage at all. */
    public boolean offers(String stage) {
        return flows.stream().anyMatch(f -> f.contains(stage));
    }

    /** The stages a client may attempt next, given the ones done so far (in order). */
    public List<String> next(List<String> completed) {
        List<String> next = new ArrayList<>();
        for (List<String> flow : flows) {
            if (flow.size() > completed.size() && flow.subList(0, completed.size()).equals(completed)
                    && !next.contains(flow.get(completed.size()))) {
                next.add(flow.get(completed.size()));
            }
        }
        return next;
    }

    /** Whether the completed stages finish one flow. */
    public boolean complete(Collection<String> completed) {
        List<String> done = List.copyOf(completed);
        return flows.stream().anyMatch(done::equals)
                || flows.stream().anyMatch(f -> done.size() >= f.size() && done.subList(0, f.size()).equals(f));
    }
}
