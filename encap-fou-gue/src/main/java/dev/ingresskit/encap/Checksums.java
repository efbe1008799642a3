package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/** Internet checksums (RFC 1071) with the IPv4 (RFC 768) and IPv6 (RFC 8200 §8.1) pseudo-headers. */
final class Checksums {
    private Checksums() {
    }

    /** Sum of the pseudo-header for a UDP datagram of {@code udpLength} bytes, unfolded. */
    static long pseudoHeaderSum(byte[] a, ByteBuffer b, int ipVersion, int l3, int protocol, int l4Length) {
        if (ipVersion == 4) {
            return Wire.sum(a, b, l3 + 12, 8, 0) + protocol + l4Length;
        }
        return Wire.sum(a, b, l3 + 8, 32, 0) + protocol + l4Length;
    }

    /** Folded sum over pseudo-header + UDP datagram: 0xffff when the checksum verifies. */
    static int udpSum(byte[] a, ByteBuffer b, int ipVersion, int l3, int l4, int udpLength) {
        return Wire.fold(Wire.sum(a, b, l4, udpLength, pseudoHeaderSum(a, b, ipVersion, l3, IpProtocols.UDP, udpLength)));
    }

    /**
     * The UDP checksum to write, computed with the field already zero. A computed 0 is sent as
     * 0xFFFF (RFC 768), since 0 means "no checksum".
     */
    static int udpChecksum(byte[] a, ByteBuffer b, int ipVersion, int l3, int l4, int udpLength) {
        int checksum = ~udpSum(a, b, ipVersion, l3, l4, udpLength) & 0xffff;
        return checksum == 0 ? 0xffff : checksum;
    }

    /** The IPv4 header checksum to write, computed with the field already zero. */
    static int ipv4HeaderChecksum(byte[] a, ByteBuffer b, int l3, int headerLength) {
        return ~Wire.fold(Wire.sum(a, b, l3, headerLength, 0)) & 0xffff;
    }
}
