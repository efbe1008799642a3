package dev.ingresskit.ipvs;

import static dev.ingresskit.ipvs.internal.IpVsH.IPVS_CMD_GET_DEST;
import static dev.ingresskit.ipvs.internal.IpVsH.IPVS_CMD_GET_SERVICE;
import static dev.ingresskit.ipvs.internal.IpVsH.IPVS_CMD_NEW_DEST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.genetlink.GenericNetlinkConnection;
import dev.ingresskit.ipvs.internal.Errno;
import dev.ingresskit.ipvs.netlink.FakeTransport;
import dev.ingresskit.ipvs.netlink.Messages;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.ipvs.netlink.NetlinkMessage;
import dev.ingresskit.testsupport.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The IPVS client over the fake kernel: every operation, errors, dumps, plan/apply, dry run. */
class IpvsClientTest {
    private final FakeIpvsKernel kernel = new FakeIpvsKernel();
    private final FakeTransport transport = new FakeTransport(kernel);

    private IpvsClient client() throws NetlinkException {
        return new IpvsClient(new GenericNetlinkConnection(transport.connection()));
    }

    static final Service WEB = Service.builder().tcp("10.0.0.1", 80).scheduler("rr").build();

    static List<Service> everyServiceKind() {
        return List.of(
                WEB,
                Service.builder().udp("2001:db8::1", 53).scheduler("wrr").build(),
                Service.builder().sctp("10.0.0.2", 3868).scheduler("wlc").build(),
                Service.builder().fwmark(AddressFamily.INET, 7).scheduler("rr").build(),
                Service.builder().fwmark(AddressFamily.INET6, 8).scheduler("rr").build(),
                Service.builder().tcp("10.0.0.3", 443).scheduler("mh")
                        .schedulerFlags(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT).build(),
                Service.builder().tcp("10.0.0.4", 443).scheduler("sh").schedulerFlags(ServiceFlags.SH_PORT).build(),
                Service.builder().tcp("10.0.0.5", 80).persistent(300).netmask(24).build(),
                Service.builder().tcp("2001:db8::5", 80).persistent(120).netmask(64).build(),
                Service.builder().udp("10.0.0.6", 5060).onePacket(true).persistenceEngine("sip").persistent(60)
                        .build());
    }

    static List<Destination> everyDestinationKind() {
        return List.of(
                Destination.builder("10.1.0.1", 80).build(),
                Destination.builder("10.1.0.2", 8080).forwarding(ForwardingMethod.MASQUERADE).weight(5)
                        .thresholds(10, 100).build(),
                Destination.builder("10.1.0.3", 80).forwarding(ForwardingMethod.LOCAL).weight(0).build(),
                Destination.builder("10.1.0.4", 80).tunnel(TunnelType.IPIP).build(),
                Destination.builder("10.1.0.5", 80).tunnel(TunnelType.GUE).tunnelPort(6080)
                        .tunnelFlags(TunnelFlags.CSUM).build(),
                Destination.builder("10.1.0.6", 80).tunnel(TunnelType.GUE).tunnelPort(6081)
                        .tunnelFlags(TunnelFlags.REMCSUM).build(),
                Destination.builder("10.1.0.7", 80).tunnel(TunnelType.GRE).tunnelFlags(TunnelFlags.CSUM).build(),
                Destination.builder("2001:db8:1::1", 80).tunnel(TunnelType.GUE).tunnelPort(6080).build(),
                Destination.builder("10.1.0.8", 80).forwarding(ForwardingMethod.BYPASS).build());
    }

    @Test
    void infoAndConfig() throws NetlinkException {
        try (IpvsClient c = client()) {
            Info info = c.info();
            assertEquals("1.2.1", info.version());
            assertEquals(4096, info.connectionTableSize());
            assertEquals(new Config(900, 120, 300), c.config());
            c.setConfig(new Config(1000, 0, 60));
            assertEquals(new Config(1000, 120, 60), c.config(), "0 leaves a timeout unchanged");
        }
    }

    @Test
    void everyServiceKindReadsBackEqual() throws NetlinkException {
        try (IpvsClient c = client()) {
            for (Service s : everyServiceKind()) {
                c.createService(s);
            }
            List<Service> read = c.services().stream().map(ServiceStatus::service).toList();
            assertEquals(everyServiceKind(), read);
            for (Service s : everyServiceKind()) {
                assertEquals(s, c.service(s.key()).orElseThrow().service());
            }
            ServiceStatus status = c.services().getFirst();
            assertEquals(FakeIpvsKernel.BIG_COUNTER, status.stats().connections(), "STATS64 wins over 32-bit STATS");
            assertEquals(1100, status.stats().outBytes());
        }
    }

