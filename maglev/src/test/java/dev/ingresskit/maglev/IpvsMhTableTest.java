package dev.ingresskit.maglev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.maglev.internal.SipHash;
import dev.ingresskit.testsupport.Seeds;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ip_vs_mh golden cases, derived by hand from net/netfilter/ipvs/ip_vs_mh.c (Linux 6.1):
 * ip_vs_mh_hashkey, ip_vs_mh_permutate, ip_vs_mh_populate, ip_vs_mh_get(_fallback),
 * ip_vs_mh_gcd_weight and ip_vs_mh_shift_weight; the list order from ip_vs_ctl.c
 * __ip_vs_update_dest (list_add_rcu: newest first).
 *
 * <p>The only computed inputs are hsiphash values, and hsiphash itself is pinned to the kernel's
 * lib/siphash_kunit.c vectors in SipHashTest. Each value below was written down once; the claims that
 * follow from them are worked by hand in the comments.
 */
class IpvsMhTableTest {
    static final long HASH1 = 2654435761L;
    static final long HASH2 = 2654446892L;

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /*
     * The hashed u32 for a destination is ntohs(port) + ntohl(addr) (offset 0):
     *   10.0.0.1:80 -> 0x0a000051   h1 0x439c0cbe  h2 0x97b3dc47   M=251: offset 226, skip 202
     *   10.0.0.2:80 -> 0x0a000052   h1 0xa1cf683b  h2 0xfa5d46df   M=251: offset  26, skip 242
     *   10.0.0.3:80 -> 0x0a000053   h1 0x2cdf0afa  h2 0xedeb33d0   M=251: offset  80, skip 167
     * (offset = h1 % 251, skip = h2 % 250 + 1)
     *   client 192.168.1.1, port not hashed -> 0xc0a80101  h1 0xd3f1b4d3 -> slot 128
     *   client 192.168.1.1:12345 (mh-port)  -> 0xc0a8313a  h1 0x2f5fa166 -> slot 121
     */
    @Test
    void hashValuesPinned() {
        assertEquals(0x439c0cbe, SipHash.hsiphash32(HASH1, HASH1, 0x0a000051));
        assertEquals(0x97b3dc47, SipHash.hsiphash32(HASH2, HASH2, 0x0a000051));
        assertEquals(0xa1cf683b, SipHash.hsiphash32(HASH1, HASH1, 0x0a000052));
        assertEquals(0xfa5d46df, SipHash.hsiphash32(HASH2, HASH2, 0x0a000052));
        assertEquals(0x2cdf0afa, SipHash.hsiphash32(HASH1, HASH1, 0x0a000053));
        assertEquals(0xedeb33d0, SipHash.hsiphash32(HASH2, HASH2, 0x0a000053));
        assertEquals(0xd3f1b4d3, SipHash.hsiphash32(HASH1, HASH1, 0xc0a80101));
        assertEquals(0x2f5fa166, SipHash.hsiphash32(HASH1, HASH1, 0xc0a80101 + 12345));
        assertEquals(226, Integer.remainderUnsigned(0x439c0cbe, 251));
        assertEquals(202, Integer.remainderUnsigned(0x97b3dc47, 250) + 1);
    }

    static IpvsMhTable threeEqual() {
        return IpvsMhTable.builder().tableSize(251)
                .add("10.0.0.1:80", 1) // A, added first
                .add("10.0.0.2:80", 1) // B
                .add("10.0.0.3:80", 1) // C, added last: first in the kernel's list
                .build();
    }

    /*
     * List order C, B, A; every dest has 1 turn.
     *   round 1: C 80,  B 26,  A 226
     *   round 2: C 247 (80+167), B 17 (26+242-251), A 177 (226+202-251)
     *   round 3: C 163, B 8, A 128
     *   round 4: C 79, B 250, A 79 is taken -> 79+202-251 = 30
     * 251 = 3·83 + 2: the last round reaches C and B only, so C 84, B 84, A 83.
     */
    @Test
    void threeEqualWeightsGoldenTable() {
        IpvsMhTable t = threeEqual();
        int a = 0;
        int b = 1;
        int c = 2;
        int[][] expected = {{80, c}, {26, b}, {226, a}, {247, c}, {17, b}, {177, a}, {163, c}, {8, b}, {128, a},
            {79, c}, {250, b}, {30, a}};
        for (int[] e : expected) {
            assertEquals(e[1], t.destinationIndexAt(e[0]), "slot " + e[0]);
        }
        assertEquals(83, t.entries(a));
        assertEquals(84, t.entries(b));
        assertEquals(84, t.entries(c));
        assertEquals(1, t.gcd());
        assertEquals(0, t.rshift());
    }

