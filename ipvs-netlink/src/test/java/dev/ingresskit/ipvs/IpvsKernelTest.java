package dev.ingresskit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The client against Debian's 6.1 kernel in the VM (kernel-tests/), as root in the VM's init
 * namespace, cross-checked with ipvsadm 1.31 in both directions. Few and decisive: the guest is
 * 20–50x slower than the host.
 */
@Tag("kernel")
class IpvsKernelTest {
    private static IpvsClient ipvs;

    @BeforeAll
    static void open() throws NetlinkException {
        ipvs = IpvsClient.open();
        ipvs.flush();
    }

    @AfterEach
    void flush() throws NetlinkException {
        ipvs.flush();
    }

    @AfterAll
    static void close() {
        ipvs.close();
        ipvs.close();
    }

    static final Service WEB = Service.builder().tcp("10.0.0.1", 80).scheduler("mh")
            .schedulerFlags(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT).build();
    static final Service DNS6 = Service.builder().udp("2001:db8::1", 53).scheduler("wrr").build();

    /** Every service kind and every destination kind, IPv6 and mixed families included. */
    static IpvsState everyKind() {
        return IpvsState.of(
                VirtualService.of(WEB,
                        Destination.builder("10.1.0.5", 80).tunnel(TunnelType.GUE).tunnelPort(6080)
                                .tunnelFlags(TunnelFlags.CSUM).weight(3).build(),
                        Destination.builder("10.1.0.6", 80).tunnel(TunnelType.GRE).tunnelFlags(TunnelFlags.CSUM).build(),
                        Destination.builder("10.1.0.7", 80).tunnel(TunnelType.IPIP).build(),
                        Destination.builder("10.1.0.8", 8080).forwarding(ForwardingMethod.MASQUERADE).build(),
                        Destination.builder("10.1.0.9", 80).forwarding(ForwardingMethod.ROUTE).weight(0).build(),
                        Destination.builder("2001:db8:1::2", 80).tunnel(TunnelType.GUE).tunnelPort(6081)
                                .tunnelFlags(TunnelFlags.REMCSUM).build()),
                VirtualService.of(DNS6,
                        Destination.builder("2001:db8:1::1", 53).build(),
                        Destination.builder("10.1.1.1", 53).tunnel(TunnelType.IPIP).build()),
                VirtualService.of(Service.builder().fwmark(AddressFamily.INET, 7).scheduler("rr").persistent(300)
                        .netmask(24).build()),
                VirtualService.of(Service.builder().tcp("10.0.0.2", 443).scheduler("sh")
                        .schedulerFlags(ServiceFlags.SH_PORT).build()),
                VirtualService.of(Service.builder().sctp("10.0.0.3", 3868).scheduler("wlc").build()),
                VirtualService.of(Service.builder().udp("10.0.0.4", 5060).scheduler("rr").onePacket(true).build()),
                VirtualService.of(Service.builder().fwmark(AddressFamily.INET6, 9).scheduler("rr").persistent(60)
                        .netmask(64).build()));
    }

    /** What ipvsadm -Sn prints for {@link #everyKind()} (ipvsadm 1.31, as seen in the VM). */
    static final Set<String> EVERY_KIND_SAVED = Set.of(
            "-A -t 10.0.0.1:80 -s mh -b mh-fallback,mh-port",
            "-a -t 10.0.0.1:80 -r 10.1.0.5:80 -i -w 3 --tun-type gue --tun-port 6080 --tun-csum",
            "-a -t 10.0.0.1:80 -r 10.1.0.6:80 -i -w 1 --tun-type gre --tun-csum",
            "-a -t 10.0.0.1:80 -r 10.1.0.7:80 -i -w 1 --tun-type ipip",
            "-a -t 10.0.0.1:80 -r 10.1.0.8:8080 -m -w 1",
            "-a -t 10.0.0.1:80 -r 10.1.0.9:80 -g -w 0",
            "-a -t 10.0.0.1:80 -r [2001:db8:1::2]:80 -i -w 1 --tun-type gue --tun-port 6081 --tun-remcsum",
            "-A -u [2001:db8::1]:53 -s wrr",
            "-a -u [2001:db8::1]:53 -r [2001:db8:1::1]:53 -g -w 1",
            "-a -u [2001:db8::1]:53 -r 10.1.1.1:53 -i -w 1 --tun-type ipip",
            "-A -f 7 -s rr -p 300 -M 255.255.255.0",
            "-A -t 10.0.0.2:443 -s sh -b sh-port",
            "-A --sctp-service 10.0.0.3:3868 -s wlc",
            "-A -u 10.0.0.4:5060 -s rr -o",
            "-A -f 9 -6 -s rr -p 60 -M 64");

