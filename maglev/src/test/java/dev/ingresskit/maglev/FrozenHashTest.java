package dev.ingresskit.maglev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ingresskit.maglev.internal.SipHash;
import dev.ingresskit.maglev.internal.SipHashReference;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The default backend hash, the flow hashes and the population order are frozen: changing any of
 * them remaps every flow of every fleet that upgrades. These values were recorded when they were
 * defined (2026-11, ingresskit 0.1.0); a failure here means a compatibility break, not a test to
 * update. The underlying SipHash is checked against the reference vectors in SipHashTest.
 */
class FrozenHashTest {
    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void defaultBackendHash() {
        assertEquals(0x574a962d18c2c0e1L, BackendHash.DEFAULT.offsetHash(utf8("a")));
        assertEquals(0xd69201624fdd51b1L, BackendHash.DEFAULT.skipHash(utf8("a")));
        assertEquals(0xdc22d78a18d189a4L, BackendHash.DEFAULT.offsetHash(utf8("10.0.0.1:80")));
        assertEquals(0x59ddc074950b5124L, BackendHash.DEFAULT.skipHash(utf8("10.0.0.1:80")));
        assertEquals(0xc73cb0100ca095b1L, BackendHash.DEFAULT.offsetHash(utf8("backend-0001.example.net:443")));
        assertEquals(0xb288629bab81cc3cL, BackendHash.DEFAULT.skipHash(utf8("backend-0001.example.net:443")));
        // and it is what its Javadoc says: SipHash-2-4 keyed with the ASCII strings
        long[] k1 = SipHash.keyFromAscii("ingresskit.h1.v1");
        assertEquals(SipHash.sipHash24(k1[0], k1[1], utf8("a")), BackendHash.DEFAULT.offsetHash(utf8("a")));
    }

    @Test
    void flowHashes() throws Exception {
        // 198.51.100.7:40000 -> 192.0.2.1:443 TCP
        assertEquals(0xbd843b151d46e38eL, FlowHash.ipv4(0xC6336407, 40000, 0xC0000201, 443, 6));
        assertEquals(0xbd843b151d46e38eL, FlowHash.fiveTuple(InetAddress.getByName("198.51.100.7"), 40000,
                InetAddress.getByName("192.0.2.1"), 443, 6));
        assertEquals(0x8d54f318ef0d01d6L, FlowHash.ipv4(0xC6336407, 40000));
        assertEquals(0x8d54f318ef0d01d6L, FlowHash.addressPort(InetAddress.getByName("198.51.100.7"), 40000));
        // [2001:db8::1]:40000 -> [2001:db8::2]:443 UDP
        assertEquals(0x40479fdcb810ab29L, FlowHash.ipv6(0x20010db800000000L, 1L, 40000, 0x20010db800000000L, 2L, 443, 17));
        assertEquals(0x40479fdcb810ab29L, FlowHash.fiveTuple(InetAddress.getByName("2001:db8::1"), 40000,
                InetAddress.getByName("2001:db8::2"), 443, 17));
        assertEquals(0xe70114281739617bL, FlowHash.ipv6(0x20010db800000000L, 1L, 40000));
        assertEquals(0xe70114281739617bL, FlowHash.addressPort(InetAddress.getByName("2001:db8::1"), 40000));
    }

    @Test
    void flowHashLayoutIsWhatTheJavadocSays() {
        // SipHash-1-3 over the little-endian words, computed by the byte-oriented SipHash
        long[] k = SipHash.keyFromAscii("ingresskit.flow1");
        ByteBuffer m = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        m.putLong(0xC6336407L << 32 | 0xC0000201L).putLong(40000L << 32 | 443L << 16 | 6);
        assertEquals(SipHashReference.hash(k[0], k[1], m.array(), 0, 16, 1, 3), FlowHash.ipv4(0xC6336407, 40000, 0xC0000201, 443, 6));
    }

    @Test
    void flowHashRefusesBadInput() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> FlowHash.ipv4(1, 65536, 2, 80, 6));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.ipv4(1, 1, 2, -1, 6));
        assertThrows(IllegalArgumentException.class, () -> FlowHash.ipv4(1, 1, 2, 80, 256));
        InetAddress v4 = InetAddress.getByName("192.0.2.1");
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertThrows(IllegalArgumentException.class, () -> FlowHash.fiveTuple(v4, 1, v6, 2, 6));
    }

    /*
     * a, b, c with weights 1, 1, 2 at M = 251: W = 4, exact shares 62.75, 62.75, 125.5; floors 62+62+125 = 249;
     * the two spare slots go to the largest remainders (251·1 mod 4 = 3 for a and b, 502 mod 4 = 2 for c):
     * a 63, b 63, c 125.
     */
    @Test
    void populationIsFrozen() {
        MaglevTable t = MaglevTable.builder().tableSize(251).add("a", 1).add("b", 1).add("c", 2).build();
        assertEquals(63, t.entries(0));
        assertEquals(63, t.entries(1));
        assertEquals(125, t.entries(2));
        int[] owners = t.ownersSnapshot();
        int[] first = new int[20];
        System.arraycopy(owners, 0, first, 0, 20);
        assertArrayEquals(new int[] {1, 1, 2, 0, 0, 1, 2, 1, 2, 1, 1, 2, 1, 2, 2, 0, 2, 1, 0, 2}, first);
        CRC32 crc = new CRC32();
        for (int o : owners) {
            crc.update(o);
        }
        assertEquals(0xf6b6f9c6L, crc.getValue());
    }
}
