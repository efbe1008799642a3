package dev.ingresskit.encap.contract;

import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.encap.netty.NettyPackets;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The contract over a netty {@link ByteBuf}, through {@link NettyPackets}; indexes are the ByteBuf's. */
abstract class NettyContract extends BufferContract {
    abstract ByteBuf allocate(int capacity);

    private final List<ByteBuf> allocated = new ArrayList<>();

    @AfterEach
    void release() {
        allocated.forEach(ByteBuf::release);
        allocated.clear();
    }

    @Override
    protected Subject load(byte[] data, int headroom) {
        ByteBuf buf = allocate(headroom + data.length);
        allocated.add(buf);
        for (int i = 0; i < headroom; i++) {
            buf.writeByte(0x5a);
        }
        buf.writeBytes(data);
        buf.readerIndex(headroom);
        return new Subject() {
            @Override
            public int origin() {
                return headroom;
            }

            @Override
            public ParseStatus parse(PacketParser parser, int from, int length, ParsedPacket out) {
                return NettyPackets.parse(parser, buf, headroom + from, length, out);
            }

            @Override
            public int encapsulate(Encapsulator encapsulator) {
                int start = NettyPackets.encapsulate(encapsulator, buf);
                if (buf.readerIndex() != start || buf.writerIndex() != headroom + data.length) {
                    throw new AssertionError("reader/writer index not where promised: " + buf);
                }
                return start;
            }

            @Override
            public byte[] read(int from, int to) {
                byte[] out = new byte[to - from];
                buf.getBytes(from, out);
                return out;
            }
        };
    }
}
