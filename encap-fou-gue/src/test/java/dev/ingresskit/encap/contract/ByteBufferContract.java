package dev.ingresskit.encap.contract;

import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The contract over a {@link ByteBuffer} whose position, limit and byte order are deliberately odd:
 * the codecs must use absolute indexes, network order, and leave the buffer's state alone.
 */
abstract class ByteBufferContract extends BufferContract {
    abstract ByteBuffer allocate(int capacity);

    @Override
    protected Subject load(byte[] data, int headroom) {
        ByteBuffer buffer = allocate(headroom + data.length + 7).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0x5a);
        }
        buffer.put(headroom, data);
        buffer.position(3).limit(headroom + data.length);
        return new Subject() {
            @Override
            public int origin() {
                return headroom;
            }

            @Override
            public ParseStatus parse(PacketParser parser, int from, int length, ParsedPacket out) {
                ParseStatus status = parser.parse(buffer, headroom + from, length, out);
                assertUntouched();
                return status;
            }

            @Override
            public int encapsulate(Encapsulator encapsulator) {
                int start = encapsulator.encapsulate(buffer, headroom, data.length);
                assertUntouched();
                return start;
            }

            @Override
            public byte[] read(int from, int to) {
                byte[] out = new byte[to - from];
                buffer.get(from, out);
                return out;
            }

            private void assertUntouched() {
                if (buffer.position() != 3 || buffer.limit() != headroom + data.length
                        || buffer.order() != ByteOrder.LITTLE_ENDIAN) {
                    throw new AssertionError("the codec changed the buffer's state: " + buffer);
                }
            }
        };
    }
}