    @Test
    void lookupWithoutPortHashesTheAddressOnly() {
        IpvsMhTable t = threeEqual();
        // slot 128 (see above) belongs to A in round 3
        assertEquals(128, t.slot(ip("192.168.1.1"), 40000));
        assertEquals("10.0.0.1:80", t.lookup(ip("192.168.1.1"), 40000).orElseThrow().key());
        assertEquals("10.0.0.1:80", t.lookup(ip("192.168.1.1"), 1).orElseThrow().key());
    }

    @Test
    void mhPortHashesTheSourcePort() {
        IpvsMhTable t = IpvsMhTable.builder().tableSize(251).mhPort(true)
                .add("10.0.0.1:80", 1).add("10.0.0.2:80", 1).add("10.0.0.3:80", 1).build();
        assertEquals(121, t.slot(ip("192.168.1.1"), 12345));
        assertEquals(128, t.slot(ip("192.168.1.1"), 0));
        assertEquals(t.destinationIndexAt(121), t.lookupIndex(ip("192.168.1.1"), 12345));
    }

    @Test
    void sourcePort20IsNeverScheduled() {
        IpvsMhTable t = threeEqual();
        assertTrue(t.lookup(ip("192.168.1.1"), 20).isEmpty());
        assertTrue(t.lookup(ip("192.168.1.1"), 21).isPresent());
    }

    /*
     * A weight 3 (added first), B weight 1: gcd 1; fls(3) = 2 < IP_VS_MH_TAB_BITS (4 at M=251) -> rshift 0;
     * turns A 3, B 1. List order B, A.
     *   round 1: B 26; A 226, 177, 128    round 2: B 17; A 79, 30, 232 (30+202)
     * 4 slots a round: 62 rounds fill 248, round 63: B one, A two -> B 63, A 188.
     */
    @Test
    void turnsClaimConsecutively() {
        IpvsMhTable t = IpvsMhTable.builder().tableSize(251).add("10.0.0.1:80", 3).add("10.0.0.2:80", 1).build();
        assertEquals(3, t.turns(0));
        assertEquals(1, t.turns(1));
        int[][] expected = {{26, 1}, {226, 0}, {177, 0}, {128, 0}, {17, 1}, {79, 0}, {30, 0}, {232, 0}};
        for (int[] e : expected) {
            assertEquals(e[1], t.destinationIndexAt(e[0]), "slot " + e[0]);
        }
        assertEquals(188, t.entries(0));
        assertEquals(63, t.entries(1));
    }

    /*
     * A 1000, B 1: gcd 1, max/gcd 1000, fls(1000) = 10.
     *   M=251  (CONFIG_IP_VS_MH_TAB_INDEX 8, TAB_BITS 4): rshift 6, turns A 1000>>6 = 15, B (1>>6 = 0) ?: 1 = 1;
     *          16 a round, 15 rounds = 240, round 16: B 1, A 10 -> A 235, B 16.
     *   M=4093 (index 12, TAB_BITS 6): rshift 4, turns A 62, B 1; 63 a round, 64 rounds = 4032,
     *          round 65: B 1, A 60 -> A 4028, B 65.
     */
    @Test
    void rshiftDependsOnTheTableSize() {
        IpvsMhTable small = IpvsMhTable.builder().tableSize(251).add("10.0.0.1:80", 1000).add("10.0.0.2:80", 1).build();
        assertEquals(6, small.rshift());
        assertEquals(15, small.turns(0));
        assertEquals(1, small.turns(1));
        assertEquals(235, small.entries(0));
        assertEquals(16, small.entries(1));
        IpvsMhTable stock = IpvsMhTable.builder().add("10.0.0.1:80", 1000).add("10.0.0.2:80", 1).build();
        assertEquals(4093, stock.size());
        assertEquals(4, stock.rshift());
        assertEquals(62, stock.turns(0));
        assertEquals(4028, stock.entries(0));
        assertEquals(65, stock.entries(1));
    }

    @Test
    void gcdDividesTheWeights() {
        // 4 and 6: gcd 2 -> turns 2 and 3
        IpvsMhTable t = IpvsMhTable.builder().tableSize(251).add("10.0.0.1:80", 4).add("10.0.0.2:80", 6).build();
        assertEquals(2, t.gcd());
        assertEquals(2, t.turns(0));
        assertEquals(3, t.turns(1));
        // list order B, A; 5 a round: 50 rounds = 250, round 51: B takes the last slot
        assertEquals(100, t.entries(0));
        assertEquals(151, t.entries(1));
    }