    @Test
    void everyKindWeWriteReadsBackAndIpvsadmPrintsIt() throws Exception {
        IpvsState desired = everyKind();
        ApplyResult result = ipvs.apply(desired);
        assertTrue(result.complete());
        assertEquals(desired, ipvs.state());
        for (VirtualService s : desired.services()) {
            assertEquals(s.service(), ipvs.service(s.service().key()).orElseThrow().service());
        }
        assertEquals(new TreeSet<>(EVERY_KIND_SAVED), savedByIpvsadm(null));
        assertTrue(ipvs.plan(desired).isEmpty(), "applying twice has nothing to do");
    }

    @Test
    void whatIpvsadmWritesWeRead() throws Exception {
        run(null, "sh", "-c", "printf '%s\\n' " + String.join(" ", EVERY_KIND_SAVED.stream()
                .sorted((a, b) -> a.startsWith("-A") == b.startsWith("-A") ? 0 : a.startsWith("-A") ? -1 : 1)
                .map(l -> "'" + l + "'").toList()) + " | ipvsadm -R");
        run(null, "ipvsadm", "-e", "-t", "10.0.0.1:80", "-r", "10.1.0.8:8080", "-m", "-x", "100", "-y", "10");
        IpvsState expected = everyKind();
        List<VirtualService> services = new ArrayList<>();
        for (VirtualService s : expected.services()) {
            List<Destination> ds = new ArrayList<>();
            for (Destination d : s.destinations()) {
                ds.add(d.port() == 8080 ? d.toBuilder().thresholds(10, 100).build() : d);
            }
            services.add(new VirtualService(s.service(), ds));
        }
        assertEquals(new IpvsState(services), ipvs.state());
    }

    @Test
    void kernelRefusalsAreTyped() throws NetlinkException {
        ipvs.createService(WEB);
        assertTrue(assertThrows(NetlinkException.class, () -> ipvs.createService(WEB)).isExists());
        ServiceKey missing = Service.builder().tcp("10.9.9.9", 9).build().key();
        NetlinkException esrch = assertThrows(NetlinkException.class, () -> ipvs.deleteService(missing));
        assertEquals("ESRCH", esrch.errnoName());
        assertTrue(ipvs.service(missing).isEmpty());
        Destination d = Destination.builder("10.1.0.1", 80).build();
        assertEquals("ENOENT", assertThrows(NetlinkException.class,
                () -> ipvs.updateDestination(WEB.key(), d)).errnoName());
        assertEquals("ENOENT", assertThrows(NetlinkException.class,
                () -> ipvs.deleteDestination(WEB.key(), d.key())).errnoName());
        ipvs.createDestination(WEB.key(), d);
        assertTrue(assertThrows(NetlinkException.class, () -> ipvs.createDestination(WEB.key(), d)).isExists());
        Destination mixedRoute = Destination.builder("2001:db8::9", 80).build();
        assertTrue(assertThrows(NetlinkException.class,
                () -> ipvs.createDestination(WEB.key(), mixedRoute)).isInvalid());
        Service unknownScheduler = Service.builder().tcp("10.0.0.9", 80).scheduler("nosuchsched").build();
        assertTrue(assertThrows(NetlinkException.class, () -> ipvs.createService(unknownScheduler)).isNotFound());
    }

    @Test
    void infoConfigZeroAndSyncDaemons() throws NetlinkException {
        Info info = ipvs.info();
        assertEquals("1.2.1", info.version());
        assertEquals(4096, info.connectionTableSize());
        Config before = ipvs.config();
        ipvs.setConfig(new Config(1234, 56, 78));
        assertEquals(new Config(1234, 56, 78), ipvs.config());
        ipvs.setConfig(before);
        ipvs.createService(WEB);
        ipvs.zero();
        ipvs.zero(WEB.key());
        SyncDaemon master = new SyncDaemon(SyncDaemon.State.MASTER, "lo", 5);
        ipvs.startSyncDaemon(master);
        try {
            assertEquals(List.of(master), ipvs.syncDaemons());
        } finally {
            ipvs.stopSyncDaemon(SyncDaemon.State.MASTER);
        }
        assertTrue(ipvs.syncDaemons().isEmpty());
    }

