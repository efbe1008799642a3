package dev.ingresskit.ipvs.netlink;

import dev.ingresskit.ipvs.internal.NetlinkH;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code struct nlmsghdr} codec: {@code u32 nlmsg_len} (header + payload, without trailing
 * padding), {@code u16 nlmsg_type}, {@code u16 nlmsg_flags}, {@code u32 nlmsg_seq},
 * {@code u32 nlmsg_pid}, all native byte order; messages in one datagram start at 4-byte
 * boundaries ({@code NLMSG_ALIGN}). Stateless and thread-safe.
 */
public final class Messages {
    private Messages() {
    }

    /** One encoded message: header followed by {@code payload}, padded to 4 bytes. */
    public static byte[] encode(int type, int flags, int sequence, int portId, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(NetlinkH.align(NetlinkH.NLMSG_HDRLEN + payload.length))
                .order(ByteOrder.nativeOrder());
        encodeInto(out, type, flags, sequence, portId, payload);
        return out.array();
    }

    /** Appends one message at {@code out}'s position (which must be 4-byte aligned) and pads it. */
    public static void encodeInto(ByteBuffer out, int type, int flags, int sequence, int portId, byte[] payload) {
        if (type < 0 || type > 0xFFFF || flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("type and flags are u16: type=" + type + " flags=" + flags);
        }
        long length = (long) NetlinkH.NLMSG_HDRLEN + payload.length;
        if (length > Integer.MAX_VALUE - 3) {
            throw new IllegalArgumentException("message too long: " + length);
        }
        ByteBuffer o = out.order(ByteOrder.nativeOrder());
        o.putInt((int) length).putShort((short) type).putShort((short) flags).putInt(sequence).putInt(portId);
        o.put(payload);
        for (int pad = NetlinkH.align((int) length) - (int) length; pad > 0; pad--) {
            o.put((byte) 0);
        }
    }

    /** The encoded length of a message with {@code payloadLength} bytes, including padding. */
    public static int encodedLength(int payloadLength) {
        return NetlinkH.align(NetlinkH.NLMSG_HDRLEN + payloadLength);
    }

    /**
     * Splits one received datagram into its messages; each message's payload is a view, not a copy.
     * Every {@code nlmsg_len} is checked against the bytes that remain.
     */
    public static List<NetlinkMessage> decode(ByteBuffer datagram) throws NetlinkException {
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        int base = in.position();
        int end = in.limit();
        List<NetlinkMessage> messages = new ArrayList<>(4);
        int at = base;
        while (at < end) {
            int remaining = end - at;
            if (remaining < NetlinkH.NLMSG_HDRLEN) {
                throw NetlinkException.malformed("decode netlink message", "truncated header at offset " + (at - base)
                        + ": " + remaining + " byte(s), need " + NetlinkH.NLMSG_HDRLEN);
            }
            long length = Integer.toUnsignedLong(in.getInt(at));
            if (length < NetlinkH.NLMSG_HDRLEN || length > remaining) {
                throw NetlinkException.malformed("decode netlink message", "nlmsg_len " + length + " at offset "
                        + (at - base) + " outside " + NetlinkH.NLMSG_HDRLEN + ".." + remaining);
            }
            int type = Short.toUnsignedInt(in.getShort(at + 4));
            int flags = Short.toUnsignedInt(in.getShort(at + 6));
            int seq = in.getInt(at + 8);
            int pid = in.getInt(at + 12);
            ByteBuffer payload = in.slice(at + NetlinkH.NLMSG_HDRLEN, (int) length - NetlinkH.NLMSG_HDRLEN);
            messages.add(new NetlinkMessage(type, flags, seq, pid, payload));
            at = (int) Math.min((long) at + NetlinkH.align((int) length), end);
        }
        return messages;
    }

    /**
     * Reads an {@code NLMSG_ERROR} message ({@code struct nlmsgerr}: {@code int error}, the request's
     * {@code nlmsghdr}, the request's payload unless {@code NLM_F_CAPPED}, then extended-ACK TLVs
     * when {@code NLM_F_ACK_TLVS}). Returns {@code null} for an ACK (error 0), else the failure.
     */
    public static NetlinkException error(NetlinkMessage message, String operation) throws NetlinkException {
        ByteBuffer p = message.payload();
        if (p.remaining() < 4) {
            throw NetlinkException.malformed(operation, "NLMSG_ERROR payload of " + p.remaining() + " byte(s), need 4");
        }
        int error = p.getInt(0);
        if (error == 0) {
            return null;
        }
        return failure(operation, error, message, p, 4);
    }

    /**
     * Reads the {@code int} status of an {@code NLMSG_DONE}: {@code null} when the dump ended well,
     * else the failure (extended-ACK TLVs follow the int when {@code NLM_F_ACK_TLVS}).
     */
    public static NetlinkException done(NetlinkMessage message, String operation) throws NetlinkException {
        ByteBuffer p = message.payload();
        if (p.remaining() < 4) {
            // Old kernels may end a dump with an empty NLMSG_DONE.
            return null;
        }
        int error = p.getInt(0);
        if (error == 0) {
            return null;
        }
        return new NetlinkException(operation, -error, null, -1, message.sequence(), "dump failed");
    }

    private static NetlinkException failure(String operation, int error, NetlinkMessage message, ByteBuffer p,
            int at) throws NetlinkException {
        String kernelMessage = null;
        int offset = -1;
        int tlvs = at + NetlinkH.NLMSG_HDRLEN;
        if (p.remaining() >= tlvs) {
            if ((message.flags() & NetlinkH.NLM_F_CAPPED) == 0) {
                long echoed = Integer.toUnsignedLong(p.getInt(at));
                tlvs = (int) Math.min((long) at + NetlinkH.align((int) Math.min(echoed, Integer.MAX_VALUE - 3)),
                        p.remaining());
            }
            if ((message.flags() & NetlinkH.NLM_F_ACK_TLVS) != 0 && tlvs < p.remaining()) {
                AttributeDecoder d = new AttributeDecoder(p.slice(tlvs, p.remaining() - tlvs), "extended ACK");
                while (d.next()) {
                    switch (d.type()) {
                        case NetlinkH.NLMSGERR_ATTR_MSG -> kernelMessage = d.string();
                        case NetlinkH.NLMSGERR_ATTR_OFFS -> offset = d.u32();
                        default -> { }
                    }
                }
            }
        }
        return new NetlinkException(operation, -error, kernelMessage, offset, message.sequence(), null);
    }
}
