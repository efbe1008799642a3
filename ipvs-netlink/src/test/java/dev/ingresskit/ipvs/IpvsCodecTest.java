package dev.ingresskit.ipvs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ingresskit.ipvs.genetlink.Family;
import dev.ingresskit.ipvs.internal.IpVsH;
import dev.ingresskit.ipvs.netlink.AttributeDecoder;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.testsupport.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IPVS requests against bytes computed by hand from {@code include/uapi/linux/ip_vs.h} and the
 * attribute policies of {@code ip_vs_ctl.c} (little-endian host; ports {@code __be16}; addresses
 * as 16-byte {@code union nf_inet_addr}; IPv4 netmask a {@code __be32}), and decoding of
 * malformed replies.
 */
class IpvsCodecTest {
    private static final IpvsRequests REQUESTS = new IpvsRequests(new Family(0x22, "IPVS", 1, 0, 6));

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replaceAll("\\s", ""));
    }

    @Test
    void createServiceGoldenBytes() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        Service web = Service.builder().tcp("10.0.0.1", 80).scheduler("rr").build();
        byte[] expected = hex("""
                68000000 2200 0500 01000000 00000000
                01010000
                54000180
                  06000100 02000000
                  06000200 06000000
                  14000300 0a000001 00000000 00000000 00000000
                  06000400 00500000
                  07000600 72720000
                  0c000700 00000000 ffffffff
                  08000800 00000000
                  08000900 ffffffff
                """);
        assertArrayEquals(expected, IpvsRequests.encode(REQUESTS.createService(web), 1));
    }

    @Test
    void createGueDestinationGoldenBytes() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        Service web = Service.builder().tcp("10.0.0.1", 80).build();
        Destination gue = Destination.builder("10.1.0.5", 80).tunnel(TunnelType.GUE).tunnelPort(6080)
                .tunnelFlags(TunnelFlags.CSUM).build();
        byte[] expected = hex("""
                a4000000 2200 0500 07000000 00000000
                05010000
                30000180
                  06000100 02000000
                  06000200 06000000
                  14000300 0a000001 00000000 00000000 00000000
                  06000400 00500000
                60000280
                  14000100 0a010005 00000000 00000000 00000000
                  06000200 00500000
                  06000b00 02000000
                  08000300 02000000
                  08000400 01000000
                  08000500 00000000
                  08000600 00000000
                  05000d00 01000000
                  06000e00 17c00000
                  06000f00 01000000
                """);
        assertArrayEquals(expected, IpvsRequests.encode(REQUESTS.createDestination(web.key(), gue), 7));
    }

    @Test
    void ipv6PersistentServiceSendsPrefixLengthAsNativeU32() throws NetlinkException {
        Service s = Service.builder().tcp("2001:db8::1", 443).persistent(300).netmask(64).build();
        byte[] payload = REQUESTS.createService(s).payload();
        AttributeDecoder top = new AttributeDecoder(ByteBuffer.wrap(payload, 4, payload.length - 4), "t");
        assertTrue(top.next());
        AttributeDecoder svc = top.nested("svc");
        int netmask = -1;
        int flags = -1;
        byte[] addr = null;
        while (svc.next()) {
            switch (svc.type()) {
                case IpVsH.IPVS_SVC_ATTR_NETMASK -> netmask = svc.u32();
                case IpVsH.IPVS_SVC_ATTR_FLAGS -> flags = svc.value().getInt(0);
                case IpVsH.IPVS_SVC_ATTR_ADDR -> addr = svc.bytes();
                default -> { }
            }
        }
        assertEquals(64, netmask);
        assertEquals(ServiceFlags.PERSISTENT, flags);
        assertArrayEquals(hex("20010db8000000000000000000000001"), addr);
    }

    private static AttributeDecoder serviceNest(AttributeEncoder body) throws NetlinkException {
        byte[] bytes = new AttributeEncoder().nested(IpVsH.IPVS_CMD_ATTR_SERVICE, e -> e.raw(body.toByteArray()))
                .toByteArray();
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(bytes), "reply");
        d.next();
        return d.nested("service");
    }

    @Test
    void decodesAKernelStyleServiceWithOldStatsOnly() throws NetlinkException {
        AttributeEncoder body = new AttributeEncoder().u16(1, 2).u16(2, 17).bytes(3, IpvsCodec.address16(
                        IpAddresses.parse("192.0.2.1"))).u16be(4, 53).string(6, "wrr")
                .bytes(7, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(0x2 | 0x4).putInt(-1).array())
                .u32(8, 0).bytes(9, hex("ffffff00"))
                .nested(10, n -> n.u32(1, -1).u32(2, 7).u64(4, 1L << 40))
                .u32(200, 5); // unknown attribute from a newer kernel
        ServiceStatus s = IpvsCodec.decodeService(serviceNest(body));
        assertEquals(Service.builder().udp("192.0.2.1", 53).scheduler("wrr").onePacket(true).netmask(24).build(),
                s.service());
        assertEquals(4294967295L, s.stats().connections(), "old u32 counters are read unsigned");
        assertEquals(1L << 40, s.stats().inBytes());
        assertEquals("hashed|one-packet", new ServiceFlags(0x6).toString());
    }

    @Test
    void malformedServiceRepliesAreTypedAndSayWhy() {
        NetlinkException noAf = assertThrows(NetlinkException.class,
                () -> IpvsCodec.decodeService(serviceNest(new AttributeEncoder().string(6, "rr"))));
        assertTrue(noAf.isMalformed() && noAf.getMessage().contains("AF"), noAf.getMessage());

        NetlinkException noPort = assertThrows(NetlinkException.class, () -> IpvsCodec.decodeService(serviceNest(
                new AttributeEncoder().u16(1, 2).u16(2, 6).bytes(3, new byte[16]).string(6, "rr"))));
        assertTrue(noPort.getMessage().contains("no PORT"), noPort.getMessage());

        NetlinkException badProto = assertThrows(NetlinkException.class, () -> IpvsCodec.decodeService(serviceNest(
                new AttributeEncoder().u16(1, 2).u16(2, 99).bytes(3, new byte[16]).u16be(4, 1).string(6, "rr"))));
        assertTrue(badProto.isMalformed() && badProto.getMessage().contains("99"), badProto.getMessage());

        NetlinkException shortFlags = assertThrows(NetlinkException.class, () -> IpvsCodec.decodeService(serviceNest(
                new AttributeEncoder().u16(1, 2).bytes(7, new byte[4]))));
        assertTrue(shortFlags.getMessage().contains("ip_vs_flags"), shortFlags.getMessage());

        NetlinkException badAddr = assertThrows(NetlinkException.class, () -> IpvsCodec.decodeService(serviceNest(
                new AttributeEncoder().u16(1, 2).bytes(3, new byte[5]))));
        assertTrue(badAddr.getMessage().contains("4 or 16"), badAddr.getMessage());

        NetlinkException badAf = assertThrows(NetlinkException.class, () -> IpvsCodec.decodeService(serviceNest(
                new AttributeEncoder().u16(1, 7).u32(5, 1).string(6, "rr"))));
        assertTrue(badAf.getMessage().contains("address family 7"), badAf.getMessage());

        NetlinkException wrongWidth = assertThrows(NetlinkException.class, () -> IpvsCodec.decodeService(serviceNest(
                new AttributeEncoder().u32(1, 2))));
        assertTrue(wrongWidth.getMessage().contains("u16 needs 2"), wrongWidth.getMessage());
    }

    @Test
    void malformedDestinationRepliesAreTyped() throws NetlinkException {
        byte[] bytes = new AttributeEncoder().nested(2, n -> n.bytes(1, new byte[16]).u16be(2, 80)).toByteArray();
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(bytes), "reply");
        d.next();
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> IpvsCodec.decodeDestination(d.nested("dest"), AddressFamily.INET));
        assertTrue(e.isMalformed() && e.getMessage().contains("no FWD_METHOD"), e.getMessage());
    }

    static LongStream seeds() {
        return Seeds.of("ipvsCodecRoundTrip", 300);
    }

    /** Random services and destinations: request attributes decode back to the same records. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void requestAttributesRoundTrip(long seed) throws NetlinkException {
        SplittableRandom random = new SplittableRandom(seed);
        Service s = RandomStates.service(random);
        Destination dest = RandomStates.destination(random, s);
        AttributeEncoder e = new AttributeEncoder();
        IpvsCodec.service(e, s, true);
        IpvsCodec.destination(e, dest, true);
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(e.toByteArray()), "round trip");
        assertTrue(d.next());
        assertEquals(s, IpvsCodec.decodeService(d.nested("svc")).service());
        assertTrue(d.next());
        assertEquals(dest, IpvsCodec.decodeDestination(d.nested("dest"), s.family()).destination());
    }

    static LongStream fuzzSeeds() {
        return Seeds.of("ipvsCodecFuzz", 300);
    }

    /** Truncated and mutated service/destination nests fail with NetlinkException, never otherwise. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fuzzSeeds")
    void mutatedRepliesFailTyped(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Service s = RandomStates.service(random);
        AttributeEncoder e = new AttributeEncoder();
        IpvsCodec.service(e, s, true);
        IpvsCodec.destination(e, RandomStates.destination(random, s), true);
        byte[] bytes = e.toByteArray();
        byte[] input = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        for (int i = 0; i < 2 && input.length > 0; i++) {
            input[random.nextInt(input.length)] = (byte) random.nextInt();
        }
        try {
            AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(input), "fuzz");
            while (d.next()) {
                if (d.type() == IpVsH.IPVS_CMD_ATTR_SERVICE) {
                    IpvsCodec.decodeService(d.nested("svc"));
                } else if (d.type() == IpVsH.IPVS_CMD_ATTR_DEST) {
                    IpvsCodec.decodeDestination(d.nested("dest"), s.family());
                }
            }
        } catch (NetlinkException expected) {
            assertTrue(expected.isMalformed(), expected.getMessage());
        }
    }
}
