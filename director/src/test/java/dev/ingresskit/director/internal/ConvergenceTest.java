package dev.ingresskit.director.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.Health;
import dev.ingresskit.director.MutableClock;
import dev.ingresskit.director.ServiceConfig;
import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.VirtualService;
import dev.ingresskit.testsupport.Seeds;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fleet property: whatever a director lived through — backends added, removed, re-weighted,
 * drained by health, restarts, and a kernel it finds in any order — once it has converged, its
 * kernel holds exactly what a director started fresh on the final config holds, in the same order.
 * Non-{@code mh} services are never re-ordered (no destination is deleted and re-added for them).
 */
class ConvergenceTest {
    static LongStream seeds() {
        return Seeds.of("convergence", 300);
    }

    private static final int UNIVERSE = 14;

    /** One director's memory (lost on restart) with its kernel (kept). */
    private static final class Node {
        final MutableClock clock;
        Reconciler reconciler;
        final ModelKernel kernel;
        final Map<BackendRef, Health> health = new HashMap<>();
        int reorderedNonMh;

        Node(MutableClock clock, IpvsState start) {
            this.clock = clock;
            this.reconciler = new Reconciler(clock);
            this.kernel = new ModelKernel(start);
        }

        void step(DirectorConfig config) {
            Reconciler.Result r = reconciler.plan(config, health, kernel.state());
            List<String> deletedWrr = new ArrayList<>();
            for (Change c : r.plan().changes()) {
                boolean wrr = c.service().scheduler().equals("wrr");
                if (wrr && c.kind() == Change.Kind.DELETE_DESTINATION) {
                    deletedWrr.add(c.destination().key().toString());
                } else if (wrr && c.kind() == Change.Kind.CREATE_DESTINATION
                        && deletedWrr.contains(c.destination().key().toString())) {
                    reorderedNonMh++;
                }
            }
            kernel.execute(r.plan());
        }

        /** Runs until a plan is empty once every drain has ended. */
        void converge(DirectorConfig config) {
            for (int i = 0; i < 6; i++) {
                clock.advance(Duration.ofSeconds(31));
                step(config);
            }
            assertTrue(reconciler.plan(config, health, kernel.state()).plan().isEmpty(), "converged");
        }
    }

    private static String config(SplittableRandom random, Map<Integer, Integer> mhBackends, List<Integer> wrrBackends) {
        StringBuilder text = new StringBuilder("drain 30s\nservice web tcp 192.0.2.10:443\n  scheduler mh mh-fallback\n"
                + "  tunnel gue port 6080\n  check none\n");
        List<Integer> order = new ArrayList<>(mhBackends.keySet());
        Collections.shuffle(order, new Random(random.nextLong())); // config order must not matter
        for (int h : order) {
            text.append("  backend ").append(address(h)).append(" weight ").append(mhBackends.get(h)).append('\n');
        }
        text.append("service dns udp 192.0.2.53:53\n  scheduler wrr\n  tunnel ipip\n  check none\n");
        for (int h : wrrBackends) {
            text.append("  backend ").append(address(h)).append('\n');
        }
        return text.toString();
    }

    private static String address(int h) {
        return h % 4 == 3 ? "2001:db8::" + (h + 1) : "10.0.0." + (h + 1);
    }

    private static Map<Integer, Integer> randomBackends(SplittableRandom random) {
        Map<Integer, Integer> m = new HashMap<>();
        for (int h = 0; h < UNIVERSE; h++) {
            if (random.nextInt(3) > 0) {
                m.put(h, 1 + random.nextInt(3) * 50);
            }
        }
        return m;
    }

    /** A kernel that some earlier director left in an arbitrary order (a subset, random weights). */
    private static IpvsState scrambledKernel(SplittableRandom random, DirectorConfig config) throws Exception {
        List<VirtualService> services = new ArrayList<>();
        for (ServiceConfig s : config.services()) {
            List<Destination> ds = new ArrayList<>();
            for (int h = 0; h < UNIVERSE; h++) {
                if (random.nextBoolean()) {
                    ds.add(s.destination(InetAddress.getByName(address(h)), s.port(), random.nextInt(3) * 50));
                }
            }
            Collections.shuffle(ds, new Random(random.nextLong()));
            services.add(new VirtualService(s.service(), ds));
        }
        return new IpvsState(services);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void anyHistoryConvergesToWhatAFreshDirectorBuilds(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        Map<Integer, Integer> mh = randomBackends(random);
        List<Integer> wrr = new ArrayList<>(List.of(1, 2, 5));
        DirectorConfig config = ConfigParser.parse(config(random, mh, wrr), "c");
        Node lived = new Node(clock, random.nextBoolean() ? IpvsState.EMPTY : scrambledKernel(random, config));
        int steps = 4 + random.nextInt(12);
        for (int i = 0; i < steps; i++) {
            switch (random.nextInt(6)) {
                case 0 -> mh.put(random.nextInt(UNIVERSE), 1 + random.nextInt(3) * 50);   // add or re-weight
                case 1 -> mh.remove(random.nextInt(UNIVERSE));                            // remove
                case 2 -> {                                                                 // health flips
                    int h = random.nextInt(UNIVERSE);
                    lived.health.put(new BackendRef("web", InetAddress.getByName(address(h)), 443),
                            random.nextBoolean() ? Health.UP : Health.DOWN);
                }
                case 3 -> lived.reconciler = new Reconciler(clock);                         // restart
                case 4 -> Collections.shuffle(wrr, new Random(random.nextLong()));          // config order only
                default -> clock.advance(Duration.ofSeconds(random.nextInt(40)));          // time passes
            }
            config = ConfigParser.parse(config(random, mh, wrr), "c");
            lived.step(config);
        }
        // The final situation: every backend healthy (the fresh director's checks agree).
        DirectorConfig last = config;
        Node fresh = new Node(clock, IpvsState.EMPTY);
        for (ServiceConfig s : last.services()) {
            for (var b : s.backends()) {
                lived.health.put(BackendRef.of(s, b), Health.UP);
                fresh.health.put(BackendRef.of(s, b), Health.UP);
            }
        }
        lived.converge(last);
        fresh.converge(last);

        VirtualService livedWeb = lived.kernel.state().byKey().get(last.services().get(0).key());
        VirtualService freshWeb = fresh.kernel.state().byKey().get(last.services().get(0).key());
        assertEquals(freshWeb.destinations(), livedWeb.destinations(), "mh list: same destinations, order, weights");
        assertTrue(CanonicalOrder.isCanonical(livedWeb.destinations()));
        assertEquals(fresh.kernel.state(), lived.kernel.state(), "same services and destinations");
        assertEquals(0, lived.reorderedNonMh, "wrr destinations are never deleted and re-added to re-order");
    }
}
