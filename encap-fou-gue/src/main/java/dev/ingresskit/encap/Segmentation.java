package dev.ingresskit.encap;

import java.util.Objects;

/**
 * Splits an encapsulated TCP super-packet (what a sender hands to GSO/TSO) into MSS-sized segments,
 * the way the kernel's GSO does for tunnels — every header copied, lengths, IDs, sequence numbers,
 * flags and checksums fixed per segment — then parses every segment with the same
 * {@link PacketParser} and proves that its tunnel header length {@code innerL3 - outerL4} equals the
 * super-packet's and is positive. That is the quantity Linux computes as
 * {@code skb_inner_mac_header - skb_transport_header} and which once came out as -2 for IPVS + GUE
 * ("ipvs: align inner_mac_header for encapsulation"), dropping every segmented packet.
 *
 * <p>Per segment: outer IPv4 total length and header checksum (identification +1 per segment unless
 * DF) or IPv6 payload length; UDP length and checksum (when non-zero; REMCSUM packets keep their
 * option, which is relative to the inner packet, and get the inner TCP checksum field set to the
 * segment's pseudo-header sum); GRE checksum when present; inner IPv4 total length, identification
 * +1 per segment and header checksum, or IPv6 payload length; TCP sequence number, FIN/PSH only on
 * the last segment, CWR only on the first, and the TCP checksum.
 *
 * <p>Stateless and thread-safe; allocates one scratch buffer per call (not a hot path).
 */
public final class Segmentation {
    private Segmentation() {
    }

    /** Receives each segment: {@code segment[0 .. length)} is valid until the method returns. */
    @FunctionalInterface
    public interface SegmentConsumer {
        void accept(int index, byte[] segment, int length);
    }

    /** What {@link #check} proved. */
    public record Result(int segments, int mss, int tunnelHeaderLength, int headerLength, int payloadLength,
            int lastSegmentPayload) {
    }

    /** As {@link #segment} without a consumer: only the proof. */
    public static Result check(PacketParser parser, byte[] packet, int offset, int length, int mss) {
        return segment(parser, packet, offset, length, mss, (index, segment, segmentLength) -> { });
    }

