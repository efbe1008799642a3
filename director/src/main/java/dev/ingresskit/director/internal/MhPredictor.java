package dev.ingresskit.director.internal;

import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationKey;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.VirtualService;
import dev.ingresskit.maglev.IpvsMhTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the kernel's {@code ip_vs_mh} tables with the maglev module's {@link IpvsMhTable}, to
 * predict which backend the kernel picks for a client.
 *
 * <p>Two facts the kernel hides matter (see maglev's README): the order destinations were added
 * (the table is filled walking them newest first; the kernel lists them that way, so the add order
 * is the listing reversed) and {@code last_weight} — a destination edited to weight 0 keeps its
 * slots, one added with weight 0 has none. The predictor learns {@code last_weight} from the
 * changes it sees applied; for a weight-0 destination it found in the kernel at start it assumes
 * it was added at 0 (it cannot know better).
 *
 * <p>Not thread-safe.
 */
public final class MhPredictor {
    /**
     * Per service, immutable and replaced only when it changes, so a table's inputs can be compared
     * by identity on a run where nothing happened.
     */
    private final Map<ServiceKey, Map<DestinationKey, Integer>> lastWeights = new HashMap<>();
    /**
     * The listing each service had at the last {@link #observe}: the same (immutable) object again
     * means the kernel's service did not change, which the model kernel of a dry run says by handing
     * back untouched services as they were; a real kernel's listing is new on every read.
     */
    private Map<ServiceKey, VirtualService> lastSeen = Map.of();

    /** Learns destinations seen for the first time; forgets those gone. */
    public void observe(IpvsState kernel) {
        Map<ServiceKey, Map<DestinationKey, Integer>> next = HashMap.newHashMap(kernel.services().size());
        Map<ServiceKey, VirtualService> seen = HashMap.newHashMap(kernel.services().size());
        for (VirtualService v : kernel.services()) {
            ServiceKey k = v.service().key();
            Map<DestinationKey, Integer> known = lastWeights.getOrDefault(k, Map.of());
            next.put(k, lastSeen.get(k) == v ? known : learned(known, v.destinations()));
            seen.put(k, v);
        }
        lastWeights.clear();
        lastWeights.putAll(next);
        lastSeen = seen;
    }

    /** {@code known} itself when the kernel taught nothing new. */
    private static Map<DestinationKey, Integer> learned(Map<DestinationKey, Integer> known, List<Destination> dests) {
        boolean same = known.size() == dests.size();
        for (int i = 0; same && i < dests.size(); i++) {
            Destination d = dests.get(i);
            Integer last = known.get(d.key());
            same = last != null && (d.weight() == 0 || d.weight() == last);
        }
        if (same) {
            return known;
        }
        Map<DestinationKey, Integer> m = HashMap.newHashMap(dests.size());
        for (Destination d : dests) {
            Integer last = known.get(d.key());
            m.put(d.key(), d.weight() != 0 || last == null ? d.weight() : last);
        }
        return Map.copyOf(m);
    }

    /** Follows changes the kernel acknowledged: adds set {@code last_weight}, edits to non-zero too. */
    public void applied(List<Change> changes) {
        Map<ServiceKey, Map<DestinationKey, Integer>> editing = new HashMap<>();
        for (Change c : changes) {
            ServiceKey k = c.service().key();
            switch (c.kind()) {
                case CREATE_SERVICE -> editing.put(k, new HashMap<>());
                case DELETE_SERVICE -> {
                    editing.remove(k);
                    lastWeights.remove(k);
                }
                case CREATE_DESTINATION -> editable(editing, k).put(c.destination().key(), c.destination().weight());
                case UPDATE_DESTINATION -> {
                    if (c.destination().weight() != 0) {
                        editable(editing, k).put(c.destination().key(), c.destination().weight());
                    }
                }
                case DELETE_DESTINATION -> editable(editing, k).remove(c.destination().key());
                case UPDATE_SERVICE -> { }
            }
        }
        editing.forEach((k, m) -> lastWeights.put(k, Map.copyOf(m)));
    }

    private Map<DestinationKey, Integer> editable(Map<ServiceKey, Map<DestinationKey, Integer>> editing, ServiceKey k) {
        return editing.computeIfAbsent(k, x -> new HashMap<>(lastWeights.getOrDefault(k, Map.of())));
    }

    /** The {@code last_weight}s known for one service's destinations (immutable). */
    public Map<DestinationKey, Integer> lastWeights(ServiceKey service) {
        return lastWeights.getOrDefault(service, Map.of());
    }

    /**
     * The kernel's table for a service as listed by the kernel (newest destination first). A changed
     * scheduler or flags rebuild the kernel's table from the same list, so only the list matters.
     */
    public IpvsMhTable table(VirtualService service, int tableSize, boolean mhPort, boolean mhFallback) {
        IpvsMhTable.Builder b = IpvsMhTable.builder().tableSize(tableSize).mhPort(mhPort).mhFallback(mhFallback)
                .ipv6Service(service.service().family() == dev.ingresskit.ipvs.AddressFamily.INET6);
        Map<DestinationKey, Integer> last = lastWeights.getOrDefault(service.service().key(), Map.of());
        List<Destination> newestFirst = service.destinations();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Destination d = newestFirst.get(i);
            int lw = last.getOrDefault(d.key(), d.weight());
            b.add(d.address(), d.port(), lw);
            if (d.weight() != lw) {
                b.edit(d.address(), d.port(), d.weight());
            }
        }
        return b.build();
    }
}