    @Test
    void addOrderMattersAndIsReversed() {
        IpvsMhTable abc = threeEqual();
        IpvsMhTable cba = IpvsMhTable.builder().tableSize(251)
                .add("10.0.0.3:80", 1).add("10.0.0.2:80", 1).add("10.0.0.1:80", 1).build();
        // in cba, A is newest: it claims first (226), and with 84 entries
        assertEquals("10.0.0.1:80", cba.destinationAt(226).orElseThrow().key());
        assertEquals(84, cba.entries(2));
        assertEquals(83, cba.entries(0)); // C, oldest
        int differ = 0;
        for (int s = 0; s < 251; s++) {
            if (!abc.destinationAt(s).orElseThrow().key().equals(cba.destinationAt(s).orElseThrow().key())) {
                differ++;
            }
        }
        assertNotEquals(0, differ, "the add order must change the table");
    }

    @Test
    void addedWithWeightZeroNeverAppears() {
        IpvsMhTable t = IpvsMhTable.builder().tableSize(251).add("10.0.0.1:80", 1).add("10.0.0.2:80", 0).build();
        assertEquals(251, t.entries(0));
        assertEquals(0, t.entries(1));
        assertEquals(0, t.turns(1));
    }

    @Test
    void editedToZeroKeepsItsSlotsButIsNotChosen() {
        IpvsMhTable before = threeEqual();
        IpvsMhTable after = IpvsMhTable.builder().tableSize(251)
                .add("10.0.0.1:80", 1).add("10.0.0.2:80", 1).add("10.0.0.3:80", 1)
                .edit(ip("10.0.0.1"), 80, 0).build();
        assertEquals(1, after.destinations().get(0).lastWeight());
        assertEquals(0, after.destinations().get(0).weight());
        for (int s = 0; s < 251; s++) {
            assertEquals(before.destinationIndexAt(s), after.destinationIndexAt(s), "slot " + s);
        }
        // 192.168.1.1 lands in slot 128, which is A's: no destination
        assertTrue(after.lookup(ip("192.168.1.1"), 5000).isEmpty());
    }

    @Test
    void fallbackRehashesPastUnavailableDestinations() {
        IpvsMhTable t = IpvsMhTable.builder().tableSize(251).mhFallback(true)
                .add("10.0.0.1:80", 1).add("10.0.0.2:80", 1).add("10.0.0.3:80", 1)
                .edit(ip("10.0.0.1"), 80, 0).build();
        String chosen = t.lookup(ip("192.168.1.1"), 5000).orElseThrow().key();
        assertNotEquals("10.0.0.1:80", chosen);
        // ip_vs_mh_get_fallback: offset 0 gives roffset = ihash = 128, hashing 128 + 0 + 0xc0a80101
        int h = Integer.remainderUnsigned(SipHash.hsiphash32(HASH1, HASH1, 128 + 0xc0a80101), 251);
        int expected = t.destinationIndexAt(h);
        if (expected == 0) { // A again: the loop continues with roffset 129
            expected = t.destinationIndexAt(Integer.remainderUnsigned(SipHash.hsiphash32(HASH1, HASH1, 129 + 0xc0a80101), 251));
        }
        assertNotEquals(0, expected);
        assertEquals(t.destinations().get(expected).key(), chosen);
    }

    @Test
    void reEditingRestoresAndEditToNonZeroChangesTheTable() {
        IpvsMhTable t = IpvsMhTable.builder().tableSize(251)
                .add("10.0.0.1:80", 1).add("10.0.0.2:80", 1).edit(ip("10.0.0.1"), 80, 3).build();
        assertEquals(3, t.turns(0));
        assertEquals(3, t.destinations().get(0).lastWeight());
    }

    @Test
    void deleteAndReAddMovesToTheFront() {
        IpvsMhTable t = IpvsMhTable.builder().tableSize(251)
                .add("10.0.0.3:80", 1).add("10.0.0.2:80", 1).add("10.0.0.1:80", 1)
                .delete(ip("10.0.0.3"), 80).add("10.0.0.3:80", 1).build();
        // now added B, A, C: same list order as threeEqual() except A/B, so C is newest again
        assertEquals("10.0.0.3:80", t.destinationAt(80).orElseThrow().key());
        assertEquals("10.0.0.3:80", t.destinations().get(2).key());
    }