    @Test
    void everyDestinationKindReadsBackEqualNewestFirst() throws NetlinkException {
        try (IpvsClient c = client()) {
            c.createService(WEB);
            for (Destination d : everyDestinationKind()) {
                c.createDestination(WEB.key(), d);
            }
            List<DestinationStatus> read = c.destinations(WEB.key());
            List<Destination> expected = new ArrayList<>(everyDestinationKind());
            java.util.Collections.reverse(expected); // the kernel lists the newest first
            assertEquals(expected, read.stream().map(DestinationStatus::destination).toList());
            assertEquals(4294967295L, read.getFirst().activeConnections(), "u32 connection counts are unsigned");
            assertEquals(FakeIpvsKernel.BIG_COUNTER, read.getFirst().stats().connections());
        }
    }

    @Test
    void updatesChangeSettingsInPlace() throws NetlinkException {
        try (IpvsClient c = client()) {
            c.createService(WEB);
            Destination d = Destination.builder("10.1.0.1", 80).weight(3).build();
            c.createDestination(WEB.key(), d);
            Service mh = WEB.toBuilder().scheduler("mh").schedulerFlags(ServiceFlags.MH_PORT).build();
            c.updateService(mh);
            Destination gue = d.toBuilder().tunnel(TunnelType.GUE).tunnelPort(6080).weight(0).build();
            c.updateDestination(WEB.key(), gue);
            assertEquals(mh, c.services().getFirst().service());
            assertEquals(List.of(gue), c.destinations(WEB.key()).stream().map(DestinationStatus::destination).toList());
            c.deleteDestination(WEB.key(), gue.key());
            assertTrue(c.destinations(WEB.key()).isEmpty());
            c.deleteService(WEB.key());
            assertTrue(c.services().isEmpty());
        }
    }

    @Test
    void kernelRefusalsAreTyped() throws NetlinkException {
        try (IpvsClient c = client()) {
            c.createService(WEB);
            NetlinkException exists = assertThrows(NetlinkException.class, () -> c.createService(WEB));
            assertTrue(exists.isExists());
            assertEquals("Service exists", exists.kernelMessage());
            assertTrue(exists.operation().contains("create service tcp 10.0.0.1:80"), exists.operation());

            ServiceKey missing = Service.builder().tcp("10.9.9.9", 1).build().key();
            NetlinkException esrch = assertThrows(NetlinkException.class, () -> c.deleteService(missing));
            assertEquals("ESRCH", esrch.errnoName());
            assertTrue(esrch.isNotFound());
            assertTrue(c.service(missing).isEmpty());

            Destination d = Destination.builder("10.1.0.1", 80).build();
            NetlinkException enoent = assertThrows(NetlinkException.class, () -> c.updateDestination(WEB.key(), d));
            assertEquals("ENOENT", enoent.errnoName());

            Destination mixed = Destination.builder("2001:db8::9", 80).build(); // route, other family
            NetlinkException einval = assertThrows(NetlinkException.class, () -> c.createDestination(WEB.key(), mixed));
            assertTrue(einval.isInvalid());

            Service badSched = Service.builder().tcp("10.0.0.9", 80).scheduler("nosuch").build();
            assertTrue(assertThrows(NetlinkException.class, () -> c.createService(badSched)).isNotFound());
        }
    }

    @Test
    void listingServicesIsOneDumpOverManyDatagrams() throws NetlinkException {
        try (IpvsClient c = client()) {
            for (int i = 0; i < 60; i++) {
                c.createService(Service.builder().tcp("10.2.0." + (i + 1), 80).build());
            }
            int receivesBefore = transport.receives();
            assertEquals(60, c.services().size());
            assertEquals(1, kernel.count(IPVS_CMD_GET_SERVICE), "one dump request");
            assertTrue(transport.receives() - receivesBefore > 5, "the dump spanned several datagrams");
        }
    }

    @Test
    void missingIpvsAndMissingPermissionSayWhatIsMissing() throws NetlinkException {
        kernel.loaded = false;
        NetlinkException e = assertThrows(NetlinkException.class, this::client);
        assertTrue(e.isNotFound());
        assertTrue(e.getMessage().contains("modprobe ip_vs"), e.getMessage());
        assertEquals(1, transport.closes(), "the connection is closed when IPVS is missing");

        kernel.loaded = true;
        kernel.permitted = false;
        try (IpvsClient c = new IpvsClient(new GenericNetlinkConnection(new FakeTransport(kernel).connection()))) {
            assertTrue(assertThrows(NetlinkException.class, c::services).isPermissionDenied());
        }
    }

    @Test
    void syncDaemonsStartListStop() throws NetlinkException {
        try (IpvsClient c = client()) {
            SyncDaemon master = new SyncDaemon(SyncDaemon.State.MASTER, "eth0", 9);
            c.startSyncDaemon(master);
            assertEquals(List.of(master), c.syncDaemons());
            assertTrue(assertThrows(NetlinkException.class, () -> c.startSyncDaemon(master)).isExists());
            c.stopSyncDaemon(SyncDaemon.State.MASTER);
            assertTrue(c.syncDaemons().isEmpty());
        }
    }

    @Test
    void flushAndZero() throws NetlinkException {
        try (IpvsClient c = client()) {
            c.createService(WEB);
            c.zero();
            c.zero(WEB.key());
            assertTrue(assertThrows(NetlinkException.class,
                    () -> c.zero(Service.builder().tcp("10.9.9.9", 9).build().key())).isNotFound());
            c.flush();
            assertTrue(c.services().isEmpty());
        }
    }

