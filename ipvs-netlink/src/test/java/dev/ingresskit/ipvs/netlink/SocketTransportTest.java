package dev.ingresskit.ipvs.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.internal.GenetlinkH;
import dev.ingresskit.ipvs.internal.NetlinkH;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real AF_NETLINK socket on the host kernel, which has Generic Netlink (family "nlctrl") but no
 * IPVS: proves the FFM bindings, errno capture, timeouts and truncation-safe receives here; the
 * IPVS paths are proven in the VM.
 */
class SocketTransportTest {
    private static byte[] getFamilyPayload(String name, boolean dump) {
        byte[] attrs = dump ? new byte[0]
                : new AttributeEncoder().string(GenetlinkH.CTRL_ATTR_FAMILY_NAME, name).toByteArray();
        byte[] payload = new byte[4 + attrs.length];
        payload[0] = (byte) GenetlinkH.CTRL_CMD_GETFAMILY;
        payload[1] = 1;
        System.arraycopy(attrs, 0, payload, 4, attrs.length);
        return payload;
    }

    @Test
    void resolvesTheControllerFamilyOnTheHostKernel() throws NetlinkException {
        try (NetlinkConnection c = NetlinkConnection.open(NetlinkH.NETLINK_GENERIC)) {
            assertTrue(c.portId() != 0, "the kernel assigned a port id");
            List<NetlinkMessage> replies = c.request(GenetlinkH.GENL_ID_CTRL, 0, getFamilyPayload("nlctrl", false),
                    "get nlctrl");
            assertEquals(1, replies.size());
            AttributeDecoder d = new AttributeDecoder(replies.getFirst().payload().position(4), "family");
            int id = -1;
            while (d.next()) {
                if (d.type() == GenetlinkH.CTRL_ATTR_FAMILY_ID) {
                    id = d.u16();
                }
            }
            assertEquals(GenetlinkH.GENL_ID_CTRL, id);
        }
    }

    @Test
    void missingFamilyIsENOENTWithTheKernelsExtendedAck() throws NetlinkException {
        try (NetlinkConnection c = NetlinkConnection.open(NetlinkH.NETLINK_GENERIC)) {
            NetlinkException e = assertThrows(NetlinkException.class, () -> c.request(GenetlinkH.GENL_ID_CTRL, 0,
                    getFamilyPayload("nosuchfam", false), "get family"));
            assertEquals("ENOENT", e.errnoName());
            assertTrue(e.isNotFound());
            assertTrue(e.sequence() != 0);
        }
    }