    /**
     * Segments the super-packet at {@code packet[offset]}, hands each segment to {@code consumer}
     * and returns what was proven.
     *
     * @throws MalformedPacketException when the super-packet itself does not parse
     * @throws IllegalArgumentException when {@code mss < 1}, or the inner packet is not a complete TCP
     *         segment (a GUE control message, another protocol, or a fragment)
     * @throws IllegalStateException when a segment fails to parse or its tunnel header length
     *         differs — the defect this check exists to catch
     */
    public static Result segment(PacketParser parser, byte[] packet, int offset, int length, int mss,
            SegmentConsumer consumer) {
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(consumer, "consumer");
        if (mss < 1) {
            throw new IllegalArgumentException("mss must be at least 1, not " + mss);
        }
        ParsedPacket whole = parser.parseOrThrow(packet, offset, length, new ParsedPacket());
        if (whole.control() || whole.innerProtocol() != IpProtocols.TCP || whole.innerLaterFragment()
                || (whole.innerIpVersion() == 4 && (Wire.u16(packet, null, whole.innerL3() + 6) & 0x2000) != 0)) {
            throw new IllegalArgumentException("segmentation needs an unfragmented inner TCP packet, not protocol "
                    + whole.innerProtocol());
        }
        int outerL3 = whole.outerL3();
        int outerL4 = whole.outerL4();
        int innerL3 = whole.innerL3();
        int innerL4 = whole.innerL4();
        int tcpHeader = (Wire.u8(packet, null, innerL4 + 12) >>> 4) * 4;
        int headerLength = innerL4 + tcpHeader - outerL3;
        int payloadLength = whole.innerEnd() - (innerL4 + tcpHeader);
        int tunnelHeaderLength = whole.tunnelHeaderLength();
        int segments = Math.max(1, (payloadLength + mss - 1) / mss);
        int remcsumOffset = whole.encapsulation() == Encapsulation.GUE ? whole.gue().remcsumOffset() : -1;

        byte[] scratch = new byte[headerLength + Math.min(mss, payloadLength)];
        ParsedPacket check = new ParsedPacket();
        int o4 = outerL4 - outerL3;   // offsets inside a segment
        int i3 = innerL3 - outerL3;
        int i4 = innerL4 - outerL3;
        long sequence = Wire.u32(packet, null, innerL4 + 4);
        int flags = Wire.u8(packet, null, innerL4 + 13);
        int last = 0;
        for (int index = 0, done = 0; index < segments; index++) {
            int chunk = Math.min(mss, payloadLength - done);
            int segmentLength = headerLength + chunk;
            System.arraycopy(packet, outerL3, scratch, 0, headerLength);
            System.arraycopy(packet, outerL3 + headerLength + done, scratch, headerLength, chunk);
            boolean first = index == 0;
            boolean final_ = index == segments - 1;

            // inner TCP: sequence, flags (FIN/PSH on the last only, CWR on the first only)
            Wire.put32(scratch, null, i4 + 4, (int) (sequence + done));
            int f = flags;
            if (!final_) {
                f &= ~0x09;
            }
            if (!first) {
                f &= ~0x80;
            }
            Wire.put8(scratch, null, i4 + 13, f);
            int innerVersion = whole.innerIpVersion();
            int innerLength = segmentLength - i3;
            if (innerVersion == 4) {
                Wire.put16(scratch, null, i3 + 2, innerLength);
                Wire.put16(scratch, null, i3 + 4, Wire.u16(packet, null, innerL3 + 4) + index);
                Wire.put16(scratch, null, i3 + 10, 0);
                Wire.put16(scratch, null, i3 + 10, Checksums.ipv4HeaderChecksum(scratch, null, i3, i4 - i3));
            } else {
                Wire.put16(scratch, null, i3 + 4, innerLength - Ipv6Header.LENGTH);
            }
            int tcpLength = segmentLength - i4;
            long pseudo = Checksums.pseudoHeaderSum(scratch, null, innerVersion, i3, IpProtocols.TCP, tcpLength);
            if (remcsumOffset >= 0) {
                // the receiver derives the checksum from the outer one: leave the pseudo-header sum (CHECKSUM_PARTIAL)
                Wire.put16(scratch, null, i4 + 16, Wire.fold(pseudo));
            } else {
                Wire.put16(scratch, null, i4 + 16, 0);
                Wire.put16(scratch, null, i4 + 16, ~Wire.fold(Wire.sum(scratch, null, i4, tcpLength, pseudo)) & 0xffff);
            }

            // tunnel header
            if (whole.encapsulation() == Encapsulation.GRE) {
                if (whole.gre().checksumPresent()) {
                    Wire.put16(scratch, null, o4 + 4, 0);
                    Wire.put16(scratch, null, o4 + 4, ~Wire.fold(Wire.sum(scratch, null, o4, segmentLength - o4, 0)) & 0xffff);
                }
            } else {
                Wire.put16(scratch, null, o4 + 4, segmentLength - o4);
            }
            // outer IP, then the UDP checksum that covers it through the pseudo-header
            if (whole.outerIpVersion() == 4) {
                Wire.put16(scratch, null, 2, segmentLength);
                if ((Wire.u16(scratch, null, 6) & 0x4000) == 0) {
                    Wire.put16(scratch, null, 4, Wire.u16(packet, null, outerL3 + 4) + index);
                }
                Wire.put16(scratch, null, 10, 0);
                Wire.put16(scratch, null, 10, Checksums.ipv4HeaderChecksum(scratch, null, 0, o4));
            } else {
                Wire.put16(scratch, null, 4, segmentLength - Ipv6Header.LENGTH);
            }
            if (whole.encapsulation() != Encapsulation.GRE && Wire.u16(scratch, null, o4 + 6) != 0) {
                Wire.put16(scratch, null, o4 + 6, 0);
                Wire.put16(scratch, null, o4 + 6,
                        Checksums.udpChecksum(scratch, null, whole.outerIpVersion(), 0, o4, segmentLength - o4));
            }

            // the proof: the segment parses on its own and its tunnel header length is the super-packet's
            ParseStatus status = parser.parse(scratch, 0, segmentLength, check);
            if (status != ParseStatus.OK) {
                throw new IllegalStateException("segment " + index + " of " + segments + " does not parse: " + check);
            }
            int segmentTunnel = check.innerL3() - check.outerL4();
            if (segmentTunnel != tunnelHeaderLength || segmentTunnel <= 0 || check.innerL4() != i4
                    || check.innerEnd() != segmentLength) {
                throw new IllegalStateException("segment " + index + ": tunnel header length " + segmentTunnel
                        + " (innerL3 " + check.innerL3() + " - outerL4 " + check.outerL4() + ") but the super-packet's is "
                        + tunnelHeaderLength);
            }
            if (remcsumOffset >= 0 && check.gue().remcsumOffset() + 2 > check.innerLength()) {
                throw new IllegalStateException("segment " + index + ": REMCSUM offset outside the segment");
            }
            consumer.accept(index, scratch, segmentLength);
            done += chunk;
            last = chunk;
        }
        return new Result(segments, mss, tunnelHeaderLength, headerLength, payloadLength, last);
    }
}
