package dev.ingresskit.director.internal;

import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationKey;
import dev.ingresskit.ipvs.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps an {@code mh} service's destination list in one order that depends only on the set of
 * destinations, so that every director of a fleet builds the same {@code ip_vs_mh} table whatever
 * its history.
 *
 * <p>The kernel puts each added destination at the head of the list and fills the table walking the
 * list head first; it cannot move a destination except by deleting and re-adding it. The canonical
 * order is the one a fresh director produces: destinations added in ascending {@link DestinationKey}
 * order, so the kernel lists them descending (newest first).
 *
 * <p>Minimal re-ordering. Destinations that are not touched keep their relative order and end up
 * oldest, so they must be a prefix {@code a[0..k)} of the ascending order, and appear in that order
 * in the kernel's list read oldest first. {@link #plan} keeps the longest such prefix (found in one
 * pass) and adds {@code a[k..n)} in ascending order, deleting each one that is present just before it
 * is re-added (the gap its connections see is one netlink round trip). No valid plan re-adds fewer:
 * any other keeps a shorter prefix. Adding a destination above every present one costs no re-add;
 * one below the others costs re-adding those above it. Not thread-safe; stateless.
 */
public final class CanonicalOrder {
    private static final Comparator<Destination> ASCENDING = Comparator.comparing(Destination::key);

    private CanonicalOrder() {
    }

    /** The list (newest first) the kernel holds when {@code destinations} were added in canonical order. */
    public static List<Destination> kernelOrder(Collection<Destination> destinations) {
        List<Destination> list = new ArrayList<>(destinations);
        list.sort(ASCENDING.reversed());
        return list;
    }

    /** True when a kernel list (newest first) is in canonical order. */
    public static boolean isCanonical(List<Destination> newestFirst) {
        for (int i = 1; i < newestFirst.size(); i++) {
            if (newestFirst.get(i - 1).key().compareTo(newestFirst.get(i).key()) <= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The destination changes that take one service from the kernel's list {@code newestFirst} (empty
     * for a new service) to {@code desired} in canonical order: deletes of unwanted destinations, edits
     * of kept ones, then the (re-)adds in ascending order.
     */
    public static List<Change> plan(Service service, List<Destination> newestFirst, Collection<Destination> desired) {
        List<Destination> ascending = new ArrayList<>(desired);
        ascending.sort(ASCENDING);
        Map<DestinationKey, Destination> present = new HashMap<>();
        for (Destination d : newestFirst) {
            present.put(d.key(), d);
        }
        Set<DestinationKey> wanted = new HashSet<>();
        for (Destination d : ascending) {
            wanted.add(d.key());
        }
        List<Change> changes = new ArrayList<>();
        for (Destination d : newestFirst) {
            if (!wanted.contains(d.key())) {
                changes.add(new Change(Change.Kind.DELETE_DESTINATION, service, d, null));
            }
        }
        int kept = keptPrefix(newestFirst, ascending, wanted);
        for (int i = 0; i < kept; i++) {
            Destination want = ascending.get(i);
            Destination had = present.get(want.key());
            if (!had.equals(want)) {
                changes.add(new Change(Change.Kind.UPDATE_DESTINATION, service, want, had));
            }
        }
        for (int i = kept; i < ascending.size(); i++) {
            Destination want = ascending.get(i);
            Destination had = present.get(want.key());
            if (had != null) {
                changes.add(new Change(Change.Kind.DELETE_DESTINATION, service, had, null));
            }
            changes.add(new Change(Change.Kind.CREATE_DESTINATION, service, want, null));
        }
        return changes;
    }

    /**
     * How many of the smallest wanted destinations can stay: the longest prefix of {@code ascending}
     * that the kernel's list, read oldest first and without unwanted entries, holds as a subsequence.
     */
    private static int keptPrefix(List<Destination> newestFirst, List<Destination> ascending, Set<DestinationKey> wanted) {
        int matched = 0;
        for (int i = newestFirst.size() - 1; i >= 0 && matched < ascending.size(); i--) {
            DestinationKey k = newestFirst.get(i).key();
            if (!wanted.contains(k)) {
                continue;
            }
            if (k.equals(ascending.get(matched).key())) {
                matched++;
            }
            // else: k is re-added later, and deleting it first leaves the others' order as it is
        }
        return matched;
    }
}
