package dev.ingresskit.ipvs.genetlink;

import dev.ingresskit.ipvs.internal.GenetlinkH;
import dev.ingresskit.ipvs.netlink.AttributeDecoder;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.ipvs.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A Generic Netlink message body: the 4-byte {@code struct genlmsghdr} (u8 cmd, u8 version,
 * u16 reserved) and the attributes after it (a view, not a copy).
 */
public record GenericMessage(int command, int version, ByteBuffer attributes) {
    public GenericMessage {
        attributes = attributes.slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** Reads the generic header of a netlink message's payload. */
    public static GenericMessage decode(NetlinkMessage message) throws NetlinkException {
        ByteBuffer p = message.payload();
        if (p.remaining() < GenetlinkH.GENL_HDRLEN) {
            throw NetlinkException.malformed("decode genetlink message", "payload of " + p.remaining()
                    + " byte(s) is shorter than genlmsghdr (" + GenetlinkH.GENL_HDRLEN + ")");
        }
        int command = Byte.toUnsignedInt(p.get(0));
        int version = Byte.toUnsignedInt(p.get(1));
        return new GenericMessage(command, version, p.slice(GenetlinkH.GENL_HDRLEN,
                p.remaining() - GenetlinkH.GENL_HDRLEN));
    }

    /** The payload of a request: the generic header, then the encoded attributes. */
    public static byte[] payload(int command, int version, byte[] attributes) {
        if (command < 0 || command > 0xFF || version < 0 || version > 0xFF) {
            throw new IllegalArgumentException("command and version are u8: " + command + ", " + version);
        }
        byte[] out = new byte[GenetlinkH.GENL_HDRLEN + attributes.length];
        out[0] = (byte) command;
        out[1] = (byte) version;
        System.arraycopy(attributes, 0, out, GenetlinkH.GENL_HDRLEN, attributes.length);
        return out;
    }

    /** A fresh decoder over the attributes. */
    public AttributeDecoder decoder(String context) {
        return new AttributeDecoder(attributes.duplicate(), context);
    }

    @Override
    public ByteBuffer attributes() {
        return attributes.duplicate().order(ByteOrder.nativeOrder());
    }
}
