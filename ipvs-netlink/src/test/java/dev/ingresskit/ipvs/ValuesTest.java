package dev.ingresskit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Builders fail fast with messages that say what to do; values print readably. */
class ValuesTest {
    @Test
    void builderRejectsBadInputAtTheSetter() {
        assertThrows(IllegalArgumentException.class, () -> Service.builder().tcp("10.0.0.1", 70000));
        assertThrows(IllegalArgumentException.class, () -> Service.builder().tcp("example.com", 80));
        assertThrows(IllegalArgumentException.class, () -> Service.builder().scheduler("a-very-long-scheduler"));
        assertThrows(IllegalArgumentException.class, () -> Service.builder().fwmark(AddressFamily.INET, 0));
        assertThrows(IllegalArgumentException.class, () -> Service.builder().flags(ServiceFlags.HASHED));
        assertThrows(IllegalArgumentException.class, () -> Service.builder().persistent(0));
        assertThrows(IllegalArgumentException.class, () -> Service.builder().schedulerFlags(ServiceFlags.PERSISTENT));
        IllegalStateException noKey = assertThrows(IllegalStateException.class, () -> Service.builder().build());
        assertTrue(noKey.getMessage().contains("identity"));
        assertThrows(IllegalArgumentException.class, () -> Service.builder().tcp("10.0.0.1", 80).netmask(33).build());
        assertThrows(IllegalArgumentException.class, () -> Destination.builder("10.0.0.1", 80).weight(-1));
        IllegalArgumentException gue = assertThrows(IllegalArgumentException.class,
                () -> Destination.builder("10.0.0.1", 80).tunnel(TunnelType.GUE).build());
        assertTrue(gue.getMessage().contains("tunnel port"));
        assertThrows(IllegalArgumentException.class, () -> new Destination(IpAddresses.parse("10.0.0.1"), 80,
                ForwardingMethod.ROUTE, 1, 0, 0, TunnelType.GRE, 0, TunnelFlags.NONE));
        assertThrows(IllegalArgumentException.class, () -> IpvsState.of(
                VirtualService.of(Service.builder().tcp("10.0.0.1", 80).build()),
                VirtualService.of(Service.builder().tcp("10.0.0.1", 80).scheduler("rr").build())));
        assertThrows(IllegalArgumentException.class, () -> new SyncDaemon(SyncDaemon.State.MASTER, "eth0", 256));
    }

    @Test
    void flagsPrintUnknownBitsInHex() {
        assertEquals("persistent|sched1|sched2|0x4000", new ServiceFlags(0x4019).toString());
        assertEquals("none", ServiceFlags.NONE.toString());
        assertEquals("csum|remcsum|0x80", new TunnelFlags(0x83).toString());
        assertEquals("nocsum", TunnelFlags.NONE.toString());
        assertEquals(List.of("mh-fallback", "mh-port"),
                new ServiceFlags(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT).schedulerFlagNames("mh"));
    }

    @Test
    void recordsPrintLikeIpvsadmThinks() {
        Service mh = Service.builder().tcp("2001:db8::1", 80).scheduler("mh")
                .schedulerFlags(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT).build();
        assertEquals("tcp [2001:db8::1]:80 mh flags=sched1|sched2", mh.toString());
        Destination gue = Destination.builder("10.1.0.5", 80).tunnel(TunnelType.GUE).tunnelPort(6080)
                .tunnelFlags(TunnelFlags.CSUM).weight(3).build();
        assertEquals("10.1.0.5:80 tunnel w=3 tun=gue:6080 csum", gue.toString());
        Change c = new Change(Change.Kind.UPDATE_DESTINATION, mh, gue.withWeight(0), gue);
        assertEquals("~ dest tcp [2001:db8::1]:80 -> 10.1.0.5:80 tunnel w=0 tun=gue:6080 csum  (was 10.1.0.5:80 tunnel "
                + "w=3 tun=gue:6080 csum)", c.toString());
    }

    @Test
    void stateEqualityIgnoresOrder() {
        Service a = Service.builder().tcp("10.0.0.1", 80).build();
        Service b = Service.builder().udp("10.0.0.1", 53).build();
        Destination x = Destination.builder("10.1.0.1", 80).build();
        Destination y = Destination.builder("10.1.0.2", 80).build();
        assertEquals(IpvsState.of(VirtualService.of(a, x, y), VirtualService.of(b)),
                IpvsState.of(VirtualService.of(b), VirtualService.of(a, y, x)));
    }

    @Test
    void ipv6AddressesAreCompressed() {
        assertEquals("[2001:db8::1]:80", IpAddresses.format(IpAddresses.parse("2001:0db8:0:0:0:0:0:1"), 80));
        assertEquals("[::]:0", IpAddresses.format(IpAddresses.parse("::"), 0));
        assertEquals("[2001:db8:0:1::]:1", IpAddresses.format(IpAddresses.parse("2001:db8:0:1:0:0:0:0"), 1));
    }

    @Test
    void messageDumpNamesIpvsAttributes() {
        Service web = Service.builder().tcp("10.0.0.1", 80).scheduler("rr").build();
        String dump = MessageDump.describe(IpvsRequests.encode(IpvsRequests.dryRun().createService(web), 1));
        assertTrue(dump.contains("flags=REQUEST|ACK seq=1"), dump);
        assertTrue(dump.contains("genlmsghdr cmd=NEW_SERVICE(1) version=1"), dump);
        assertTrue(dump.contains("SERVICE (nested, 80 bytes)"), dump);
        assertTrue(dump.contains("PORT = 80 (be16)"), dump);
        assertTrue(dump.contains("SCHED_NAME = \"rr\""), dump);
        assertTrue(dump.contains("10.0.0.1 if inet"), dump);
        String broken = MessageDump.describe(new byte[] {1, 2, 3});
        assertTrue(broken.contains("too short for nlmsghdr"), broken);
    }
}
