package dev.ingresskit.encap.contract;

import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import java.util.Arrays;

/** The contract over a {@code byte[]}, with bytes after the data too (the codecs must not need them). */
class ByteArrayContractTest extends BufferContract {
    @Override
    protected Subject load(byte[] data, int headroom) {
        byte[] array = new byte[headroom + data.length + 11];
        Arrays.fill(array, (byte) 0x5a);
        System.arraycopy(data, 0, array, headroom, data.length);
        return new Subject() {
            @Override
            public int origin() {
                return headroom;
            }

            @Override
            public ParseStatus parse(PacketParser parser, int from, int length, ParsedPacket out) {
                return parser.parse(array, headroom + from, length, out);
            }

            @Override
            public int encapsulate(Encapsulator encapsulator) {
                return encapsulator.encapsulate(array, headroom, data.length);
            }

            @Override
            public byte[] read(int from, int to) {
                return Arrays.copyOfRange(array, from, to);
            }
        };
    }
}
