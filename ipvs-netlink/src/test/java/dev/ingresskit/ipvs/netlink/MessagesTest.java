package dev.ingresskit.ipvs.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ingresskit.ipvs.internal.NetlinkH;
import dev.ingresskit.testsupport.Seeds;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code struct nlmsghdr} and {@code struct nlmsgerr} against hand-computed little-endian bytes. */
class MessagesTest {
    private static final HexFormat HEX = HexFormat.of();

    @BeforeEach
    void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "golden bytes are little-endian");
    }

    private static byte[] hex(String text) {
        return HEX.parseHex(text.replace(" ", ""));
    }

    @Test
    void encodesHeaderAndPadsPayload() {
        // len 16+5 = 21 (0x15), type 0x10, flags REQUEST|ACK (5), seq 7, pid 0, payload 03 01 00 00 ff, 3 pad bytes
        byte[] bytes = Messages.encode(0x10, 5, 7, 0, hex("03010000ff"));
        assertArrayEquals(hex("15000000 1000 0500 07000000 00000000 03010000 ff000000"), bytes);
    }

    @Test
    void decodesSeveralMessagesInOneDatagram() throws NetlinkException {
        byte[] a = Messages.encode(0x20, 2, 1, 9, hex("0102"));
        byte[] b = Messages.encode(NetlinkH.NLMSG_DONE, 2, 1, 9, hex("00000000"));
        List<NetlinkMessage> messages = Messages.decode(ByteBuffer.wrap(FakeTransport.datagram(a, b)));
        assertEquals(2, messages.size());
        assertEquals(0x20, messages.get(0).type());
        assertArrayEquals(hex("0102"), messages.get(0).payloadBytes(), "payload excludes padding");
        assertEquals(NetlinkH.NLMSG_DONE, messages.get(1).type());
        assertEquals(9, messages.get(1).portId());
    }

    @Test
    void lastMessageWithoutPaddingIsAccepted() throws NetlinkException {
        byte[] a = Messages.encode(0x20, 0, 1, 0, hex("01"));
        byte[] unpadded = java.util.Arrays.copyOf(a, 17);
        assertEquals(1, Messages.decode(ByteBuffer.wrap(unpadded)).getFirst().payloadLength());
    }

    @Test
    void badLengthsAreMalformedWithOffsets() {
        NetlinkException shortHeader = assertThrows(NetlinkException.class,
                () -> Messages.decode(ByteBuffer.wrap(hex("1000000010000000"))));
        assertTrue(shortHeader.isMalformed() && shortHeader.getMessage().contains("truncated header at offset 0"),
                shortHeader.getMessage());
        NetlinkException tooLong = assertThrows(NetlinkException.class,
                () -> Messages.decode(ByteBuffer.wrap(hex("40000000 1000 0000 01000000 00000000"))));
        assertTrue(tooLong.getMessage().contains("nlmsg_len 64"), tooLong.getMessage());
        NetlinkException tooShort = assertThrows(NetlinkException.class,
                () -> Messages.decode(ByteBuffer.wrap(hex("08000000 1000 0000 01000000 00000000"))));
        assertTrue(tooShort.getMessage().contains("nlmsg_len 8"), tooShort.getMessage());
        NetlinkException huge = assertThrows(NetlinkException.class,
                () -> Messages.decode(ByteBuffer.wrap(hex("ffffffff 1000 0000 01000000 00000000"))));
        assertTrue(huge.getMessage().contains("nlmsg_len 4294967295"), huge.getMessage());
    }

    @Test
    void ackIsNullAndErrorCarriesExtendedAck() throws NetlinkException {
        byte[] request = Messages.encode(0x20, 5, 77, 0, new byte[4]);
        NetlinkMessage ack = Messages.decode(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_ERROR,
                NetlinkH.NLM_F_CAPPED, 77, FakeTransport.errorPayload(0, request, new byte[0])))).getFirst();
        assertNull(Messages.error(ack, "op"));

        // NLMSGERR_ATTR_MSG "Service exists" and NLMSGERR_ATTR_OFFS 20, after the capped echo
        byte[] tlvs = new AttributeEncoder().string(NetlinkH.NLMSGERR_ATTR_MSG, "Service exists")
                .u32(NetlinkH.NLMSGERR_ATTR_OFFS, 20).toByteArray();
        NetlinkMessage error = Messages.decode(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_ERROR,
                NetlinkH.NLM_F_CAPPED | NetlinkH.NLM_F_ACK_TLVS, 77, FakeTransport.errorPayload(-17, request, tlvs))))
                .getFirst();
        NetlinkException e = Messages.error(error, "IPVS create service");
        assertEquals(17, e.errno());
        assertEquals("EEXIST", e.errnoName());
        assertTrue(e.isExists());
        assertEquals("Service exists", e.kernelMessage());
        assertEquals(20, e.errorOffset());
        assertEquals(77, e.sequence());
        assertEquals("IPVS create service: EEXIST: kernel says \"Service exists\" at request offset 20 [seq 77]",
                e.getMessage());
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequestBeforeTlvs() throws NetlinkException {
        byte[] request = Messages.encode(0x20, 5, 3, 0, hex("0a0b0c0d0e"));
        byte[] tlvs = new AttributeEncoder().string(NetlinkH.NLMSGERR_ATTR_MSG, "bad").toByteArray();
        ByteBuffer payload = ByteBuffer.allocate(4 + request.length + tlvs.length).order(ByteOrder.nativeOrder());
        payload.putInt(-22).put(request).put(tlvs);
        NetlinkMessage error = Messages.decode(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_ERROR,
                NetlinkH.NLM_F_ACK_TLVS, 3, payload.array()))).getFirst();
        NetlinkException e = Messages.error(error, "op");
        assertEquals("EINVAL", e.errnoName());
        assertEquals("bad", e.kernelMessage());
    }

    @Test
    void shortErrorPayloadIsMalformed() throws NetlinkException {
        NetlinkMessage m = Messages.decode(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_ERROR, 0, 1,
                hex("ff")))).getFirst();
        assertTrue(assertThrows(NetlinkException.class, () -> Messages.error(m, "op")).isMalformed());
    }

    static LongStream seeds() {
        return Seeds.of("messageFuzz", 300);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomBytesDecodeOrFailTyped(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] valid = FakeTransport.datagram(Messages.encode(0x20, 2, 1, 0, new byte[random.nextInt(30)]),
                Messages.encode(NetlinkH.NLMSG_ERROR, 0, 1, 0, new byte[random.nextInt(40)]));
        byte[] input = java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
        for (int i = 0; i < 3 && input.length > 0; i++) {
            input[random.nextInt(input.length)] = (byte) random.nextInt();
        }
        try {
            for (NetlinkMessage m : Messages.decode(ByteBuffer.wrap(input))) {
                if (m.type() == NetlinkH.NLMSG_ERROR) {
                    Messages.error(m, "fuzz");
                }
            }
        } catch (NetlinkException expected) {
            assertTrue(expected.isMalformed(), expected.getMessage());
        }
    }
}
