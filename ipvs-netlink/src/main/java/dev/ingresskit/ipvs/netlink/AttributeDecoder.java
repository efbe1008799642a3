package dev.ingresskit.ipvs.netlink;

import dev.ingresskit.ipvs.internal.NetlinkH;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Iterates the netlink attributes in a region of a buffer: {@code while (d.next()) switch (d.type())
 * ...}. Every length is checked before use; a violation is a {@link NetlinkException} that
 * {@linkplain NetlinkException#isMalformed() is malformed} and names the context, the attribute type,
 * its length and its offset. Typed accessors insist on the exact value size the kernel writes.
 *
 * <p>Reads never move the wrapped buffer. Not thread-safe (one iterator per thread).
 */
public final class AttributeDecoder {
    private final ByteBuffer buffer;
    private final int start;
    private final int end;
    private final int baseOffset;
    private final String context;
    private int next;
    private int type = -1;
    private int rawType;
    private int valueAt;
    private int valueLength;

    /**
     * @param buffer     the bytes; only positions {@code position()..limit()} are read
     * @param context    what is being decoded, for error messages (e.g. {@code "IPVS service"})
     */
    public AttributeDecoder(ByteBuffer buffer, String context) {
        this(buffer.duplicate().order(ByteOrder.nativeOrder()), buffer.position(), buffer.limit(), 0, context);
    }

    private AttributeDecoder(ByteBuffer buffer, int start, int end, int baseOffset, String context) {
        this.buffer = buffer;
        this.start = start;
        this.end = end;
        this.baseOffset = baseOffset;
        this.context = context;
        this.next = start;
    }

    /** Moves to the next attribute; false at the end of the region. */
    public boolean next() throws NetlinkException {
        if (next >= end) {
            type = -1;
            return false;
        }
        int remaining = end - next;
        if (remaining < NetlinkH.NLA_HDRLEN) {
            throw malformed("truncated attribute header: " + remaining + " byte(s) left at offset " + offset(next)
                    + ", need " + NetlinkH.NLA_HDRLEN);
        }
        int length = Short.toUnsignedInt(buffer.getShort(next));
        rawType = Short.toUnsignedInt(buffer.getShort(next + 2));
        int plainType = rawType & NetlinkH.NLA_TYPE_MASK;
        if (length < NetlinkH.NLA_HDRLEN) {
            throw malformed("attribute type " + plainType + " at offset " + offset(next) + " has nla_len " + length
                    + " (< " + NetlinkH.NLA_HDRLEN + ")");
        }
        if (length > remaining) {
            throw malformed("attribute type " + plainType + " at offset " + offset(next) + " has nla_len " + length
                    + " but only " + remaining + " byte(s) remain");
        }
        type = plainType;
        valueAt = next + NetlinkH.NLA_HDRLEN;
        valueLength = length - NetlinkH.NLA_HDRLEN;
        // The last attribute may lack its padding; never step past the end.
        next = (int) Math.min((long) next + NetlinkH.align(length), end);
        return true;
    }

    /** The current attribute's type without the NESTED / NET_BYTEORDER bits. */
    public int type() {
        requireCurrent();
        return type;
    }

    /** Whether the current attribute carries {@code NLA_F_NESTED}. */
    public boolean nestedFlag() {
        requireCurrent();
        return (rawType & NetlinkH.NLA_F_NESTED) != 0;
    }

    /** The current attribute's value length in bytes (without header and padding). */
    public int length() {
        requireCurrent();
        return valueLength;
    }

    /** Offset of the current attribute's header from the start of the outermost decoded region. */
    public int offset() {
        requireCurrent();
        return offset(valueAt - NetlinkH.NLA_HDRLEN);
    }

    public int u8() throws NetlinkException {
        expect(1, "u8");
        return Byte.toUnsignedInt(buffer.get(valueAt));
    }

    public int u16() throws NetlinkException {
        expect(2, "u16");
        return Short.toUnsignedInt(buffer.getShort(valueAt));
    }

    /** A u16 stored in network byte order (e.g. {@code IPVS_DEST_ATTR_PORT}). */
    public int u16be() throws NetlinkException {
        expect(2, "be16");
        return ((buffer.get(valueAt) & 0xFF) << 8) | (buffer.get(valueAt + 1) & 0xFF);
    }

    /** A u32 as a Java int (use {@link Integer#toUnsignedLong} for the unsigned value). */
    public int u32() throws NetlinkException {
        expect(4, "u32");
        return buffer.getInt(valueAt);
    }

    public long u64() throws NetlinkException {
        expect(8, "u64");
        return buffer.getLong(valueAt);
    }

    /** A NUL-terminated (or unterminated) UTF-8 string; the value up to the first NUL. */
    public String string() {
        requireCurrent();
        int n = 0;
        while (n < valueLength && buffer.get(valueAt + n) != 0) {
            n++;
        }
        byte[] text = new byte[n];
        buffer.get(valueAt, text);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** A copy of the value bytes. */
    public byte[] bytes() {
        requireCurrent();
        byte[] value = new byte[valueLength];
        buffer.get(valueAt, value);
        return value;
    }

    /** A read-only view of the value bytes (native order), not copied. */
    public ByteBuffer value() {
        requireCurrent();
        return buffer.slice(valueAt, valueLength).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** A decoder over the current attribute's value, e.g. for a nested attribute. */
    public AttributeDecoder nested(String nestedContext) {
        requireCurrent();
        return new AttributeDecoder(buffer, valueAt, valueAt + valueLength,
                baseOffset + (valueAt - start), context + " > " + nestedContext);
    }

    private void expect(int size, String kind) throws NetlinkException {
        requireCurrent();
        if (valueLength != size) {
            throw malformed("attribute type " + type + " at offset " + offset() + ": " + kind + " needs " + size
                    + " byte(s), nla_len gives " + valueLength);
        }
    }

    private int offset(int absolute) {
        return baseOffset + (absolute - start);
    }

    private void requireCurrent() {
        if (type < 0) {
            throw new IllegalStateException("no current attribute: call next() first and check its result");
        }
    }

    private NetlinkException malformed(String detail) {
        return NetlinkException.malformed("decode " + context, detail);
    }
}
