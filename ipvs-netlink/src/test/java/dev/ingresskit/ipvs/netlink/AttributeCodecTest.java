package dev.ingresskit.ipvs.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ingresskit.testsupport.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attribute TLVs against bytes computed by hand from {@code struct nlattr} (u16 nla_len counting
 * the 4-byte header and the value but not the padding, u16 nla_type, value, zero padding to 4) in
 * little-endian, the byte order of the x86-64 and arm64 hosts this runs on.
 */
class AttributeCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeEach
    void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    private static byte[] hex(String text) {
        return HEX.parseHex(text.replace(" ", ""));
    }

    @Test
    void encodesEachScalarWithHeaderAndPadding() {
        assertArrayEquals(hex("05000100 ab000000"), new AttributeEncoder().u8(1, 0xAB).toByteArray());
        assertArrayEquals(hex("06000200 34120000"), new AttributeEncoder().u16(2, 0x1234).toByteArray());
        assertArrayEquals(hex("06000400 00500000"), new AttributeEncoder().u16be(4, 80).toByteArray());
        assertArrayEquals(hex("08000300 04030201"), new AttributeEncoder().u32(3, 0x01020304).toByteArray());
        assertArrayEquals(hex("0c000500 08070605 04030201"),
                new AttributeEncoder().u64(5, 0x0102030405060708L).toByteArray());
        assertArrayEquals(hex("07000600 72720000"), new AttributeEncoder().string(6, "rr").toByteArray());
        assertArrayEquals(hex("04000700"), new AttributeEncoder().flag(7).toByteArray());
        assertArrayEquals(hex("07000800 010203 00"), new AttributeEncoder().bytes(8, new byte[] {1, 2, 3}).toByteArray());
    }

    @Test
    void nestedSetsFlagAndCountsItsBody() {
        byte[] bytes = new AttributeEncoder().nested(1, e -> e.u16(1, 2).u8(3, 9)).toByteArray();
        // outer: len 4 + 8 + 8 = 20 = 0x14, type 1 | NLA_F_NESTED (0x8000)
        assertArrayEquals(hex("14000180 06000100 02000000 05000300 09000000"), bytes);
    }

    @Test
    void paddingBytesAreZeroEvenAfterReuse() {
        AttributeEncoder e = new AttributeEncoder(16);
        e.u32(1, -1).u32(2, -1).reset();
        assertArrayEquals(hex("05000100 07000000"), e.u8(1, 7).toByteArray());
    }

    @Test
    void encoderRejectsMisuse() {
        assertThrows(IllegalArgumentException.class, () -> new AttributeEncoder().u8(0x4000, 1));
        assertThrows(IllegalArgumentException.class, () -> new AttributeEncoder().bytes(1, new byte[65532]));
        AttributeEncoder open = new AttributeEncoder();
        open.beginNested(1);
        assertThrows(IllegalStateException.class, open::toByteArray);
        assertThrows(IllegalStateException.class, () -> new AttributeEncoder().endNested(0));
    }

    @Test
    void decodesEveryTypeItEncodes() throws NetlinkException {
        byte[] bytes = new AttributeEncoder().u8(1, 200).u16(2, 65000).u16be(3, 8080).u32(4, -2).u64(5, -3L)
                .string(6, "mh").nested(7, e -> e.u32(1, 42)).toByteArray();
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(bytes), "test");
        assertTrue(d.next());
        assertEquals(1, d.type());
        assertEquals(200, d.u8());
        assertTrue(d.next());
        assertEquals(65000, d.u16());
        assertTrue(d.next());
        assertEquals(8080, d.u16be());
        assertTrue(d.next());
        assertEquals(-2, d.u32());
        assertTrue(d.next());
        assertEquals(-3L, d.u64());
        assertTrue(d.next());
        assertEquals("mh", d.string());
        assertTrue(d.next());
        assertEquals(7, d.type());
        assertTrue(d.nestedFlag());
        AttributeDecoder inner = d.nested("inner");
        assertTrue(inner.next());
        assertEquals(42, inner.u32());
        assertFalse(inner.next());
        assertFalse(d.next());
    }

    @Test
    void truncatedHeaderIsMalformedWithOffset() {
        NetlinkException e = assertThrows(NetlinkException.class, () -> decodeAll(hex("08000100 01000000 0600")));
        assertTrue(e.isMalformed());
        assertTrue(e.getMessage().contains("offset 8"), e.getMessage());
    }

    @Test
    void lengthBeyondRegionNamesTypeAndLength() {
        NetlinkException e = assertThrows(NetlinkException.class, () -> decodeAll(hex("10000300 01000000")));
        assertTrue(e.isMalformed());
        assertTrue(e.getMessage().contains("type 3") && e.getMessage().contains("nla_len 16"), e.getMessage());
    }

    @Test
    void lengthBelowHeaderIsMalformed() {
        NetlinkException e = assertThrows(NetlinkException.class, () -> decodeAll(hex("02000300")));
        assertTrue(e.getMessage().contains("nla_len 2"), e.getMessage());
    }

    @Test
    void wrongSizeForTypedReadNamesTheAttribute() throws NetlinkException {
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(hex("06000900 01000000")), "test");
        assertTrue(d.next());
        NetlinkException e = assertThrows(NetlinkException.class, d::u32);
        assertTrue(e.getMessage().contains("attribute type 9") && e.getMessage().contains("needs 4"), e.getMessage());
    }

    @Test
    void nestedErrorsReportOffsetFromTheOuterRegion() throws NetlinkException {
        // outer attr at 0 (len 12), inner attr at offset 4 claims 9 bytes but only 8 remain
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(hex("0c000180 09000200 01000000")), "outer");
        assertTrue(d.next());
        AttributeDecoder inner = d.nested("inner");
        NetlinkException e = assertThrows(NetlinkException.class, inner::next);
        assertTrue(e.getMessage().contains("offset 4") && e.getMessage().contains("outer > inner"), e.getMessage());
    }

    @Test
    void accessorBeforeNextIsAProgrammingError() {
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.allocate(0), "empty");
        assertThrows(IllegalStateException.class, d::type);
    }

    static LongStream seeds() {
        return Seeds.of("attributeRoundTrip", 200);
    }

    /** Random attribute lists (scalars, strings, nests) decode to exactly what was encoded. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void roundTrip(long seed) throws NetlinkException {
        SplittableRandom random = new SplittableRandom(seed);
        List<Object[]> written = new ArrayList<>();
        AttributeEncoder e = new AttributeEncoder(8);
        int count = random.nextInt(0, 20);
        for (int i = 0; i < count; i++) {
            int type = random.nextInt(0, 0x4000);
            switch (random.nextInt(6)) {
                case 0 -> { int v = random.nextInt(256); e.u8(type, v); written.add(new Object[] {type, 1, (long) v}); }
                case 1 -> { int v = random.nextInt(65536); e.u16(type, v); written.add(new Object[] {type, 2, (long) v}); }
                case 2 -> { int v = random.nextInt(); e.u32(type, v); written.add(new Object[] {type, 4, (long) v}); }
                case 3 -> { long v = random.nextLong(); e.u64(type, v); written.add(new Object[] {type, 8, v}); }
                case 4 -> {
                    byte[] v = new byte[random.nextInt(0, 40)];
                    random.nextBytes(v);
                    e.bytes(type, v);
                    written.add(new Object[] {type, -1, v});
                }
                default -> {
                    int inner = random.nextInt();
                    e.nested(type, n -> n.u32(1, inner));
                    written.add(new Object[] {type, 0, (long) inner});
                }
            }
        }
        byte[] bytes = e.toByteArray();
        assertEquals(0, bytes.length % 4, "attributes end 4-byte aligned");
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(bytes), "round trip");
        for (Object[] w : written) {
            assertTrue(d.next());
            assertEquals((int) w[0], d.type());
            switch ((int) w[1]) {
                case 1 -> assertEquals((long) w[2], d.u8());
                case 2 -> assertEquals((long) w[2], d.u16());
                case 4 -> assertEquals((long) w[2], d.u32());
                case 8 -> assertEquals((long) w[2], d.u64());
                case -1 -> assertArrayEquals((byte[]) w[2], d.bytes());
                default -> {
                    AttributeDecoder n = d.nested("n");
                    assertTrue(n.next());
                    assertEquals((long) w[2], n.u32());
                }
            }
        }
        assertFalse(d.next());
    }

    static LongStream fuzzSeeds() {
        return Seeds.of("attributeFuzz", 300);
    }

    /** Random and truncated bytes: the decoder ends or throws NetlinkException, nothing else. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fuzzSeeds")
    void randomAndTruncatedInputNeverEscapesAsAnotherException(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = new AttributeEncoder().u32(1, 5).nested(2, n -> n.string(1, "wlc").u16be(2, 80)).u64(3, 9)
                .toByteArray();
        byte[] input = random.nextBoolean() ? java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1))
                : new byte[random.nextInt(64)];
        if (input.length > 0 && random.nextBoolean()) {
            random.nextBytes(input);
        } else if (input.length > 0) {
            input[random.nextInt(input.length)] = (byte) random.nextInt();
        }
        try {
            walk(new AttributeDecoder(ByteBuffer.wrap(input), "fuzz"), 0);
        } catch (NetlinkException expected) {
            assertTrue(expected.isMalformed());
        }
    }

    private static void walk(AttributeDecoder d, int depth) throws NetlinkException {
        while (d.next()) {
            d.bytes();
            d.string();
            if (d.length() == 4) {
                d.u32();
            }
            if (depth < 3) {
                walk(d.nested("n"), depth + 1);
            }
        }
    }

    private static void decodeAll(byte[] bytes) throws NetlinkException {
        AttributeDecoder d = new AttributeDecoder(ByteBuffer.wrap(bytes), "test");
        while (d.next()) {
            d.bytes();
        }
    }
}
