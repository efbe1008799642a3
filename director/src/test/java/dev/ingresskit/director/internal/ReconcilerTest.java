package dev.ingresskit.director.internal;

import dev.ingresskit.director.Health;
import dev.ingresskit.director.DirectorConfig;
import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.Change.Kind;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;
import dev.ingresskit.ipvs.VirtualService;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plan computation across config and health changes, applied to a model kernel between steps. */
class ReconcilerTest {
    private static final String BASE = """
            drain 30s
            service web tcp 192.0.2.10:443
              scheduler mh mh-port mh-fallback
              tunnel gue port 6080 csum
              backend 127.0.0.11 weight 100
              backend 127.0.0.12 weight 200
            """;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Reconciler reconciler = new Reconciler(clock);
    private final ModelKernel kernel = new ModelKernel(IpvsState.EMPTY);
    private final Map<BackendRef, Health> health = new HashMap<>();

    private static DirectorConfig config(String text) throws Exception {
        return ConfigParser.parse(text, "test.conf");
    }

    private static BackendRef ref(String service, String address, int port) throws Exception {
        return new BackendRef(service, InetAddress.getByName(address), port);
    }

    /** Plans against the model, applies, returns the plan's changes. */
    private List<Change> step(DirectorConfig config) {
        Reconciler.Result r = reconciler.plan(config, health, kernel.state());
        kernel.execute(r.plan());
        return r.plan().changes();
    }

    private static List<String> kinds(List<Change> changes) {
        return changes.stream().map(c -> c.kind() + (c.destination() == null ? ""
                : " " + c.destination().key() + " w=" + c.destination().weight())).toList();
    }

    private Destination dest(String address) throws Exception {
        VirtualService v = kernel.state().services().getFirst();
        InetAddress a = InetAddress.getByName(address);
        return v.destinations().stream().filter(d -> d.address().equals(a)).findFirst().orElseThrow();
    }

    @Test
    void fromEmptyCreatesServiceAndDestinationsMappedFromTheConfig() throws Exception {
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        List<Change> plan = step(config(BASE));
        assertEquals(List.of("CREATE_SERVICE", "CREATE_DESTINATION 127.0.0.11:443 w=100",
                "CREATE_DESTINATION 127.0.0.12:443 w=200"), kinds(plan));
        Service s = plan.getFirst().service();
        assertEquals("mh", s.scheduler());
        assertEquals(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT, s.flags().bits());
        assertEquals(443, s.port());
        Destination d = plan.get(1).destination();
        assertEquals(ForwardingMethod.TUNNEL, d.forwarding());
        assertEquals(TunnelType.GUE, d.tunnelType());
        assertEquals(6080, d.tunnelPort());
        assertEquals(new TunnelFlags(TunnelFlags.CSUM), d.tunnelFlags());
        assertEquals(List.of(), step(config(BASE)), "a second run with nothing changed plans nothing");
    }

    @Test
    void downGoesToWeightZeroAndUpRestoresItTouchingNothingElse() throws Exception {
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        step(config(BASE));
        health.put(ref("web", "127.0.0.12", 443), Health.DOWN);
        List<Change> down = step(config(BASE));
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.12:443 w=0"), kinds(down));
        assertEquals(200, ((Destination) down.getFirst().before()).weight());
        assertEquals(0, dest("127.0.0.12").weight(), "kept in IPVS at weight 0");
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.12:443 w=200"), kinds(step(config(BASE))));
    }

    @Test
    void notYetCheckedKeepsTheKernelsWeightOrStartsAtZero() throws Exception {
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        step(config(BASE));
        // a restarted director knows no health yet: it must not disturb the kernel
        health.clear();
        Reconciler fresh = new Reconciler(clock);
        assertTrue(fresh.plan(config(BASE), health, kernel.state()).plan().isEmpty());
        // a new backend nobody checked yet starts drained
        String more = BASE + "  backend 127.0.0.13 weight 50\n";
        assertEquals(List.of("CREATE_DESTINATION 127.0.0.13:443 w=0"),
                kinds(fresh.plan(config(more), health, kernel.state()).plan().changes()));
    }

