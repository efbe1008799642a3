package dev.ingresskit.ipvs.genetlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.internal.GenetlinkH;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.FakeTransport;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenericNetlinkConnectionTest {
    @Test
    void resolvesRealFamiliesOnTheHostKernelAndCachesThem() throws NetlinkException {
        try (GenericNetlinkConnection genl = GenericNetlinkConnection.open()) {
            Family ctrl = genl.family("nlctrl");
            assertEquals(GenetlinkH.GENL_ID_CTRL, ctrl.id());
            assertEquals("nlctrl", ctrl.name());
            assertTrue(ctrl.version() >= 1, "version " + ctrl.version());
            assertTrue(ctrl == genl.family("nlctrl"), "cached per connection");
        }
    }

    @Test
    void familyIsAskedForOnce() throws NetlinkException {
        byte[] reply = GenericMessage.payload(GenetlinkH.CTRL_CMD_NEWFAMILY, 2, new AttributeEncoder()
                .u16(GenetlinkH.CTRL_ATTR_FAMILY_ID, 0x21).string(GenetlinkH.CTRL_ATTR_FAMILY_NAME, "IPVS")
                .u32(GenetlinkH.CTRL_ATTR_VERSION, 1).toByteArray());
        FakeTransport t = new FakeTransport(datagram -> {
            int seq = datagram.getInt(8);
            return List.of(java.nio.ByteBuffer.wrap(FakeTransport.datagram(FakeTransport.message(0x10, 0, seq, reply),
                    FakeTransport.message(2, 0x100, seq, FakeTransport.errorPayload(0, new byte[16], new byte[0])))));
        });
        GenericNetlinkConnection genl = new GenericNetlinkConnection(t.connection());
        assertEquals(new Family(0x21, "IPVS", 1, 0, 0), genl.family("IPVS"));
        genl.family("IPVS");
        assertEquals(1, t.sent().size());
    }

    @Test
    void replyWithoutFamilyIdIsMalformed() {
        byte[] reply = GenericMessage.payload(1, 2, new AttributeEncoder()
                .string(GenetlinkH.CTRL_ATTR_FAMILY_NAME, "IPVS").toByteArray());
        FakeTransport t = new FakeTransport(datagram -> {
            int seq = datagram.getInt(8);
            return List.of(java.nio.ByteBuffer.wrap(FakeTransport.datagram(FakeTransport.message(0x10, 0, seq, reply),
                    FakeTransport.message(2, 0x100, seq, FakeTransport.errorPayload(0, new byte[16], new byte[0])))));
        });
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> new GenericNetlinkConnection(t.connection()).family("IPVS"));
        assertTrue(e.isMalformed() && e.getMessage().contains("CTRL_ATTR_FAMILY_ID"), e.getMessage());
    }

    @Test
    void shortGenericHeaderIsMalformed() {
        FakeTransport t = new FakeTransport(datagram -> {
            int seq = datagram.getInt(8);
            return List.of(java.nio.ByteBuffer.wrap(FakeTransport.datagram(
                    FakeTransport.message(0x10, 0, seq, new byte[] {3, 1}),
                    FakeTransport.message(2, 0x100, seq, FakeTransport.errorPayload(0, new byte[16], new byte[0])))));
        });
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> new GenericNetlinkConnection(t.connection()).family("IPVS"));
        assertTrue(e.getMessage().contains("genlmsghdr"), e.getMessage());
    }
}
