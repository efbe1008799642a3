package dev.ingresskit.encap.netty;

import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.encap.internal.EncapAccess;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The encap codecs on a netty {@link ByteBuf}, without copying: a heap buffer is read through its
 * backing array, a direct (or any single-component) buffer through its internal NIO view. Indexes
 * in the {@link ParsedPacket} are the {@code ByteBuf}'s own indexes. A composite buffer whose
 * readable bytes span several components cannot be viewed without a copy and is refused
 * ({@link IllegalArgumentException}); consolidate it first.
 *
 * <p>Stateless and thread-safe (the {@code ByteBuf} and the {@code ParsedPacket} are not); allocates
 * nothing for heap and pooled/unpooled direct buffers.
 */
public final class NettyPackets {
    private NettyPackets() {
    }

    /** Parses the readable bytes of {@code buf} (reader and writer index unchanged). */
    public static ParseStatus parse(PacketParser parser, ByteBuf buf, ParsedPacket out) {
        return parse(parser, buf, buf.readerIndex(), buf.readableBytes(), out);
    }

    /** Parses {@code length} bytes at ByteBuf index {@code index}. */
    public static ParseStatus parse(PacketParser parser, ByteBuf buf, int index, int length, ParsedPacket out) {
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(out, "out");
        checkRange(buf, index, length);
        EncapAccess access = EncapAccess.get();
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            return access.parse(parser, buf.array(), null, base + index, length, base, out);
        }
        ByteBuffer nio = view(buf, index, length);
        int position = nio.position();
        return access.parse(parser, null, nio, position, length, position - index, out);
    }

    /**
     * Encapsulates the readable bytes of {@code buf} (an inner IP packet) in place: writes the outer
     * headers into the bytes in front of the reader index and moves the reader index back to the
     * outer packet's start, which it returns. Needs {@link Encapsulator#maxOverhead()} bytes in
     * front of the reader index (reserve them when allocating, e.g. {@code buf.readerIndex(headroom)}).
     */
    public static int encapsulate(Encapsulator encapsulator, ByteBuf buf) {
        Objects.requireNonNull(encapsulator, "encapsulator");
        if (buf.isReadOnly()) {
            throw new IllegalArgumentException("the ByteBuf is read-only");
        }
        int inner = buf.readerIndex();
        int length = buf.readableBytes();
        EncapAccess access = EncapAccess.get();
        int start;
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            start = access.encapsulate(encapsulator, buf.array(), null, base + inner, length, base) - base;
        } else {
            ByteBuffer nio = view(buf, 0, inner + length);
            int position = nio.position();
            start = access.encapsulate(encapsulator, null, nio, position + inner, length, position) - position;
        }
        buf.readerIndex(start);
        return start;
    }

    private static ByteBuffer view(ByteBuf buf, int index, int length) {
        if (buf.nioBufferCount() != 1) {
            throw new IllegalArgumentException("the ByteBuf's bytes lie in " + buf.nioBufferCount()
                    + " memory regions; a zero-copy view needs one (consolidate the CompositeByteBuf)");
        }
        // internalNioBuffer shares the memory and is cached by the ByteBuf: no allocation, no copy
        ByteBuffer nio = buf.internalNioBuffer(index, length);
        if (nio.remaining() != length) {
            throw new IllegalArgumentException("the ByteBuf gave a view of " + nio.remaining() + " bytes, not " + length);
        }
        return nio;
    }

    private static void checkRange(ByteBuf buf, int index, int length) {
        Objects.requireNonNull(buf, "buf");
        if (index < 0 || length < 0 || (long) index + length > buf.capacity()) {
            throw new IllegalArgumentException("range index=" + index + " length=" + length
                    + " is outside the ByteBuf (capacity " + buf.capacity() + ")");
        }
    }
}
