package dev.ingresskit.encap.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ingresskit.encap.Golden;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.encap.netty.NettyPackets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The contract over netty's heap, pooled-direct and single-component composite buffers. */
class NettyBuffersContractTest {
    @Nested
    class UnpooledHeap extends NettyContract {
        @Override
        ByteBuf allocate(int capacity) {
            // a slice of a larger heap buffer: arrayOffset is not 0
            return Unpooled.buffer(capacity + 13).writerIndex(13).readerIndex(13).slice(13, capacity).clear();
        }
    }

    @Nested
    class PooledHeap extends NettyContract {
        @Override
        ByteBuf allocate(int capacity) {
            return PooledByteBufAllocator.DEFAULT.heapBuffer(capacity, capacity);
        }
    }

    @Nested
    class PooledDirect extends NettyContract {
        /** Held for the whole run so later buffers sit further into the chunk: their NIO view does not start at 0. */
        private static final ByteBuf SPACER = PooledByteBufAllocator.DEFAULT.directBuffer(123);

        @Override
        ByteBuf allocate(int capacity) {
            SPACER.capacity();
            return PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
        }
    }

    @Nested
    class SingleComponentComposite extends NettyContract {
        @Override
        ByteBuf allocate(int capacity) {
            CompositeByteBuf composite = Unpooled.compositeBuffer();
            composite.addComponent(true, Unpooled.directBuffer(capacity, capacity).writerIndex(capacity));
            return composite.clear();
        }
    }

    @Test
    void aCompositeOverSeveralRegionsIsRefusedNotCopied() {
        byte[] packet = Golden.bytes(Golden.GUE4_NOCSUM);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.directBuffer(30).writeBytes(packet, 0, 30));
        composite.addComponent(true, Unpooled.directBuffer(42).writeBytes(packet, 30, 42));
        PacketParser parser = PacketParser.builder().gue(6080).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NettyPackets.parse(parser, composite, new ParsedPacket()));
        assertEquals("the ByteBuf's bytes lie in 2 memory regions; a zero-copy view needs one (consolidate the CompositeByteBuf)",
                e.getMessage());
        composite.consolidate();
        assertEquals(ParseStatus.OK, NettyPackets.parse(parser, composite, new ParsedPacket()));
        composite.release();
    }

    @Test
    void readOnlyAndOutOfRangeAreCallerErrors() {
        ByteBuf buf = Unpooled.wrappedBuffer(Golden.bytes(Golden.GUE4_NOCSUM));
        PacketParser parser = PacketParser.builder().gue(6080).build();
        assertThrows(IllegalArgumentException.class, () -> NettyPackets.parse(parser, buf, 10, 100, new ParsedPacket()));
        assertThrows(IllegalArgumentException.class, () -> NettyPackets.encapsulate(
                dev.ingresskit.encap.Encapsulator.builder().gue().addresses(Golden.ip("10.0.0.1"), Golden.ip("10.0.0.2"))
                        .build(), buf.asReadOnly()));
    }
}
