package dev.ingresskit.director.internal;

import dev.ingresskit.director.Health;
import dev.ingresskit.director.ServiceConfig;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.ConfigParser;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.VirtualService;
import dev.ingresskit.maglev.IpvsMhTable;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The predictor against IpvsMhTable driven by hand in the kernel's add order. */
class MhPredictorTest {
    private static final String CONFIG = """
            service web tcp 192.0.2.10:443
              scheduler mh mh-port
              tunnel gue port 6080
              backend 127.0.0.11 weight 1
              backend 127.0.0.12 weight 2
              backend 127.0.0.13 weight 3
            """;

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    private static void assertSameChoices(IpvsMhTable expected, IpvsMhTable actual) {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            int a = r.nextInt();
            int p = r.nextInt(65536);
            int e = expected.lookupIndexIpv4(a, p);
            int g = actual.lookupIndexIpv4(a, p);
            String ek = e < 0 ? "none" : expected.destinations().get(e).key();
            String gk = g < 0 ? "none" : actual.destinations().get(g).key();
            assertEquals(ek, gk, "flow " + i);
        }
    }

    @Test
    void followsAddOrderAndLastWeight() throws Exception {
        DirectorConfig config = ConfigParser.parse(CONFIG, "c");
        ServiceConfig web = config.services().getFirst();
        Reconciler reconciler = new Reconciler(java.time.InstantSource.system());
        ModelKernel kernel = new ModelKernel(IpvsState.EMPTY);
        MhPredictor predictor = new MhPredictor();
        Map<BackendRef, Health> up = Map.of(
                new BackendRef("web", ip("127.0.0.11"), 443), Health.UP,
                new BackendRef("web", ip("127.0.0.12"), 443), Health.UP,
                new BackendRef("web", ip("127.0.0.13"), 443), Health.UP);
        Plan plan = reconciler.plan(config, up, kernel.state()).plan();
        predictor.applied(kernel.execute(plan).applied());
        VirtualService v = kernel.state().services().getFirst();
        assertEquals(ip("127.0.0.13"), v.destinations().getFirst().address(), "the model lists newest first");

        IpvsMhTable byHand = IpvsMhTable.builder().mhPort(true)
                .add("127.0.0.11:443", 1).add("127.0.0.12:443", 2).add("127.0.0.13:443", 3).build();
        IpvsMhTable predicted = predictor.table(v, 4093, true, false);
        assertEquals(List.of("127.0.0.11:443", "127.0.0.12:443", "127.0.0.13:443"),
                predicted.destinations().stream().map(d -> d.key()).toList());
        assertSameChoices(byHand, predicted);

        // health takes .12 down: edited to 0, it keeps its slots (last_weight), lookups there find none
        Map<BackendRef, Health> oneDown = new java.util.HashMap<>(up);
        oneDown.put(new BackendRef("web", ip("127.0.0.12"), 443), Health.DOWN);
        predictor.observe(kernel.state());
        Plan down = reconciler.plan(config, oneDown, kernel.state()).plan();
        assertEquals(Change.Kind.UPDATE_DESTINATION, down.changes().getFirst().kind());
        predictor.applied(kernel.execute(down).applied());
        predictor.observe(kernel.state());
        IpvsMhTable edited = predictor.table(kernel.state().services().getFirst(), 4093, true, false);
        IpvsMhTable editedByHand = IpvsMhTable.builder().mhPort(true)
                .add("127.0.0.11:443", 1).add("127.0.0.12:443", 2).add("127.0.0.13:443", 3)
                .edit(ip("127.0.0.12"), 443, 0).build();
        assertSameChoices(editedByHand, edited);
        assertEquals(byHand.entries(1), edited.entries(1), "edited to 0: same slots as before");
        assertTrue(edited.entries(1) > 0);

        // a predictor that never saw the edit takes a weight-0 destination as added at 0: no slots
        MhPredictor cold = new MhPredictor();
        cold.observe(kernel.state());
        assertEquals(0, cold.table(kernel.state().services().getFirst(), 4093, true, false).entries(1));
        assertEquals(web.name(), "web");
    }
}
