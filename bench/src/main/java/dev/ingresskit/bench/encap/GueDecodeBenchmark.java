package dev.ingresskit.bench.encap;

import dev.ingresskit.encap.IpProtocols;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.encap.netty.NettyPackets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full parse + validation of one tunnel packet (outer IP, UDP, GUE/FOU or GRE, inner IPv4, inner
 * TCP), against the floor: reading the same header fields without validating anything.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GueDecodeBenchmark {
    /** gue4: IPv4+UDP+GUE+IPv4+TCP (the headline case); gue6: IPv6 outer with UDP checksum; fou4; gre4. */
    @Param({"gue4", "gue6", "fou4", "gre4"})
    public String shape;

    /**
     * array: byte[]; heap: a heap ByteBuffer; direct: a direct ByteBuffer; netty: a pooled direct netty
     * ByteBuf through {@link NettyPackets}. Each has its own floor, read with that kind's accessors.
     */
    @Param({"array", "heap", "direct", "netty"})
    public String memory;

    private byte[] array;
    private ByteBuffer direct;
    private ByteBuf netty;
    private int length;
    private PacketParser parser;
    private PacketParser noChecksums;
    private final ParsedPacket out = new ParsedPacket();

    /** memory == "array", decided once: a String compare per call would be part of the measurement. */
    private boolean onHeap;
    private boolean isNetty;

    @Setup(Level.Trial)
    public void setUp() {
        onHeap = "array".equals(memory);
        isNetty = "netty".equals(memory);
        array = BenchPackets.packet(shape);
        length = array.length;
        direct = switch (memory) {
            case "heap" -> ByteBuffer.wrap(array.clone());
            case "array", "direct", "netty" -> ByteBuffer.allocateDirect(length).put(array).flip();
            default -> throw new IllegalArgumentException("memory " + memory);
        };
        netty = PooledByteBufAllocator.DEFAULT.directBuffer(length).writeBytes(array);
        parser = PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).gre(true).build();
        noChecksums = PacketParser.builder().gue(6080).fou(5555, IpProtocols.IPIP).gre(true).verifyChecksums(false).build();
        if (parse() != ParseStatus.OK.ordinal() + out.innerL4()) {
            throw new IllegalStateException("benchmark packet does not parse: " + out);
        }
    }

    /** Parse + every validation rule, checksums verified (IPv4 header checksums; the UDP one when non-zero). */
    @Benchmark
    public int parse() {
        ParseStatus status = onHeap ? parser.parse(array, 0, length, out)
                : isNetty ? NettyPackets.parse(parser, netty, out) : parser.parse(direct, 0, length, out);
        return status.ordinal() + out.innerL4();
    }

    /** Parse + every validation rule except checksums. */
    @Benchmark
    public int parseWithoutChecksums() {
        ParseStatus status = onHeap ? noChecksums.parse(array, 0, length, out)
                : isNetty ? NettyPackets.parse(noChecksums, netty, out) : noChecksums.parse(direct, 0, length, out);
        return status.ordinal() + out.innerL4();
    }

    /** The floor: read the header fields the parser reads (fixed offsets, no checks). */
    @Benchmark
    public int floor() {
        if (onHeap) {
            byte[] a = array;
            int ihl = (a[0] & 0x0f) * 4;
            int l4 = ihl;
            int tunnel = a[9] == 47 ? l4 + 4 : l4 + 8 + ((a[l4 + 2] & 0xff) << 8 == 0x1700 ? 4 : 0);
            if ((a[0] & 0xf0) == 0x60) {
                l4 = 40;
                tunnel = l4 + 12;
            }
            int innerIhl = (a[tunnel] & 0x0f) * 4;
            return ihl + (a[2] & 0xff) + (a[3] & 0xff) + a[9] + (a[l4 + 2] & 0xff) + (a[l4 + 4] & 0xff) + (a[l4 + 5] & 0xff)
                    + a[l4 + 8] + a[l4 + 9] + a[l4 + 10] + innerIhl + (a[tunnel + 2] & 0xff) + (a[tunnel + 3] & 0xff)
                    + a[tunnel + 9] + a[tunnel + innerIhl + 12];
        }
        if (isNetty) {
            ByteBuf b = netty;
            int ihl = (b.getByte(0) & 0x0f) * 4;
            int l4 = ihl;
            int tunnel = b.getByte(9) == 47 ? l4 + 4 : l4 + 8 + ((b.getByte(l4 + 2) & 0xff) << 8 == 0x1700 ? 4 : 0);
            if ((b.getByte(0) & 0xf0) == 0x60) {
                l4 = 40;
                tunnel = l4 + 12;
            }
            int innerIhl = (b.getByte(tunnel) & 0x0f) * 4;
            return ihl + (b.getByte(2) & 0xff) + (b.getByte(3) & 0xff) + b.getByte(9) + (b.getByte(l4 + 2) & 0xff)
                    + (b.getByte(l4 + 4) & 0xff) + (b.getByte(l4 + 5) & 0xff) + b.getByte(l4 + 8) + b.getByte(l4 + 9)
                    + b.getByte(l4 + 10) + innerIhl + (b.getByte(tunnel + 2) & 0xff) + (b.getByte(tunnel + 3) & 0xff)
                    + b.getByte(tunnel + 9) + b.getByte(tunnel + innerIhl + 12);
        }
        ByteBuffer b = direct;
        int ihl = (b.get(0) & 0x0f) * 4;
        int l4 = ihl;
        int tunnel = b.get(9) == 47 ? l4 + 4 : l4 + 8 + ((b.get(l4 + 2) & 0xff) << 8 == 0x1700 ? 4 : 0);
        if ((b.get(0) & 0xf0) == 0x60) {
            l4 = 40;
            tunnel = l4 + 12;
        }
        int innerIhl = (b.get(tunnel) & 0x0f) * 4;
        return ihl + (b.get(2) & 0xff) + (b.get(3) & 0xff) + b.get(9) + (b.get(l4 + 2) & 0xff) + (b.get(l4 + 4) & 0xff)
                + (b.get(l4 + 5) & 0xff) + b.get(l4 + 8) + b.get(l4 + 9) + b.get(l4 + 10) + innerIhl
                + (b.get(tunnel + 2) & 0xff) + (b.get(tunnel + 3) & 0xff) + b.get(tunnel + 9) + b.get(tunnel + innerIhl + 12);
    }
}