    @Test
    void configWeightChangeIsOneInPlaceUpdateAndConfiguredZeroStaysZero() throws Exception {
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        step(config(BASE));
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.11:443 w=7"),
                kinds(step(config(BASE.replace("weight 100", "weight 7")))));
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.11:443 w=0"),
                kinds(step(config(BASE.replace("weight 100", "weight 0")))));
        // tunnel settings change in place, never delete + add
        List<Change> retunnel = step(config(BASE.replace("weight 100", "weight 0").replace("tunnel gue port 6080 csum",
                "tunnel gre")));
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.11:443 w=0", "UPDATE_DESTINATION 127.0.0.12:443 w=200"),
                kinds(retunnel));
        assertEquals(TunnelType.GRE, dest("127.0.0.12").tunnelType());
        // scheduler flags: one service update
        List<Change> flags = step(config(BASE.replace("weight 100", "weight 0").replace("tunnel gue port 6080 csum",
                "tunnel gre").replace(" mh-port", "")));
        assertEquals(List.of("UPDATE_SERVICE"), kinds(flags));
    }

    @Test
    void aRemovedBackendDrainsForTheDrainPeriodThenGoes() throws Exception {
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        step(config(BASE));
        DirectorConfig without = config(BASE.replace("  backend 127.0.0.12 weight 200\n", ""));
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.12:443 w=0"), kinds(step(without)));
        assertEquals(1, reconciler.draining().size());
        assertEquals(clock.instant().plusSeconds(30), reconciler.nextDeadline());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), step(without), "still draining");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("DELETE_DESTINATION 127.0.0.12:443 w=0"), kinds(step(without)));
        assertEquals(List.of(), step(without));
        assertEquals(List.of(), reconciler.draining());
    }

    @Test
    void aBackendAddedBackWhileDrainingIsRestoredAndNotDeleted() throws Exception {
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        step(config(BASE));
        step(config(BASE.replace("  backend 127.0.0.12 weight 200\n", "")));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.12:443 w=200"), kinds(step(config(BASE))));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(List.of(), step(config(BASE)));
    }

    @Test
    void aRemovedServiceDrainsAllItsBackendsThenIsDeleted() throws Exception {
        String two = BASE + "service dns udp 192.0.2.53:53\n  tunnel ipip\n  backend 127.0.0.21\n";
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        health.put(ref("web", "127.0.0.12", 443), Health.UP);
        health.put(ref("dns", "127.0.0.21", 53), Health.UP);
        step(config(two));
        assertEquals(List.of("UPDATE_DESTINATION 127.0.0.21:53 w=0"), kinds(step(config(BASE))));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(List.of("DELETE_SERVICE"), kinds(step(config(BASE))));
        assertEquals(1, kernel.state().services().size());
        assertEquals(List.of(), step(config(BASE)));
    }

    @Test
    void servicesItDoesNotManageAreNeverTouched() throws Exception {
        Service foreign = Service.builder().tcp("198.51.100.1", 80).scheduler("rr").build();
        ModelKernel shared = new ModelKernel(IpvsState.of(VirtualService.of(foreign,
                Destination.builder("10.9.9.9", 80).weight(3).build())));
        health.put(ref("web", "127.0.0.11", 443), Health.UP);
        Reconciler.Result r = reconciler.plan(config(BASE), health, shared.state());
        assertTrue(r.plan().changes().stream().noneMatch(c -> c.service().key().equals(foreign.key())), r.plan()::toString);
        shared.execute(r.plan());
        assertEquals(2, shared.state().services().size());
        assertTrue(reconciler.plan(config(BASE), health, shared.state()).plan().isEmpty());
    }

    @Test
    void forwardingMethodsAndFwmarkMapToIpvs() throws Exception {
        DirectorConfig c = config("""
                service nat tcp 192.0.2.1:80
                  forward masq
                  backend 127.0.0.31 port 8080 weight 2
                service marked fwmark 42
                  scheduler wrr
                  check none
                  backend 127.0.0.41
                """);
        health.put(ref("nat", "127.0.0.31", 8080), Health.UP);
        health.put(ref("marked", "127.0.0.41", 0), Health.UP);
        List<Change> plan = step(c);
        assertEquals(List.of("CREATE_SERVICE", "CREATE_DESTINATION 127.0.0.31:8080 w=2", "CREATE_SERVICE",
                "CREATE_DESTINATION 127.0.0.41:0 w=1"), kinds(plan));
        assertEquals(ForwardingMethod.MASQUERADE, plan.get(1).destination().forwarding());
        assertEquals(42, plan.get(2).service().fwmark());
        assertEquals(ForwardingMethod.ROUTE, plan.get(3).destination().forwarding());
    }
}
