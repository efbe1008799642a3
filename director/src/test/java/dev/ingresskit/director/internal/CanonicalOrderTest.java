package dev.ingresskit.director.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationKey;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.VirtualService;
import dev.ingresskit.testsupport.Seeds;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CanonicalOrder} against the kernel's own list semantics ({@link IpvsState#apply}): from any
 * starting order the plan ends canonical with the wanted set and weights, and no plan re-adds fewer
 * destinations (checked by brute force over every choice of destinations left untouched).
 */
class CanonicalOrderTest {
    private static final Service SERVICE = Service.builder().tcp("192.0.2.1", 80).scheduler("mh").build();

    static LongStream seeds() {
        return Seeds.of("canonicalOrder", 400);
    }

    private static Destination dest(int host, int weight) {
        try {
            // a mix of IPv4 and IPv6 real servers (tunnel forwarding allows both)
            InetAddress a = host % 5 == 4 ? InetAddress.getByName("2001:db8::" + Integer.toHexString(host))
                    : InetAddress.getByName("10.0." + (host / 200) + "." + (host % 200));
            return Destination.builder(a, 80).forwarding(ForwardingMethod.TUNNEL).weight(weight).build();
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void anyStartEndsCanonicalWithTheFewestReAdds(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int universe = 2 + random.nextInt(9);
        List<Destination> kernel = new ArrayList<>();
        List<Destination> wanted = new ArrayList<>();
        for (int h = 0; h < universe; h++) {
            if (random.nextInt(3) > 0) {
                kernel.add(dest(h * 7 + 1, random.nextInt(4)));
            }
            if (random.nextInt(4) > 0) {
                wanted.add(dest(h * 7 + 1, random.nextInt(4)));
            }
        }
        java.util.Collections.shuffle(kernel, new java.util.Random(random.nextLong()));
        java.util.Collections.shuffle(wanted, new java.util.Random(random.nextLong()));
        IpvsState before = IpvsState.of(new VirtualService(SERVICE, kernel));

        List<Change> changes = CanonicalOrder.plan(SERVICE, kernel, wanted);
        List<Destination> after = before.apply(new Plan(changes)).services().getFirst().destinations();

        assertEquals(CanonicalOrder.kernelOrder(wanted), after, "canonical order, wanted set and weights");
        assertTrue(CanonicalOrder.isCanonical(after));
        assertEquals(minimumReAdds(kernel, wanted), reAdds(changes), () -> "not minimal: " + changes);
        Set<DestinationKey> once = new HashSet<>();
        for (Change c : changes) {
            if (c.kind() == Change.Kind.CREATE_DESTINATION) {
                assertTrue(once.add(c.destination().key()), "added twice: " + c);
            }
        }
    }

    @Test
    void aFreshServiceIsAddedInAscendingOrderAndListedDescending() {
        List<Destination> wanted = List.of(dest(9, 1), dest(3, 1), dest(4, 2), dest(1, 1));
        List<Change> changes = CanonicalOrder.plan(SERVICE, List.of(), wanted);
        assertEquals(List.of("10.0.0.1:80", "10.0.0.3:80", "[2001:db8::4]:80", "[2001:db8::9]:80"),
                changes.stream().map(c -> c.destination().key().toString()).toList());
        assertEquals(0, reAdds(changes));
    }

    @Test
    void aNewHighestBackendCostsNoReAddAndANewLowestReAddsTheOthers() {
        List<Destination> kernel = CanonicalOrder.kernelOrder(List.of(dest(5, 1), dest(6, 1), dest(7, 1)));
        List<Destination> higher = List.of(dest(5, 1), dest(6, 1), dest(7, 1), dest(8, 1));
        assertEquals(List.of("CREATE_DESTINATION 10.0.0.8:80"), describe(CanonicalOrder.plan(SERVICE, kernel, higher)));
        List<Destination> lower = List.of(dest(2, 1), dest(5, 1), dest(6, 1), dest(7, 1));
        assertEquals(List.of("CREATE_DESTINATION 10.0.0.2:80", "DELETE_DESTINATION 10.0.0.5:80",
                "CREATE_DESTINATION 10.0.0.5:80", "DELETE_DESTINATION 10.0.0.6:80", "CREATE_DESTINATION 10.0.0.6:80",
                "DELETE_DESTINATION 10.0.0.7:80", "CREATE_DESTINATION 10.0.0.7:80"),
                describe(CanonicalOrder.plan(SERVICE, kernel, lower)));
        // removing any one never re-orders
        assertEquals(List.of("DELETE_DESTINATION 10.0.0.6:80"),
                describe(CanonicalOrder.plan(SERVICE, kernel, List.of(dest(5, 1), dest(7, 1)))));
    }

    private static List<String> describe(List<Change> changes) {
        return changes.stream().map(c -> c.kind() + " " + c.destination().key()).toList();
    }

    /** Destinations deleted and created again by one plan. */
    private static int reAdds(List<Change> changes) {
        Set<DestinationKey> deleted = new HashSet<>();
        int n = 0;
        for (Change c : changes) {
            if (c.kind() == Change.Kind.DELETE_DESTINATION) {
                deleted.add(c.destination().key());
            } else if (c.kind() == Change.Kind.CREATE_DESTINATION && deleted.contains(c.destination().key())) {
                n++;
            }
        }
        return n;
    }

    /**
     * Brute force: over every subset of the present, wanted destinations that could stay untouched,
     * the largest whose survivors (everything else deleted, the rest added ascending) end canonical.
     */
    private static int minimumReAdds(List<Destination> kernel, List<Destination> wanted) {
        Set<DestinationKey> wantedKeys = new HashSet<>();
        wanted.forEach(d -> wantedKeys.add(d.key()));
        List<Destination> presentWanted = kernel.stream().filter(d -> wantedKeys.contains(d.key())).toList();
        int best = 0;
        for (int mask = 0; mask < 1 << presentWanted.size(); mask++) {
            List<DestinationKey> kept = new ArrayList<>(); // newest first, as the kernel keeps them
            for (int i = 0; i < presentWanted.size(); i++) {
                if ((mask & 1 << i) != 0) {
                    kept.add(presentWanted.get(i).key());
                }
            }
            List<DestinationKey> added = new ArrayList<>();
            wanted.forEach(d -> {
                if (!kept.contains(d.key())) {
                    added.add(d.key());
                }
            });
            added.sort(null);
            List<DestinationKey> result = new ArrayList<>(added.reversed());
            result.addAll(kept);
            List<DestinationKey> canonical = new ArrayList<>(wantedKeys);
            canonical.sort(java.util.Comparator.reverseOrder());
            if (result.equals(canonical)) {
                best = Math.max(best, kept.size());
            }
        }
        return presentWanted.size() - best;
    }
}
