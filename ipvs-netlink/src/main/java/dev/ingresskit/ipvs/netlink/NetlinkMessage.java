package dev.ingresskit.ipvs.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One netlink message: the 16-byte {@code struct nlmsghdr} fields and the payload after it. The
 * payload is a read-only view (native byte order, like every netlink number) and is not copied.
 *
 * @param type     {@code nlmsg_type} (u16): a control type or the family id
 * @param flags    {@code nlmsg_flags} (u16)
 * @param sequence {@code nlmsg_seq}
 * @param portId   {@code nlmsg_pid}
 * @param payload  the bytes after the header, without trailing alignment padding
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {
    public NetlinkMessage {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("type must be a u16: " + type);
        }
        if (flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("flags must be a u16: " + flags);
        }
        Objects.requireNonNull(payload, "payload");
        payload = payload.slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** A fresh view of the payload, positioned at 0 (callers may move it freely). */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate().order(ByteOrder.nativeOrder());
    }

    /** The payload length in bytes. */
    public int payloadLength() {
        return payload.remaining();
    }

    /** The payload copied into a new array. */
    public byte[] payloadBytes() {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "NetlinkMessage[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", seq="
                + Integer.toUnsignedString(sequence) + ", pid=" + Integer.toUnsignedString(portId) + ", payload="
                + payload.remaining() + " bytes]";
    }
}
