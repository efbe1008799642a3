package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The largest tunnel packets IP allows still report exact offsets: {@link ParsedPacket} keeps them
 * packed in 16-bit fields (17 bits for the outer length, which reaches 65575 over IPv6), so an
 * off-by-a-bit layout would show here first. The IPv4 packet takes the parser's first fast path,
 * the IPv6 one the general path; both are read back at an odd offset in a larger array.
 */
class LargestPacketTest {
    @ParameterizedTest(name = "outer IPv{0}")
    @ValueSource(ints = {4, 6})
    void largestGuePacketReportsExactOffsets(int outerVersion) throws Exception {
        Encapsulator gue = Encapsulator.builder().gue()
                .addresses(InetAddress.getByName(outerVersion == 4 ? "10.0.0.1" : "2001:db8::1"),
                        InetAddress.getByName(outerVersion == 4 ? "10.0.0.2" : "2001:db8::2"))
                .build();
        int outerHeaders = (outerVersion == 4 ? 20 : 40) + 8 + 4;
        // IPv4 total length and IPv6 payload length both top out at 65535
        int innerLength = outerVersion == 4 ? 65535 - outerHeaders : 65535 - 12;
        int lead = 3;
        byte[] buffer = new byte[lead + gue.maxOverhead() + innerLength + 5];
        int inner = lead + gue.maxOverhead();
        new Ipv4HeaderWriter().wrap(buffer, inner, innerLength).totalLength(innerLength).ttl(64).protocol(253)
                .source(0x0a010101).destination(0x0a010102).headerChecksum();
        int start = gue.encapsulate(buffer, inner, innerLength);

        ParsedPacket packet = new ParsedPacket();
        ParseStatus status = Packets.parseBothWays(PacketParser.builder().gue(6080).build(), buffer, start,
                buffer.length - start, packet);

        assertEquals(ParseStatus.OK, status, packet::toString);
        assertEquals(start, packet.outerL3());
        assertEquals(start + (outerVersion == 4 ? 20 : 40), packet.outerL4());
        assertEquals(inner, packet.innerL3());
        assertEquals(inner + 20, packet.innerL4());
        assertEquals(inner + innerLength, packet.innerEnd());
        assertEquals(inner + innerLength, packet.outerEnd());
        assertEquals(innerLength, packet.innerLength());
        assertEquals(outerVersion == 4 ? 65535 : 65575, packet.outerEnd() - packet.outerL3());
        assertEquals(253, packet.innerProtocol());
        assertEquals(outerVersion, packet.outerIpVersion());
        assertEquals(Encapsulation.GUE, packet.encapsulation());
        assertEquals(innerLength, packet.innerIpv4().totalLength());
    }
}