    @Test
    void namespacesAreIsolatedAndTheCallerNeverMoves() throws Exception {
        run(null, "ip", "netns", "add", "ikt-ipvs");
        try (IpvsClient inside = IpvsClient.open(NetworkNamespace.named("ikt-ipvs"))) {
            String before = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/thread-self/ns/net"))
                    .toString();
            inside.createService(WEB);
            assertEquals(1, inside.services().size());
            assertTrue(ipvs.services().isEmpty(), "the init namespace does not see it");
            assertEquals(Set.of("-A -t 10.0.0.1:80 -s mh -b mh-fallback,mh-port"), savedByIpvsadm("ikt-ipvs"));
            assertEquals(before, java.nio.file.Files.readSymbolicLink(
                    java.nio.file.Path.of("/proc/thread-self/ns/net")).toString());
        } finally {
            run(null, "ip", "netns", "del", "ikt-ipvs");
        }
    }

    /** Random desired states (few: the guest is slow), from whatever the previous one left. */
    @Test
    void applyConvergesFromArbitraryStates() throws NetlinkException {
        SplittableRandom random = new SplittableRandom(0x1235);
        for (int round = 0; round < 4; round++) {
            IpvsState desired = RandomStates.draw(random, 6, 5);
            ipvs.apply(desired);
            assertEquals(desired, ipvs.state(), "round " + round);
            assertTrue(ipvs.plan(desired).isEmpty(), "round " + round);
        }
    }

    /**
     * {@link IpvsState#apply} is the kernel's own list semantics: after each random plan the kernel
     * lists every service's destinations exactly as the model predicted, order included (newest first).
     */
    @Test
    void applyPredictsTheKernelsDestinationOrder() throws NetlinkException {
        SplittableRandom random = new SplittableRandom(0x0dde7);
        for (int round = 0; round < 4; round++) {
            IpvsState before = ipvs.state();
            IpvsState desired = RandomStates.draw(random, 4, 6);
            Plan plan = ipvs.plan(desired);
            ipvs.execute(plan);
            IpvsState predicted = before.apply(plan);
            Map<ServiceKey, VirtualService> actual = ipvs.state().byKey();
            for (VirtualService v : predicted.services()) {
                assertEquals(v.destinations(), actual.get(v.service().key()).destinations(), "round " + round
                        + ", " + v.service().key() + ": the kernel's order");
            }
            assertEquals(predicted.services().size(), actual.size());
        }
    }

    /** CI's size; the full 10,000 x 10 run is in bench/README.md (IpvsVmBenchmark). */
    static final int BIG_SERVICES = Integer.getInteger("ingresskit.ipvs.bigServices", 300);

    @Test
    void aBigDumpReturnsEverything() throws Exception {
        IpvsState desired = IpvsVmBenchmark.config(BIG_SERVICES, 10);
        ApplyResult result = ipvs.apply(desired);
        assertEquals(BIG_SERVICES * 11, result.applied().size());
        assertEquals(BIG_SERVICES, ipvs.services().size());
        IpvsState read = ipvs.state();
        assertEquals(BIG_SERVICES * 10, read.services().stream().mapToInt(s -> s.destinations().size()).sum());
        assertEquals(desired, read);
        String saved = run(null, "ipvsadm", "-Sn");
        assertEquals(BIG_SERVICES * 11, saved.lines().count(), "ipvsadm sees them all too");
    }

    static Set<String> savedByIpvsadm(String netns) throws Exception {
        String out = netns == null ? run(null, "ipvsadm", "-Sn") : run(null, "ip", "netns", "exec", netns, "ipvsadm", "-Sn");
        return new TreeSet<>(out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
    }

    static String run(String input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if (code != 0) {
            throw new IOException(String.join(" ", command) + " exited " + code + ": " + out);
        }
        return out;
    }
}
