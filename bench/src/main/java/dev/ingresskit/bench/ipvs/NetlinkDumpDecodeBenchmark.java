package dev.ingresskit.bench.ipvs;

import dev.ingresskit.ipvs.netlink.AttributeDecoder;
import dev.ingresskit.ipvs.netlink.AttributeEncoder;
import dev.ingresskit.ipvs.netlink.Messages;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.ipvs.netlink.NetlinkMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Splitting one received dump datagram into messages and walking every attribute (the netlink
 * layer's share of listing): datagrams of {@code messages} destination-sized messages, laid out as
 * the kernel's {@code ip_vs_genl_fill_dest} writes them (15 attributes, two nested stats blocks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NetlinkDumpDecodeBenchmark {
    @Param({"10", "100"})
    int messages;

    private ByteBuffer datagram;

    @Setup
    public void setUp() {
        AttributeEncoder e = new AttributeEncoder();
        int nest = e.beginNested(2);
        e.bytes(1, new byte[16]).u16be(2, 80).u32(3, 2).u32(4, 10).u32(5, 0).u32(6, 0).u32(7, 1).u32(8, 2).u32(9, 0);
        e.nested(10, n -> {
            for (int t = 1; t <= 10; t++) {
                n.u32(t, t);
            }
        });
        e.u16(11, 2);
        e.nested(12, n -> {
            for (int t = 1; t <= 10; t++) {
                n.u64(t, t);
            }
        });
        e.u8(13, 1).u16be(14, 6080).u16(15, 1);
        e.endNested(nest);
        byte[] attrs = e.toByteArray();
        byte[] payload = new byte[4 + attrs.length];
        payload[0] = 5;
        payload[1] = 1;
        System.arraycopy(attrs, 0, payload, 4, attrs.length);
        byte[] one = Messages.encode(0x22, 2, 1, 4242, payload);
        ByteBuffer all = ByteBuffer.allocate(one.length * messages);
        for (int i = 0; i < messages; i++) {
            all.put(one);
        }
        datagram = all.flip();
    }

    @Benchmark
    public long decodeAndWalk() throws NetlinkException {
        long sum = 0;
        for (NetlinkMessage m : Messages.decode(datagram)) {
            AttributeDecoder d = new AttributeDecoder(m.payload().position(4), "dest reply");
            while (d.next()) {
                AttributeDecoder n = d.nested("dest");
                while (n.next()) {
                    sum += n.type() + n.length();
                }
            }
        }
        return sum;
    }
}
