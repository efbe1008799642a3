package dev.ingresskit.encap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ingresskit.testsupport.ReadmeSnippet;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The README's usage snippet, compiled and run. */
class ReadmeTest {
    @Test
    void usageSnippetRunsAndMatchesTheReadme() throws Exception {
        byte[] inner = Golden.bytes(Golden.INNER_IPV4_TCP);   // an IPv4 TCP packet
        // snippet: usage
        Encapsulator gue = Encapsulator.builder().gue()                 // GUE variant 0, port 6080
                .addresses(InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"))
                .build();                                               // immutable, thread-safe
        int headroom = gue.maxOverhead();
        byte[] buffer = new byte[headroom + inner.length];
        System.arraycopy(inner, 0, buffer, headroom, inner.length);     // inner packet after headroom
        int start = gue.encapsulate(buffer, headroom, inner.length);    // headers written in place

        PacketParser parser = PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).gre(true).build();
        ParsedPacket packet = new ParsedPacket();                       // reusable, one per thread
        ParseStatus status = parser.parse(buffer, start, buffer.length - start, packet);   // allocation-free
        if (status != ParseStatus.OK) {
            throw packet.toException();   // names layer, field, offset, value and the rule broken
        }
        int innerL3 = packet.innerL3();                   // index of the inner IP header in buffer
        int tunnelHeader = packet.tunnelHeaderLength();   // innerL3 - outerL4: UDP 8 + GUE 4
        // end snippet
        assertEquals(headroom, innerL3);
        assertEquals(12, tunnelHeader);
        assertEquals(headroom - 32, start);
        assertEquals(Encapsulation.GUE, packet.encapsulation());
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/encap/ReadmeTest.java", "usage");
    }
}
