package dev.ingresskit.bench.encap;

import dev.ingresskit.encap.Encapsulator;
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
 * Writing the outer headers into the headroom in front of a 40-byte inner IPv4 TCP packet. The
 * encapsulator rewrites every header byte on each call, so encoding the same buffer again is the
 * honest per-packet cost (the inner packet is only read: its 5-tuple for the source port, and for
 * REMCSUM its checksum field is rewritten).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GueEncodeBenchmark {
    /**
     * gue4: IPVS default (no UDP checksum); gue4-fixed-port: the same with a fixed source port (no
     * flow hash); gue4-csum and gue4-remcsum compute the UDP checksum over
     * the whole packet; gue6 (checksum mandatory); gue6-zero-csum (RFC 6935); fou4; gre4.
     */
    @Param({"gue4", "gue4-fixed-port", "gue4-csum", "gue4-remcsum", "gue6", "gue6-zero-csum", "fou4", "gre4"})
    public String shape;

    @Param({"array", "direct"})
    public String memory;

    private Encapsulator encapsulator;
    private byte[] array;
    private ByteBuffer direct;
    private int headroom;
    private int innerLength;

    /** memory == "array", decided once: a String compare per call would be part of the measurement. */
    private boolean onHeap;

    @Setup(Level.Trial)
    public void setUp() {
        onHeap = "array".equals(memory);
        encapsulator = BenchPackets.encapsulator(shape);
        headroom = encapsulator.maxOverhead();
        innerLength = BenchPackets.INNER_IPV4_TCP.length;
        array = new byte[headroom + innerLength];
        System.arraycopy(BenchPackets.INNER_IPV4_TCP, 0, array, headroom, innerLength);
        direct = ByteBuffer.allocateDirect(array.length).put(array).flip();
    }

    @Benchmark
    public int encapsulate() {
        return onHeap ? encapsulator.encapsulate(array, headroom, innerLength)
                : encapsulator.encapsulate(direct, headroom, innerLength);
    }
}
