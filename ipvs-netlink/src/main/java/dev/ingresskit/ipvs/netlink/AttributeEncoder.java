package dev.ingresskit.ipvs.netlink;

import dev.ingresskit.ipvs.internal.NetlinkH;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Writes netlink attributes ({@code struct nlattr} TLVs): a u16 length that counts the 4-byte header
 * and the value but not the padding, a u16 type, the value, then zero padding to 4 bytes
 * ({@code NLA_ALIGN}). Numbers are in native byte order, as netlink wants, except where a method
 * says {@code be} (network order, used for ports inside native-order messages).
 *
 * <p>Not thread-safe; reusable after {@link #reset()}. Misuse (a type or length that does not fit
 * 16 bits, unbalanced nests) is an {@link IllegalArgumentException} or {@link IllegalStateException}.
 */
public final class AttributeEncoder {
    private static final int MAX_TYPE = NetlinkH.NLA_TYPE_MASK;

    private byte[] bytes;
    private ByteBuffer view;
    private int position;
    private int openNests;

    public AttributeEncoder() {
        this(256);
    }

    public AttributeEncoder(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
        view = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    /** Forgets everything written, keeping the buffer. */
    public AttributeEncoder reset() {
        position = 0;
        openNests = 0;
        return this;
    }

    /** Bytes written so far (including padding). */
    public int length() {
        return position;
    }

    /** Raw bytes without a TLV header (e.g. a family header before the attributes). */
    public AttributeEncoder raw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, bytes, position, value.length);
        position += value.length;
        return this;
    }

    public AttributeEncoder u8(int type, int value) {
        int at = header(type, 1);
        view.put(at, (byte) value);
        return pad(at, 1);
    }

    public AttributeEncoder u16(int type, int value) {
        int at = header(type, 2);
        view.putShort(at, (short) value);
        return pad(at, 2);
    }

    /** A u16 in network byte order (e.g. {@code IPVS_SVC_ATTR_PORT}, which holds a {@code __be16}). */
    public AttributeEncoder u16be(int type, int value) {
        int at = header(type, 2);
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
        return pad(at, 2);
    }

    public AttributeEncoder u32(int type, int value) {
        int at = header(type, 4);
        view.putInt(at, value);
        return pad(at, 4);
    }

    public AttributeEncoder u64(int type, long value) {
        int at = header(type, 8);
        view.putLong(at, value);
        return pad(at, 8);
    }

    /** A NUL-terminated UTF-8 string ({@code NLA_NUL_STRING}). */
    public AttributeEncoder string(int type, String value) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        int at = header(type, text.length + 1);
        System.arraycopy(text, 0, bytes, at, text.length);
        bytes[at + text.length] = 0;
        return pad(at, text.length + 1);
    }

    public AttributeEncoder bytes(int type, byte[] value) {
        int at = header(type, value.length);
        System.arraycopy(value, 0, bytes, at, value.length);
        return pad(at, value.length);
    }

    /** A flag attribute: present means true, no value. */
    public AttributeEncoder flag(int type) {
        int at = header(type, 0);
        return pad(at, 0);
    }

    /**
     * Opens a nested attribute (type | {@code NLA_F_NESTED}); close it with {@link #endNested(int)}
     * passing the returned mark.
     */
    public int beginNested(int type) {
        int start = position;
        header(type | NetlinkH.NLA_F_NESTED, 0, true);
        openNests++;
        return start;
    }

    public AttributeEncoder endNested(int mark) {
        if (openNests == 0 || mark < 0 || mark + NetlinkH.NLA_HDRLEN > position) {
            throw new IllegalStateException("endNested(" + mark + ") without a matching beginNested");
        }
        int length = position - mark;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("nested attribute at offset " + mark + " is " + length
                    + " bytes; nla_len holds at most 65535");
        }
        view.putShort(mark, (short) length);
        openNests--;
        return this;
    }

    /** A nested attribute whose body {@code body} writes. */
    public AttributeEncoder nested(int type, Consumer<AttributeEncoder> body) {
        int mark = beginNested(type);
        body.accept(this);
        return endNested(mark);
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        if (openNests != 0) {
            throw new IllegalStateException(openNests + " nested attribute(s) not closed");
        }
        return Arrays.copyOf(bytes, position);
    }

    private int header(int type, int valueLength) {
        return header(type, valueLength, false);
    }

    private int header(int type, int valueLength, boolean nestedFlagAllowed) {
        int plain = nestedFlagAllowed ? type & ~NetlinkH.NLA_F_NESTED : type;
        if (plain < 0 || plain > MAX_TYPE) {
            throw new IllegalArgumentException("attribute type " + type + " does not fit in 14 bits");
        }
        int length = NetlinkH.NLA_HDRLEN + valueLength;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("attribute type " + plain + " value of " + valueLength
                    + " bytes does not fit in nla_len (max 65531)");
        }
        ensure(NetlinkH.align(length));
        view.putShort(position, (short) length);
        view.putShort(position + 2, (short) type);
        position += NetlinkH.NLA_HDRLEN;
        return position;
    }

    private AttributeEncoder pad(int valueAt, int valueLength) {
        int end = valueAt + valueLength;
        int aligned = valueAt - NetlinkH.NLA_HDRLEN + NetlinkH.align(NetlinkH.NLA_HDRLEN + valueLength);
        Arrays.fill(bytes, end, aligned, (byte) 0);
        position = aligned;
        return this;
    }

    private void ensure(int more) {
        if (position + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + more));
            view = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        }
    }
}
