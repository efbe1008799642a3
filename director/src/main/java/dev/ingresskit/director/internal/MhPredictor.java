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
    private final Map<ServiceKey, Map<DestinationKey, Integer>> lastWeights = new HashMap<>();

    /** Learns destinations seen for the first time; forgets those gone. */
    public void observe(IpvsState kernel) {
        Map<ServiceKey, Map<DestinationKey, Integer>> next = new HashMap<>();
        for (VirtualService v : kernel.services()) {
            Map<DestinationKey, Integer> known = lastWeights.getOrDefault(v.service().key(), Map.of());
            Map<DestinationKey, Integer> m = new HashMap<>();
            for (Destination d : v.destinations()) {
                Integer last = known.get(d.key());
                m.put(d.key(), d.weight() != 0 || last == null ? d.weight() : last);
            }
            next.put(v.service().key(), m);
        }
        lastWeights.clear();
        lastWeights.putAll(next);
    }

    /** Follows changes the kernel acknowledged: adds set {@code last_weight}, edits to non-zero too. */
    public void applied(List<Change> changes) {
        for (Change c : changes) {
            ServiceKey k = c.service().key();
            switch (c.kind()) {
                case CREATE_SERVICE -> lastWeights.put(k, new HashMap<>());
                case DELETE_SERVICE -> lastWeights.remove(k);
                case CREATE_DESTINATION -> lastWeights.computeIfAbsent(k, x -> new HashMap<>())
                        .put(c.destination().key(), c.destination().weight());
                case UPDATE_DESTINATION -> {
                    if (c.destination().weight() != 0) {
                        lastWeights.computeIfAbsent(k, x -> new HashMap<>())
                                .put(c.destination().key(), c.destination().weight());
                    }
                }
                case DELETE_DESTINATION -> lastWeights.getOrDefault(k, new HashMap<>()).remove(c.destination().key());
                case UPDATE_SERVICE -> { }
            }
        }
    }

    /** The {@code last_weight}s known for one service's destinations (a copy). */
    public Map<DestinationKey, Integer> lastWeights(ServiceKey service) {
        return Map.copyOf(lastWeights.getOrDefault(service, Map.of()));
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
