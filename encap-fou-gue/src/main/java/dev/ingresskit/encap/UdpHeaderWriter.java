package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/**
 * Writes a UDP header in place; {@link #checksum(int, int)} computes the checksum over the pseudo-header
 * of the IP header in front of it and the datagram behind it. Reusable, allocation-free, not
 * thread-safe.
 */
public final class UdpHeaderWriter extends HeaderWriter {
    public UdpHeaderWriter wrap(byte[] array, int offset, int capacity) {
        bindArray(array, offset, capacity, UdpHeader.LENGTH);
        return this;
    }

    /** Wraps absolute index {@code offset} of {@code buffer} (position ignored). */
    public UdpHeaderWriter wrap(ByteBuffer buffer, int offset, int capacity) {
        bindBuffer(buffer, offset, capacity, UdpHeader.LENGTH);
        return this;
    }

    public UdpHeaderWriter sourcePort(int port) {
        put16(0, range("sourcePort", port, 0, 0xffff));
        return this;
    }

    public UdpHeaderWriter destinationPort(int port) {
        put16(2, range("destinationPort", port, 0, 0xffff));
        return this;
    }

    /** UDP length in bytes (header + payload); must fit in the wrapped capacity. */
    public UdpHeaderWriter length(int length) {
        range("length", length, UdpHeader.LENGTH, Math.min(0xffff, capacity));
        put16(4, length);
        return this;
    }

    /**
     * Computes and writes the checksum over the pseudo-header of the IPv{@code ipVersion} header at
     * {@code ipOffset} (addresses read from there) and the {@code length()} bytes of the datagram;
     * a computed 0 is written as 0xFFFF.
     */
    public UdpHeaderWriter checksum(int ipVersion, int ipOffset) {
        if (ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("ipVersion must be 4 or 6, not " + ipVersion);
        }
        int needed = ipVersion == 4 ? 20 : 40;
        if (ipOffset < 0 || (long) ipOffset + needed > offset) {
            throw new IllegalArgumentException("the IPv" + ipVersion + " header at " + ipOffset
                    + " must lie in front of the UDP header at " + offset);
        }
        put16(6, 0);
        put16(6, Checksums.udpChecksum(array, buffer, ipVersion, ipOffset, offset, get16(4)));
        return this;
    }

    /** Writes a zero checksum ("none": IPv4, or IPv6 tunnels per RFC 6935). */
    public UdpHeaderWriter noChecksum() {
        put16(6, 0);
        return this;
    }
}
