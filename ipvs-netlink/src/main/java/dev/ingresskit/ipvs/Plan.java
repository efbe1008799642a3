package dev.ingresskit.ipvs;

import java.util.List;

/**
 * The commands that turn one {@link IpvsState} into another, in the order they run: service
 * deletions first (a service's destinations go with it), then per desired service its creation or
 * update, destination deletions, updates (weights change in place) and creations.
 */
public record Plan(List<Change> changes) {
    public Plan {
        changes = List.copyOf(changes);
    }

    /** The minimal plan from {@code current} to {@code desired}; pure, touches no kernel. */
    public static Plan between(IpvsState current, IpvsState desired) {
        return Planner.plan(current, desired);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }

    public int size() {
        return changes.size();
    }

    /** One change a line; {@code (no changes)} when empty. */
    @Override
    public String toString() {
        if (changes.isEmpty()) {
            return "(no changes)\n";
        }
        StringBuilder text = new StringBuilder();
        for (Change c : changes) {
            text.append(c).append('\n');
        }
        return text.toString();
    }
}