    @Test
    void changingOnlyAWeightIsOneInPlaceUpdate() throws NetlinkException {
        try (IpvsClient c = client()) {
            Destination a = Destination.builder("10.1.0.1", 80).weight(5).build();
            Destination b = Destination.builder("10.1.0.2", 80).weight(5).build();
            c.apply(IpvsState.of(VirtualService.of(WEB, a, b)));
            Plan plan = c.plan(IpvsState.of(VirtualService.of(WEB, a.withWeight(0), b)));
            assertEquals(1, plan.size());
            assertEquals(Change.Kind.UPDATE_DESTINATION, plan.changes().getFirst().kind());
            assertEquals(a, plan.changes().getFirst().before());
        }
    }

    static LongStream seeds() {
        return Seeds.of("applyConverges", 60);
    }

    /** From a random state to a random state: apply, read back equal; a second plan is empty. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void applyConvergesFromArbitraryStates(long seed) throws NetlinkException {
        SplittableRandom random = new SplittableRandom(seed);
        try (IpvsClient c = client()) {
            IpvsState start = RandomStates.draw(random, 6, 5);
            c.apply(start);
            assertEquals(start, c.state());
            IpvsState desired = RandomStates.draw(random, 6, 5);
            IpvsState before = c.state();
            ApplyResult result = c.apply(desired);
            assertTrue(result.complete());
            assertEquals(Plan.between(before, desired), result.plan(), "apply executed the plan it computed");
            assertEquals(result.plan().changes(), result.applied());
            assertEquals(desired, c.state());
            assertTrue(c.plan(desired).isEmpty(), "a second apply has nothing to do");
            for (Change change : result.plan().changes()) {
                if (change.kind() == Change.Kind.DELETE_DESTINATION) {
                    assertTrue(desired.byKey().containsKey(change.service().key()),
                            "destinations of deleted services go with the service, not one by one");
                }
            }
        }
    }

    @Test
    void partialFailureReportsWhatWasAndWasNotApplied() throws NetlinkException {
        try (IpvsClient c = client()) {
            kernel.injectFailure = new int[] {IPVS_CMD_NEW_DEST, 2, Errno.ENOMEM};
            IpvsState desired = IpvsState.of(VirtualService.of(WEB, Destination.builder("10.1.0.1", 80).build(),
                    Destination.builder("10.1.0.2", 80).build(), Destination.builder("10.1.0.3", 80).build()));
            IpvsApplyException e = assertThrows(IpvsApplyException.class, () -> c.apply(desired));
            ApplyResult r = e.result();
            assertEquals(4, r.plan().size());
            assertEquals(3, r.applied().size());
            assertEquals(1, r.failed().size());
            assertEquals("10.1.0.2:80", r.failed().getFirst().change().destination().key().toString());
            assertEquals("ENOMEM", e.errnoName());
            assertEquals(2, c.destinations(WEB.key()).size(), "the kernel holds exactly what was reported applied");
            kernel.injectFailure = null;
            assertEquals(1, c.plan(desired).size(), "re-planning finds only the missing destination");
        }
    }

    @Test
    void dryRunBytesAreExactlyWhatIsSent() throws NetlinkException {
        try (IpvsClient c = client()) {
            IpvsState desired = IpvsState.of(VirtualService.of(WEB, everyDestinationKind().toArray(Destination[]::new)));
            Plan plan = c.plan(desired);
            int sentBefore = transport.sent().size();
            c.execute(plan);
            List<NetlinkMessage> sent = new ArrayList<>();
            for (byte[] datagram : transport.sent().subList(sentBefore, transport.sent().size())) {
                sent.addAll(Messages.decode(ByteBuffer.wrap(datagram)));
            }
            assertEquals(plan.size(), sent.size());
            List<IpvsRequests.EncodedRequest> encoded = c.requests().encode(plan, sent.getFirst().sequence());
            for (int i = 0; i < plan.size(); i++) {
                byte[] wire = Messages.encode(sent.get(i).type(), sent.get(i).flags(), sent.get(i).sequence(),
                        sent.get(i).portId(), sent.get(i).payloadBytes());
                assertArrayEquals(encoded.get(i).bytes(), wire, "request " + i + ": " + plan.changes().get(i));
            }
        }
    }

    @Test
    void stateReadsEachServicesDestinationsWithOneDumpEach() throws NetlinkException {
        try (IpvsClient c = client()) {
            IpvsState desired = IpvsState.of(VirtualService.of(WEB, Destination.builder("10.1.0.1", 80).build()),
                    VirtualService.of(everyServiceKind().get(1)));
            c.apply(desired);
            int before = kernel.count(IPVS_CMD_GET_DEST);
            assertEquals(desired, c.state());
            assertEquals(before + 2, kernel.count(IPVS_CMD_GET_DEST));
            assertFalse(c.state().services().isEmpty());
        }
    }
}
