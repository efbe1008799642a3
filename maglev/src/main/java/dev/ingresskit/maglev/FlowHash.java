package dev.ingresskit.maglev;

import dev.ingresskit.maglev.internal.SipHash;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * 64-bit flow hashes for {@link MaglevTable#lookup(long)}: SipHash-1-3 with the fixed 16-byte ASCII
 * key {@code "ingresskit.flow1"}, over a fixed little-endian word layout (frozen; golden vectors in
 * the tests pin it):
 * <ul>
 * <li>IPv4 5-tuple, 2 words: {@code src<<32 | dst}, {@code srcPort<<32 | dstPort<<16 | protocol}</li>
 * <li>IPv6 5-tuple, 5 words: src high, src low, dst high, dst low, then the same port word</li>
 * <li>IPv4 address + port, 1 word: {@code addr<<32 | port}</li>
 * <li>IPv6 address + port, 3 words: addr high, addr low, {@code port}</li>
 * </ul>
 * Addresses are the big-endian (network order) value of their bytes; ports 0–65535; protocol 0–255.
 * The {@code int}/{@code long} overloads allocate nothing; the {@link InetAddress} ones read the
 * address bytes (one small array) for convenience.
 *
 * <p>A keyed PRF with a public key is not a secret: anyone can compute these hashes. Use it to
 * spread flows, not to resist an adversary choosing them.
 */
public final class FlowHash {
    private static final long[] KEY = SipHash.keyFromAscii("ingresskit.flow1");
    private static final long K0 = KEY[0];
    private static final long K1 = KEY[1];

    private FlowHash() {
    }

    /** IPv4 5-tuple; addresses as big-endian ints (e.g. 10.0.0.1 is {@code 0x0A000001}). */
    public static long ipv4(int srcAddr, int srcPort, int dstAddr, int dstPort, int protocol) {
        checkPort(srcPort, "srcPort");
        checkPort(dstPort, "dstPort");
        checkProtocol(protocol);
        long w0 = (srcAddr & 0xFFFFFFFFL) << 32 | (dstAddr & 0xFFFFFFFFL);
        return SipHash.sipHash13Words(K0, K1, w0, portWord(srcPort, dstPort, protocol), 0, 0, 0, 2);
    }

    /** IPv6 5-tuple; each address as two big-endian longs (bytes 0–7, bytes 8–15). */
    public static long ipv6(long srcHigh, long srcLow, int srcPort, long dstHigh, long dstLow, int dstPort,
            int protocol) {
        checkPort(srcPort, "srcPort");
        checkPort(dstPort, "dstPort");
        checkProtocol(protocol);
        return SipHash.sipHash13Words(K0, K1, srcHigh, srcLow, dstHigh, dstLow,
                portWord(srcPort, dstPort, protocol), 5);
    }

    /** IPv4 address and port (e.g. a client's source, for per-client affinity). */
    public static long ipv4(int addr, int port) {
        checkPort(port, "port");
        return SipHash.sipHash13Words(K0, K1, (addr & 0xFFFFFFFFL) << 32 | port, 0, 0, 0, 0, 1);
    }

    /** IPv6 address and port. */
    public static long ipv6(long addrHigh, long addrLow, int port) {
        checkPort(port, "port");
        return SipHash.sipHash13Words(K0, K1, addrHigh, addrLow, port, 0, 0, 3);
    }

    /**
     * A 5-tuple from {@link InetAddress}es of one family.
     *
     * @throws IllegalArgumentException when the families differ or a port/protocol is out of range
     */
    public static long fiveTuple(InetAddress src, int srcPort, InetAddress dst, int dstPort, int protocol) {
        Objects.requireNonNull(src, "src");
        Objects.requireNonNull(dst, "dst");
        if (src instanceof Inet4Address && dst instanceof Inet4Address) {
            return ipv4(v4(src), srcPort, v4(dst), dstPort, protocol);
        }
        if (src instanceof Inet6Address && dst instanceof Inet6Address) {
            byte[] s = src.getAddress();
            byte[] d = dst.getAddress();
            return ipv6(be64(s, 0), be64(s, 8), srcPort, be64(d, 0), be64(d, 8), dstPort, protocol);
        }
        throw new IllegalArgumentException("src " + src.getHostAddress() + " and dst " + dst.getHostAddress()
                + " are of different address families");
    }

    /** An address and port. */
    public static long addressPort(InetAddress addr, int port) {
        Objects.requireNonNull(addr, "addr");
        if (addr instanceof Inet4Address) {
            return ipv4(v4(addr), port);
        }
        byte[] a = addr.getAddress();
        return ipv6(be64(a, 0), be64(a, 8), port);
    }

    private static long portWord(int srcPort, int dstPort, int protocol) {
        return (long) srcPort << 32 | (long) dstPort << 16 | protocol;
    }

    static int v4(InetAddress a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    static long be64(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[at + i] & 0xFFL);
        }
        return v;
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException(name + " must be in [0, 65535], got " + port);
        }
    }

    private static void checkProtocol(int protocol) {
        if (protocol < 0 || protocol > 0xFF) {
            throw new IllegalArgumentException("protocol must be in [0, 255], got " + protocol);
        }
    }
}
