package dev.ingresskit.ipvs.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.internal.NetlinkH;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request/ACK, dumps, batches, errors and stale replies over a scripted transport. */
class NetlinkConnectionTest {
    /** A kernel that ACKs every message (and answers dumps with two datagrams, then DONE). */
    private static List<ByteBuffer> echoKernel(ByteBuffer datagram) throws NetlinkException {
        List<ByteBuffer> out = new ArrayList<>();
        for (NetlinkMessage m : Messages.decode(datagram)) {
            byte[] header = Messages.encode(m.type(), m.flags(), m.sequence(), 0, new byte[0]);
            if ((m.flags() & NetlinkH.NLM_F_DUMP) == NetlinkH.NLM_F_DUMP) {
                out.add(ByteBuffer.wrap(FakeTransport.datagram(
                        FakeTransport.message(0x30, NetlinkH.NLM_F_MULTI, m.sequence(), new byte[] {1}),
                        FakeTransport.message(0x30, NetlinkH.NLM_F_MULTI, m.sequence(), new byte[] {2}))));
                out.add(ByteBuffer.wrap(FakeTransport.message(0x30, NetlinkH.NLM_F_MULTI, m.sequence(),
                        new byte[] {3})));
                out.add(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_DONE, NetlinkH.NLM_F_MULTI,
                        m.sequence(), new byte[4])));
                continue;
            }
            int error = m.payloadLength() > 0 && m.payload().get(0) == (byte) 0xEE ? -17 : 0;
            if (error == 0 && m.payloadLength() > 0 && m.payload().get(0) == 0x55) {
                out.add(ByteBuffer.wrap(FakeTransport.message(0x30, 0, m.sequence(), new byte[] {0x55})));
            }
            out.add(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_ERROR, NetlinkH.NLM_F_CAPPED, m.sequence(),
                    FakeTransport.errorPayload(error, header, new byte[0]))));
        }
        return out;
    }

    @Test
    void requestCollectsRepliesUntilTheAck() throws NetlinkException {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        try (NetlinkConnection c = t.connection()) {
            List<NetlinkMessage> replies = c.request(0x30, 0, new byte[] {0x55}, "op");
            assertEquals(1, replies.size());
            assertArrayEquals(new byte[] {0x55}, replies.getFirst().payloadBytes());
            NetlinkMessage sent = Messages.decode(ByteBuffer.wrap(t.sent().getFirst())).getFirst();
            assertEquals(NetlinkH.NLM_F_REQUEST | NetlinkH.NLM_F_ACK, sent.flags());
        }
    }

    @Test
    void kernelErrorBecomesTypedException() {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> t.connection().request(0x30, 0, new byte[] {(byte) 0xEE}, "create thing"));
        assertTrue(e.isExists());
        assertEquals("create thing", e.operation());
    }

    @Test
    void dumpReadsAllDatagramsUntilDone() throws NetlinkException {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        List<NetlinkMessage> replies = t.connection().dump(0x30, new byte[0], "dump");
        assertEquals(3, replies.size());
        assertEquals(3, replies.get(2).payload().get(0));
        NetlinkMessage sent = Messages.decode(ByteBuffer.wrap(t.sent().getFirst())).getFirst();
        assertEquals(NetlinkH.NLM_F_REQUEST | NetlinkH.NLM_F_DUMP, sent.flags());
    }

    @Test
    void staleRepliesWithOtherSequenceNumbersAreSkipped() throws NetlinkException {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        NetlinkConnection c = t.connection();
        t.inject(FakeTransport.message(0x30, 0, 12345, new byte[] {9})); // left over from an old request
        t.inject(FakeTransport.message(NetlinkH.NLMSG_ERROR, 0, 12345,
                FakeTransport.errorPayload(-22, new byte[16], new byte[0])));
        assertEquals(0, c.request(0x30, 0, new byte[] {1}, "op").size());
    }

    @Test
    void dumpErrorInDoneIsReported() {
        FakeTransport t = new FakeTransport(d -> {
            NetlinkMessage m = Messages.decode(d).getFirst();
            ByteBuffer done = ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(-16);
            return List.of(ByteBuffer.wrap(FakeTransport.message(NetlinkH.NLMSG_DONE, NetlinkH.NLM_F_MULTI,
                    m.sequence(), done.array())));
        });
        NetlinkException e = assertThrows(NetlinkException.class, () -> t.connection().dump(0x30, new byte[0], "d"));
        assertEquals("EBUSY", e.errnoName());
    }

    @Test
    void interruptedDumpIsRepeated() throws NetlinkException {
        int[] calls = {0};
        FakeTransport t = new FakeTransport(d -> {
            NetlinkMessage m = Messages.decode(d).getFirst();
            int flags = NetlinkH.NLM_F_MULTI | (calls[0]++ == 0 ? NetlinkH.NLM_F_DUMP_INTR : 0);
            return List.of(ByteBuffer.wrap(FakeTransport.datagram(
                    FakeTransport.message(0x30, flags, m.sequence(), new byte[] {(byte) calls[0]}),
                    FakeTransport.message(NetlinkH.NLMSG_DONE, flags, m.sequence(), new byte[4]))));
        });
        List<NetlinkMessage> replies = t.connection().dump(0x30, new byte[0], "d");
        assertEquals(2, calls[0]);
        assertEquals(2, replies.getFirst().payload().get(0), "the second, consistent dump is returned");
    }

    @Test
    void silenceIsATimeout() {
        FakeTransport t = new FakeTransport(d -> List.of());
        NetlinkException e = assertThrows(NetlinkException.class, () -> t.connection().request(0x30, 0, new byte[0], "op"));
        assertTrue(e.isTimeout());
    }

    @Test
    void batchReportsEachOutcomeAndSplitsIntoDatagrams() throws NetlinkException {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        List<NetlinkRequest> requests = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            requests.add(new NetlinkRequest(0x30, 0, new byte[] {(byte) (i % 7 == 0 ? 0xEE : 1)}, "r" + i));
        }
        List<NetlinkResult> results = t.connection().batch(requests);
        assertEquals(300, results.size());
        for (int i = 0; i < 300; i++) {
            assertEquals(i % 7 != 0, results.get(i).ok(), "request " + i);
            assertEquals("r" + i, results.get(i).request().operation());
            if (i % 7 == 0) {
                assertTrue(results.get(i).error().isExists());
            }
        }
        assertEquals(3, t.sent().size(), "300 requests in datagrams of at most 128");
        assertEquals(128, Messages.decode(ByteBuffer.wrap(t.sent().getFirst())).size());
    }

    @Test
    void batchMarksUnacknowledgedRequestsAsUnknown() throws NetlinkException {
        FakeTransport t = new FakeTransport(d -> {
            List<ByteBuffer> acks = echoKernel(d);
            return acks.subList(0, 2); // the kernel's queue overflowed: the third ACK never comes
        });
        List<NetlinkRequest> requests = List.of(new NetlinkRequest(0x30, 0, new byte[] {1}, "a"),
                new NetlinkRequest(0x30, 0, new byte[] {1}, "b"), new NetlinkRequest(0x30, 0, new byte[] {1}, "c"));
        List<NetlinkResult> results = t.connection().batch(requests);
        assertTrue(results.get(0).ok() && results.get(1).ok());
        assertTrue(results.get(2).error().getMessage().contains("outcome unknown"), results.get(2).error().getMessage());
    }

    @Test
    void dumpsCannotBeBatched() {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        assertThrows(IllegalArgumentException.class, () -> t.connection().batch(
                List.of(new NetlinkRequest(0x30, NetlinkH.NLM_F_DUMP, new byte[0], "d"))));
    }

    @Test
    void closeIsIdempotentAndLaterUseFailsClearly() {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        NetlinkConnection c = t.connection();
        c.close();
        c.close();
        assertEquals(1, t.closes());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.request(0x30, 0, new byte[0], "x"));
        assertTrue(e.getMessage().contains("closed"));
    }

    @Test
    void sequenceNumbersIncreaseAndAreNeverZero() throws NetlinkException {
        FakeTransport t = new FakeTransport(NetlinkConnectionTest::echoKernel);
        NetlinkConnection c = t.connection();
        c.request(0x30, 0, new byte[0], "a");
        c.request(0x30, 0, new byte[0], "b");
        int first = Messages.decode(ByteBuffer.wrap(t.sent().get(0))).getFirst().sequence();
        int second = Messages.decode(ByteBuffer.wrap(t.sent().get(1))).getFirst().sequence();
        assertEquals(first + 1, second);
        assertTrue(first != 0);
    }
}