    /*
     * IPv6 folding: 2001:db8::1 -> 0x20010db8 ^ 0 ^ 0 ^ 0x00000001 = 0x20010db9; 2001:db8::ff:1 -> 0x20010db8 ^ 0x00ff0001.
     */
    @Test
    void ipv6AddressesAreXorFolded() {
        IpvsMhTable t = IpvsMhTable.builder().tableSize(4093).add("[2001:db8::10]:80", 1).build();
        assertTrue(t.ipv6Service());
        assertEquals(Integer.remainderUnsigned(SipHash.hsiphash32(HASH1, HASH1, 0x20010db9), 4093),
                t.slot(ip("2001:db8::1"), 999));
        assertEquals(Integer.remainderUnsigned(SipHash.hsiphash32(HASH1, HASH1, 0x20010db8 ^ 0x00ff0001), 4093),
                t.slot(ip("2001:db8::ff:1"), 999));
        assertThrows(IllegalArgumentException.class, () -> t.lookup(ip("10.0.0.1"), 1));
    }

    @Test
    void emptyServiceSchedulesNothing() {
        IpvsMhTable t = IpvsMhTable.builder().build();
        assertTrue(t.lookup(ip("10.1.1.1"), 1000).isEmpty());
        assertEquals(0, t.gcd());
        IpvsMhTable allZero = IpvsMhTable.builder().add("10.0.0.1:80", 0).build();
        assertEquals(-1, allZero.destinationIndexAt(0));
        assertTrue(allZero.lookup(ip("10.1.1.1"), 1000).isEmpty());
    }

    @Test
    void builderRefusesWhatTheKernelRefuses() {
        var e = assertThrows(IllegalArgumentException.class, () -> IpvsMhTable.builder().tableSize(4099));
        assertTrue(e.getMessage().contains("4093"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> IpvsMhTable.builder().add("10.0.0.1:80", 1).add("10.0.0.1:80", 2));
        assertThrows(IllegalArgumentException.class, () -> IpvsMhTable.builder().edit(ip("10.0.0.1"), 80, 1));
        assertThrows(IllegalArgumentException.class, () -> IpvsMhTable.builder().delete(ip("10.0.0.1"), 80));
        assertThrows(IllegalArgumentException.class, () -> IpvsMhTable.builder().add("10.0.0.1:80", -1));
        assertThrows(IllegalArgumentException.class, () -> IpvsMhTable.builder().add("10.0.0.1", 1));
        assertThrows(IllegalArgumentException.class, () -> threeEqual().lookup(ip("10.0.0.9"), 70000));
        IpvsMhTable.Builder full = IpvsMhTable.builder().tableSize(251);
        for (int i = 0; i < 251; i++) {
            full.add(ip("10.1.0." + (i % 250 + 1)), 1000 + i, 1);
        }
        assertThrows(IllegalArgumentException.class, () -> full.add("10.2.0.1:80", 1));
    }

    static LongStream seeds() {
        return Seeds.of("ipvsMhProperties", 30);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void tableIsFullAndLookupsAgreeWithTheTable(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int m = IpvsMhTable.TABLE_SIZES.get(r.nextInt(5));
        IpvsMhTable.Builder b = IpvsMhTable.builder().tableSize(m).mhPort(r.nextBoolean());
        int n = 1 + r.nextInt(40);
        for (int i = 0; i < n; i++) {
            b.add(ip("10.0." + (i / 200) + "." + (i % 200 + 1)), 80, 1 + r.nextInt(5));
        }
        IpvsMhTable t = b.build();
        int[] counts = new int[n];
        for (int s = 0; s < m; s++) {
            int d = t.destinationIndexAt(s);
            assertTrue(d >= 0, "slot " + s + " empty");
            counts[d]++;
        }
        for (int i = 0; i < n; i++) {
            assertEquals(counts[i], t.entries(i));
            assertTrue(counts[i] >= 1);
        }
        assertEquals(m, Arrays.stream(counts).sum());
        for (int k = 0; k < 200; k++) {
            int addr = r.nextInt();
            int port = r.nextInt(65536);
            InetAddress client = ip(((addr >>> 24) & 0xFF) + "." + ((addr >>> 16) & 0xFF) + "." + ((addr >>> 8) & 0xFF) + "." + (addr & 0xFF));
            int expected = port == 20 ? -1 : t.destinationIndexAt(t.slot(client, port));
            assertEquals(expected, t.lookupIndex(client, port));
            assertEquals(expected, t.lookupIndexIpv4(addr, port));
        }
    }
}