    @Test
    void policyViolationCarriesTheKernelsExtendedAckMessageAndOffset() throws NetlinkException {
        try (NetlinkConnection c = NetlinkConnection.open(NetlinkH.NETLINK_GENERIC)) {
            // CTRL_ATTR_FAMILY_NAME is limited to GENL_NAMSIZ (16) bytes: the policy rejects 20.
            NetlinkException e = assertThrows(NetlinkException.class, () -> c.request(GenetlinkH.GENL_ID_CTRL, 0,
                    getFamilyPayload("a-family-name-too-long", false), "get family"));
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.kernelMessage() != null && !e.kernelMessage().isEmpty(), e.getMessage());
            // the offending attribute starts right after nlmsghdr (16) + genlmsghdr (4)
            assertEquals(20, e.errorOffset(), e.getMessage());
        }
    }

    @Test
    void aTinyReceiveBufferGrowsInsteadOfTruncating() throws NetlinkException {
        // The controller's dump of every family spans datagrams of several KB; start with 64 bytes.
        try (NetlinkConnection c = new NetlinkConnection(SocketTransport.open(NetlinkH.NETLINK_GENERIC, 64))) {
            List<NetlinkMessage> families = c.dump(GenetlinkH.GENL_ID_CTRL, getFamilyPayload(null, true), "dump");
            assertTrue(families.size() >= 2, "nlctrl plus at least one other family: " + families.size());
            for (NetlinkMessage m : families) {
                assertTrue(m.payloadLength() > 64, "a whole family description arrived: " + m.payloadLength());
            }
        }
    }

    @Test
    void receiveWithNothingPendingTimesOut() throws NetlinkException {
        SocketTransport t = SocketTransport.open(NetlinkH.NETLINK_GENERIC);
        try {
            t.receiveTimeout(Duration.ofMillis(50));
            long start = System.nanoTime();
            NetlinkException e = assertThrows(NetlinkException.class, t::receive);
            assertTrue(e.isTimeout(), e.getMessage());
            assertTrue(System.nanoTime() - start < 5_000_000_000L);
        } finally {
            t.close();
            t.close();
        }
    }

    @Test
    void opensInsideANamespaceFileWithoutMovingTheCaller() throws Exception {
        Path mine = Path.of("/proc/self/ns/net");
        String before = java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        try (NetlinkConnection c = NetlinkConnection.open(NetlinkH.NETLINK_GENERIC, mine)) {
            assertEquals(1, c.request(GenetlinkH.GENL_ID_CTRL, 0, getFamilyPayload("nlctrl", false), "get").size());
        } catch (NetlinkException e) {
            // setns needs CAP_SYS_ADMIN: without it the failure must still be typed and name the call.
            assertTrue(e.isPermissionDenied() && e.operation().startsWith("setns"), e.getMessage());
        }
        assertEquals(before, java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
    }

    @Test
    void missingNamespaceFileIsTypedENOENT() {
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> NetlinkConnection.open(NetlinkH.NETLINK_GENERIC, Path.of("/run/netns/ingresskit-no-such-ns")));
        assertEquals("ENOENT", e.errnoName());
        assertTrue(e.operation().contains("/run/netns/ingresskit-no-such-ns"), e.operation());
    }

    @Test
    void aReceivedDatagramEndsWhereRecvfromSaidNotWhereTheBufferEnds() throws NetlinkException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256, 8);
            // An earlier, longer datagram left two whole messages in the buffer ...
            byte[] stale = FakeTransport.datagram(FakeTransport.message(NetlinkH.NLMSG_NOOP, 0, 7, new byte[24]),
                    FakeTransport.message(NetlinkH.NLMSG_NOOP, 0, 8, new byte[24]));
            MemorySegment.copy(stale, 0, buffer, ValueLayout.JAVA_BYTE, 0, stale.length);
            // ... and the new one, 20 bytes, overwrote only the start of the first.
            byte[] fresh = FakeTransport.message(NetlinkH.NLMSG_NOOP, 0, 9, new byte[] {1, 2, 3, 4});
            MemorySegment.copy(fresh, 0, buffer, ValueLayout.JAVA_BYTE, 0, fresh.length);

            ByteBuffer datagram = SocketTransport.received(buffer, fresh.length);
            assertEquals(fresh.length, datagram.remaining());
            assertEquals(fresh.length, datagram.capacity(), "nothing past the received bytes is reachable");
            assertThrows(IndexOutOfBoundsException.class, () -> datagram.get(fresh.length));
            List<NetlinkMessage> messages = Messages.decode(datagram);
            assertEquals(1, messages.size(), "the stale tail must not parse as more messages: " + messages);
            assertEquals(9, messages.getFirst().sequence());
        }
    }

    @Test
    void aReceivedLengthOutsideTheBufferIsATypedError() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64, 8);
            for (long length : new long[] {65, -1, Long.MAX_VALUE}) {
                NetlinkException e = assertThrows(NetlinkException.class, () -> SocketTransport.received(buffer, length));
                assertTrue(e.getMessage().contains("received length " + length), e.getMessage());
            }
        }
    }

    @Test
    void theSendersPortIdIsReadOnlyFromTheAddressBytesTheKernelWrote() throws NetlinkException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(12, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) NetlinkH.AF_NETLINK);
            address.set(ValueLayout.JAVA_INT, 4, 0); // a stale nl_pid 0 ("the kernel") from an earlier call
            for (int written : new int[] {0, 2, 4, 7}) {
                NetlinkException e = assertThrows(NetlinkException.class,
                        () -> SocketTransport.portIdOf(address, written, "recvfrom"));
                assertTrue(e.isMalformed() && e.getMessage().contains("address of " + written + " byte(s)"),
                        e.getMessage());
            }
            address.set(ValueLayout.JAVA_INT, 4, 4711);
            assertEquals(4711, SocketTransport.portIdOf(address, 12, "recvfrom"));
            assertEquals(4711, SocketTransport.portIdOf(address, 8, "recvfrom"));
            assertEquals(4711, SocketTransport.portIdOf(address, 16, "recvfrom"), "a truncated address still has nl_pid");
        }
    }

    @Test
    void aSmallReplyAfterABigDumpCarriesNoneOfTheDumpsBytes() throws NetlinkException {
        SocketTransport t = SocketTransport.open(NetlinkH.NETLINK_GENERIC);
        try {
            // Fill the receive buffer with a dump's datagrams (several KB each) ...
            t.send(ByteBuffer.wrap(Messages.encode(GenetlinkH.GENL_ID_CTRL, NetlinkH.NLM_F_REQUEST | NetlinkH.NLM_F_DUMP,
                    1, 0, getFamilyPayload(null, true))));
            int largest = 0;
            boolean done = false;
            while (!done) {
                ByteBuffer datagram = t.receive();
                largest = Math.max(largest, datagram.remaining());
                for (NetlinkMessage m : Messages.decode(datagram)) {
                    done |= m.type() == NetlinkH.NLMSG_DONE;
                }
            }
            // ... then ask for something short: the datagram is exactly its messages, nothing after.
            t.send(ByteBuffer.wrap(Messages.encode(GenetlinkH.GENL_ID_CTRL, NetlinkH.NLM_F_REQUEST | NetlinkH.NLM_F_ACK,
                    2, 0, getFamilyPayload("nosuchfam", false))));
            ByteBuffer reply = t.receive();
            List<NetlinkMessage> messages = Messages.decode(reply);
            int framed = 0;
            for (NetlinkMessage m : messages) {
                framed += NetlinkH.align(NetlinkH.NLMSG_HDRLEN + m.payloadLength());
            }
            assertTrue(reply.remaining() < largest, "reply " + reply.remaining() + " vs dump datagram " + largest);
            assertEquals(reply.capacity(), reply.remaining());
            assertEquals(NetlinkH.align(reply.remaining()), framed, "the datagram holds only its own messages");
            assertEquals(1, messages.size());
            assertEquals(NetlinkH.NLMSG_ERROR, messages.getFirst().type());
            assertEquals(2, messages.getFirst().sequence());
        } finally {
            t.close();
        }
    }
}
