package dev.ingresskit.encap;

import static dev.ingresskit.encap.Wire.u16;
import static dev.ingresskit.encap.Wire.u32;
import static dev.ingresskit.encap.Wire.u8;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Parses and validates a whole tunnel packet in one call: outer IPv4/IPv6, then UDP + FOU, UDP +
 * GUE (variant 0 or 1) chosen by destination port, or GRE (IP protocol 47), then the inner IPv4/IPv6
 * header and the inner TCP/UDP header. Immutable and thread-safe; {@link #parse} allocates nothing
 * (the result goes into a caller-owned, reusable {@link ParsedPacket}).
 *
 * <p>The rules, in the order they are checked, are listed in the module README. In short: no length
 * is used before it is proven to fit inside the layer around it, and the Linux receive rules
 * ({@code net/ipv4/fou_core.c}: {@code gue_udp_recv}, {@code validate_gue_flags}, {@code gue_remcsum};
 * {@code net/ipv4/gre_demux.c}: {@code gre_parse_header}) are applied as the kernel applies them, plus
 * the checks the kernel omits (REMCSUM must fit in Hlen; REMCSUM start/offset inside the inner packet).
 */
public final class PacketParser {
    private static final byte PORT_NONE = 0;
    private static final byte PORT_GUE = 1;
    private static final byte PORT_FOU_IPV4 = 2;
    private static final byte PORT_FOU_IPV6 = 3;
    private static final int MAX_EXTENSION_HEADERS = 8;
    /** 0xffff * INVERSE_OF_FFFF == 1 modulo 2^64. */
    private static final long INVERSE_OF_FFFF = 0xfffe_fffe_fffe_ffffL;
    /** (2^64 - 1) / 0xffff. */
    private static final long MULTIPLES_OF_FFFF_LIMIT = 0x0001_0001_0001_0001L;

    static {
        dev.ingresskit.encap.internal.EncapAccess.register(new dev.ingresskit.encap.internal.EncapAccess() {
            @Override
            public ParseStatus parse(PacketParser parser, byte[] array, ByteBuffer buffer, int offset, int length, int base,
                    ParsedPacket out) {
                return parser.parse(array, buffer, offset, length, base, out);
            }

            @Override
            public int encapsulate(Encapsulator encapsulator, byte[] array, ByteBuffer buffer, int innerOffset,
                    int innerLength, int floor) {
                return encapsulator.encapsulate(array, buffer, innerOffset, innerLength, floor);
            }
        });
    }

    private final byte[] ports;
    private final boolean gre;
    private final boolean allowControl;
    private final boolean verifyChecksums;
    private final boolean allowZeroUdp6Checksum;
    /**
     * The lowest GUE port and the lowest FOU port with inner IPv4, shifted to the destination port's
     * place in a UDP header read as one long ({@code -1} when there is none: never equal to a 48-bit
     * value), so that {@link #ipv4InIpv4} tests port, length and checksum in one compare instead of
     * a table lookup. Packets to other mapped ports take the general fast path.
     */
    private final long fastGuePort;
    private final long fastFouPort;
    /** Tests turn it off to compare the fast path with the full one. */
    private final boolean fastPath;

    private PacketParser(Builder builder) {
        this(builder, true);
    }

    private PacketParser(Builder builder, boolean fastPath) {
        this.fastPath = fastPath;
        this.ports = builder.ports.clone();
        this.gre = builder.gre;
        this.allowControl = builder.allowControl;
        this.verifyChecksums = builder.verifyChecksums;
        this.allowZeroUdp6Checksum = builder.allowZeroUdp6Checksum;
        this.fastGuePort = lowestPort(ports, PORT_GUE);
        this.fastFouPort = lowestPort(ports, PORT_FOU_IPV4);
        this.builder = builder;
    }

    private final Builder builder;

    private static long lowestPort(byte[] ports, byte kind) {
        for (int port = 1; port < ports.length; port++) {
            if (ports[port] == kind) {
                return (long) port << 32;
            }
        }
        return -1;
    }

    /** The same configuration without the fast path: only the full checks run (for tests). */
    PacketParser withoutFastPath() {
        return new PacketParser(builder, false);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What IPVS sends by default: GUE on port 6080 and GRE; checksums verified. */
    public static PacketParser ipvsDefaults() {
        return builder().gue(GueHeader.DEFAULT_PORT).gre(true).build();
    }

    /** Parses {@code length} bytes at {@code array[offset]}, which hold one outer IP packet. */
    public ParseStatus parse(byte[] array, int offset, int length, ParsedPacket out) {
        Objects.requireNonNull(array, "array");
        Wire.checkRange(offset, length, array.length);
        Objects.requireNonNull(out, "out");
        // the first fast path right here, with the buffer and base constant, rather than through the
        // shared entry: whether C2 inlined that one depended on which of the two it compiled first
        if (fastPath && ipv4InIpv4(array, null, offset, offset + length, 0, out)) {
            return ParseStatus.OK;
        }
        return general(array, null, offset, length, 0, out);
    }

    /**
     * Parses {@code length} bytes at absolute index {@code offset} of {@code buffer} (heap or
     * direct; its position, limit and byte order are neither used nor changed, except that the range
     * must lie below the limit).
     */
    public ParseStatus parse(ByteBuffer buffer, int offset, int length, ParsedPacket out) {
        Objects.requireNonNull(buffer, "buffer");
        Wire.checkRange(offset, length, buffer.limit());
        Objects.requireNonNull(out, "out");
        if (fastPath && ipv4InIpv4(null, buffer, offset, offset + length, 0, out)) {
            return ParseStatus.OK;
        }
        return general(null, buffer, offset, length, 0, out);
    }

    /** Like {@link #parse(byte[], int, int, ParsedPacket)}, but throws instead of returning a status. */
    public ParsedPacket parseOrThrow(byte[] array, int offset, int length, ParsedPacket out) {
        if (parse(array, offset, length, out) != ParseStatus.OK) {
            throw out.toException();
        }
        return out;
    }

    /** Like {@link #parse(ByteBuffer, int, int, ParsedPacket)}, but throws instead of returning a status. */
    public ParsedPacket parseOrThrow(ByteBuffer buffer, int offset, int length, ParsedPacket out) {
        if (parse(buffer, offset, length, out) != ParseStatus.OK) {
            throw out.toException();
        }
        return out;
    }

    /** The entry the adapters use: indexes are reported minus {@code base}. The range is checked by the caller. */
    ParseStatus parse(byte[] a, ByteBuffer b, int offset, int length, int base, ParsedPacket out) {
        Objects.requireNonNull(out, "out");
        if (fastPath && ipv4InIpv4(a, b, offset, offset + length, base, out)) {
            return ParseStatus.OK;
        }
        return general(a, b, offset, length, base, out);
    }

    /** Everything but the first fast path: the general fast path, then the full rules. */
    private ParseStatus general(byte[] a, ByteBuffer b, int offset, int length, int base, ParsedPacket out) {
        out.reset(a, b, base);
        if (fastPath && fast(a, b, offset, offset + length, out)) {
            out.commit();
            return ParseStatus.OK;
        }
        if (run(a, b, offset, offset + length, out)) {
            out.commit();
        }
        return out.status;
    }

    /**
     * The shape a load balancer sees most, small enough for C2 to inline into {@link #parse}: outer
     * IPv4 without options, UDP with a zero checksum + GUE variant 0 with no options or FOU, or GRE
     * without optional fields; then inner IPv4 without options that fills the tunnel payload exactly
     * and is not a later fragment, carrying TCP, UDP or anything else. Every field is compared with
     * what that shape must hold, so most rules cost one masked compare. It accepts only what the full
     * path accepts, with the same offsets (the tests compare the two), writes the result only then,
     * and otherwise returns false so that the general fast path runs.
     */
    private boolean ipv4InIpv4(byte[] a, ByteBuffer b, int p, int end, int base, ParsedPacket out) {
        // the smallest packet of this shape: IPv4 20 + GRE 4 + IPv4 20
        if (end - p < 44) {
            return false;
        }
        // every read is 8 bytes wide at p + constant (narrower fields are the low bytes of a read
        // that ends at them), so that C2 merges their bounds checks into one
        long w0 = Wire.s64(a, b, p);
        long w1 = Wire.s64(a, b, p + 8);
        int total = (int) (w0 >>> 32) & 0xffff;
        // version 4, IHL 5, neither MF nor a fragment offset (DF may be set); 44 <= total <= end - p
        // as one unsigned compare (end - p >= 44 is known)
        if ((w0 & 0xff00_0000_0000_3fffL) != 0x4500_0000_0000_0000L
                || Integer.compareUnsigned(total - 44, end - p - 44) > 0
                || verifyChecksums && !ipv4HeaderSumOk(w0, w1, Wire.s64(a, b, p + 12) & 0xffffffffL)) {
            return false;
        }
        int protocol = (int) (w1 >>> 48) & 0xff;
        int l4 = p + Ipv4Header.MIN_LENGTH;
        int tunnelEnd;
        Encapsulation encapsulation;
        if (protocol == IpProtocols.UDP) {
            // destination port, length and checksum in one compare: the datagram fills the IP
            // payload and its checksum is 0, as IPVS and Linux send over IPv4
            long udp = Wire.s64(a, b, l4) & 0xffff_ffff_ffffL;
            long lengthAndNoChecksum = (long) (total - Ipv4Header.MIN_LENGTH) << 16;
            if (udp == (fastGuePort | lengthAndNoChecksum)
                    && (int) Wire.s64(a, b, l4 + UdpHeader.LENGTH - 4) == IpProtocols.IPIP << 16) {
                // variant 0, C 0, Hlen 0, proto 4, no flags
                tunnelEnd = l4 + UdpHeader.LENGTH + GueHeader.BASE_LENGTH;
                encapsulation = Encapsulation.GUE;
            } else if (udp == (fastFouPort | lengthAndNoChecksum)) {
                tunnelEnd = l4 + UdpHeader.LENGTH;
                encapsulation = Encapsulation.FOU;
            } else {
                return false;
            }
        } else if (protocol == IpProtocols.GRE && gre && (int) Wire.s64(a, b, l4 - 4) == IpProtocols.ETHERTYPE_IPV4) {
            // no flags, version 0, protocol type IPv4
            tunnelEnd = l4 + GreHeader.BASE_LENGTH;
            encapsulation = Encapsulation.GRE;
        } else {
            return false;
        }
        return innerIpv4(a, b, base, encapsulation, p, tunnelEnd, p + total, out);
    }

    /** The inner half of {@link #ipv4InIpv4} (split so that each half is small enough to inline). */
    private boolean innerIpv4(byte[] a, ByteBuffer b, int base, Encapsulation encapsulation, int p, int tunnelEnd,
            int outerEnd, ParsedPacket out) {
        int innerLength = outerEnd - tunnelEnd;
        if (innerLength < Ipv4Header.MIN_LENGTH) {
            return false;
        }
        long v0 = Wire.s64(a, b, tunnelEnd);
        long v1 = Wire.s64(a, b, tunnelEnd + 8);
        // version 4, IHL 5, fragment offset 0 (MF may be set: a first fragment's transport header is checked)
        if ((v0 & 0xff00_0000_0000_1fffL) != 0x4500_0000_0000_0000L || ((int) (v0 >>> 32) & 0xffff) != innerLength
                || verifyChecksums && !ipv4HeaderSumOk(v0, v1, Wire.s64(a, b, tunnelEnd + 12) & 0xffffffffL)) {
            return false;
        }
        int innerProtocol = (int) (v1 >>> 48) & 0xff;
        int innerL4 = tunnelEnd + Ipv4Header.MIN_LENGTH;
        int room = innerLength - Ipv4Header.MIN_LENGTH;
        if (innerProtocol == IpProtocols.TCP) {
            int dataOffset = room < 20 ? 0 : ((int) Wire.s64(a, b, innerL4 + 5) >>> 2 & 0x3c);
            if (dataOffset < 20 || dataOffset > room) {
                return false;
            }
        } else if (innerProtocol == IpProtocols.UDP) {
            int udpLength = room < UdpHeader.LENGTH ? 0 : (int) Wire.s64(a, b, innerL4 - 2) & 0xffff;
            if (udpLength < UdpHeader.LENGTH || udpLength > room) {
                return false;
            }
        }
        out.acceptIpv4InIpv4(a, b, base, encapsulation, p, tunnelEnd, outerEnd, innerProtocol);
        return true;
    }

    /**
     * Whether an IPv4 header has a ones'-complement sum of 0xffff, given its first 16 bytes as two
     * words and {@code rest}, the unfolded sum of the remaining 32-bit words (the destination, then
     * any options; below 2^40). Folding keeps a sum's value modulo 0xffff (2^16 is 1 modulo 0xffff)
     * and a positive sum folds to 1..0xffff, so the folded sum is 0xffff exactly when the plain sum
     * (positive: the version nibble is 4) is a multiple of 0xffff. That is tested without folding or dividing: x is
     * a multiple of the odd d exactly when x times the inverse of d modulo 2^64 is at most
     * (2^64 - 1) / d, unsigned (Granlund and Montgomery, "Division by invariant integers using
     * multiplication", 1994, section 9).
     */
    private static boolean ipv4HeaderSumOk(long w0, long w1, long rest) {
        long sum = (w0 >>> 32) + (w0 & 0xffffffffL) + (w1 >>> 32) + (w1 & 0xffffffffL) + rest;
        return Long.compareUnsigned(sum * INVERSE_OF_FFFF, MULTIPLES_OF_FFFF_LIMIT) <= 0;
    }

    /**
     * The common shapes in one method (C2 inlines nothing bigger than 325 bytecodes, so the full
     * path is a chain of calls): outer IPv4, or IPv6 without extension headers; UDP + GUE/FOU or
     * GRE; inner IPv4, or IPv6 without extension headers. It accepts exactly when every rule of the
     * full path holds, writes the result only then, and otherwise returns false so that the full
     * path runs from the start and names the problem. No GUE control messages here.
     */
    private boolean fast(byte[] a, ByteBuffer b, int p, int end, ParsedPacket out) {
        int available = end - p;
        if (available < Ipv4Header.MIN_LENGTH) {
            return false;
        }
        long w0 = Wire.s64(a, b, p);
        int version = (int) (w0 >>> 60);
        int l4;
        int ipEnd;
        int protocol;
        if (version == 4) {
            long w1 = Wire.s64(a, b, p + 8);
            int headerLength = ((int) (w0 >>> 56) & 0x0f) * 4;
            int totalLength = (int) (w0 >>> 32) & 0xffff;
            if (headerLength < Ipv4Header.MIN_LENGTH || totalLength < headerLength || totalLength > available
                    || (w0 & 0x3fff) != 0
                    || verifyChecksums && !ipv4ChecksumOk(a, b, p, headerLength, w0, w1)) {
                return false;
            }
            l4 = p + headerLength;
            ipEnd = p + totalLength;
            protocol = (int) (w1 >>> 48) & 0xff;
        } else if (version == 6) {
            protocol = (int) (w0 >>> 8) & 0xff;
            ipEnd = p + Ipv6Header.LENGTH + ((int) (w0 >>> 16) & 0xffff);
            if (available < Ipv6Header.LENGTH || ipEnd > end || isExtensionHeader(protocol)) {
                return false;
            }
            l4 = p + Ipv6Header.LENGTH;
        } else {
            return false;
        }
        int tunnelEnd;
        int extentEnd;
        int expected;
        Encapsulation encapsulation;
        if (protocol == IpProtocols.UDP) {
            if (ipEnd - l4 < UdpHeader.LENGTH) {
                return false;
            }
            long udp = Wire.s64(a, b, l4);
            int udpLength = (int) (udp >>> 16) & 0xffff;
            byte kind = ports[(int) (udp >>> 32) & 0xffff];
            int checksum = (int) udp & 0xffff;
            if (udpLength < UdpHeader.LENGTH || udpLength > ipEnd - l4 || kind == PORT_NONE
                    || (checksum == 0 ? version == 6 && !allowZeroUdp6Checksum
                            : verifyChecksums && Checksums.udpSum(a, b, version, p, l4, udpLength) != 0xffff)) {
                return false;
            }
            int payload = l4 + UdpHeader.LENGTH;
            extentEnd = l4 + udpLength;
            if (kind == PORT_GUE) {
                if (extentEnd - payload < GueHeader.BASE_LENGTH) {
                    return false;
                }
                int word = Wire.s32(a, b, payload);
                int variant = word >>> 30;
                if (variant == 1) {
                    expected = word >>> 28;
                    tunnelEnd = payload;
                    encapsulation = Encapsulation.GUE_DIRECT;
                } else if (variant == 0 && (word & 0x2000_0000) == 0) {
                    int hlenWords = (word >>> 24) & 0x1f;
                    tunnelEnd = payload + GueHeader.BASE_LENGTH + 4 * hlenWords;
                    int flags = word & 0xffff;
                    if (tunnelEnd > extentEnd || flags != 0 && !gueOptionsOk(a, b, payload, flags, hlenWords, extentEnd - tunnelEnd)) {
                        return false;
                    }
                    int proto = (word >>> 16) & 0xff;
                    expected = proto == IpProtocols.IPIP ? 4 : proto == IpProtocols.IPV6 ? 6 : 0;
                    encapsulation = Encapsulation.GUE;
                } else {
                    return false;
                }
            } else {
                tunnelEnd = payload;
                expected = kind == PORT_FOU_IPV4 ? 4 : 6;
                encapsulation = Encapsulation.FOU;
            }
        } else if (protocol == IpProtocols.GRE && gre) {
            if (ipEnd - l4 < GreHeader.BASE_LENGTH) {
                return false;
            }
            int word = Wire.s32(a, b, l4);
            int flags = word >>> 16;
            int type = word & 0xffff;
            tunnelEnd = l4 + GreHeader.lengthOf(flags);
            if ((flags & (GreHeader.FLAG_ROUTING | 7)) != 0 || tunnelEnd > ipEnd
                    || (flags & GreHeader.FLAG_CHECKSUM) != 0 && verifyChecksums
                            && Wire.fold(Wire.sum(a, b, l4, ipEnd - l4, 0)) != 0xffff) {
                return false;
            }
            expected = type == IpProtocols.ETHERTYPE_IPV4 ? 4 : type == IpProtocols.ETHERTYPE_IPV6 ? 6 : 0;
            extentEnd = ipEnd;
            encapsulation = Encapsulation.GRE;
        } else {
            return false;
        }

        int innerAvailable = extentEnd - tunnelEnd;
        if ((expected != 4 && expected != 6) || innerAvailable < Ipv4Header.MIN_LENGTH) {
            return false;
        }
        long v0 = Wire.s64(a, b, tunnelEnd);
        if ((int) (v0 >>> 60) != expected) {
            return false;
        }
        int innerL4;
        int innerEnd;
        int innerProtocol;
        boolean laterFragment;
        if (expected == 4) {
            long v1 = Wire.s64(a, b, tunnelEnd + 8);
            int headerLength = ((int) (v0 >>> 56) & 0x0f) * 4;
            int totalLength = (int) (v0 >>> 32) & 0xffff;
            if (headerLength < Ipv4Header.MIN_LENGTH || totalLength < headerLength || totalLength > innerAvailable
                    || verifyChecksums && !ipv4ChecksumOk(a, b, tunnelEnd, headerLength, v0, v1)) {
                return false;
            }
            innerL4 = tunnelEnd + headerLength;
            innerEnd = tunnelEnd + totalLength;
            innerProtocol = (int) (v1 >>> 48) & 0xff;
            laterFragment = (v0 & 0x1fff) != 0;
        } else {
            innerProtocol = (int) (v0 >>> 8) & 0xff;
            innerEnd = tunnelEnd + Ipv6Header.LENGTH + ((int) (v0 >>> 16) & 0xffff);
            if (innerAvailable < Ipv6Header.LENGTH || innerEnd > extentEnd || isExtensionHeader(innerProtocol)) {
                return false;
            }
            innerL4 = tunnelEnd + Ipv6Header.LENGTH;
            laterFragment = false;
        }
        if (!laterFragment) {
            int room = innerEnd - innerL4;
            if (innerProtocol == IpProtocols.TCP) {
                int dataOffset = room < 20 ? 0 : (Wire.u8(a, b, innerL4 + 12) >>> 4) * 4;
                if (dataOffset < 20 || dataOffset > room) {
                    return false;
                }
            } else if (innerProtocol == IpProtocols.UDP) {
                int udpLength = room < UdpHeader.LENGTH ? 0 : Wire.u16(a, b, innerL4 + 4);
                if (udpLength < UdpHeader.LENGTH || udpLength > room) {
                    return false;
                }
            }
        }
        out.encapsulation = encapsulation;
        out.outerVersion = version;
        out.outerL3 = p;
        out.outerL4 = l4;
        out.outerEnd = ipEnd;
        out.tunnelEnd = tunnelEnd;
        out.innerVersion = expected;
        out.innerL3 = tunnelEnd;
        out.innerL4 = innerL4;
        out.innerEnd = innerEnd;
        out.innerProtocol = innerProtocol;
        out.innerFragment = laterFragment;
        return true;
    }

    private static boolean isExtensionHeader(int next) {
        return next == 0 || next == 43 || next == 60 || next == 44;
    }

    /** The IPv4 header checksum from the two words already read, plus the destination and any options. */
    private static boolean ipv4ChecksumOk(byte[] a, ByteBuffer b, int p, int headerLength, long w0, long w1) {
        long rest = Wire.u32(a, b, p + 16);
        if (headerLength > Ipv4Header.MIN_LENGTH) {
            rest = Wire.sum(a, b, p + Ipv4Header.MIN_LENGTH, headerLength - Ipv4Header.MIN_LENGTH, rest);
        }
        return ipv4HeaderSumOk(w0, w1, rest);
    }

    /** The GUE flag rules of {@link #gue} for a header whose flags are non-zero. */
    private static boolean gueOptionsOk(byte[] a, ByteBuffer b, int p, int flags, int hlenWords, int innerLength) {
        if (flags != GueHeader.FLAG_PRIVATE || hlenWords < 1) {
            return false;
        }
        long privateFlags = Wire.u32(a, b, p + 4);
        if (privateFlags == 0) {
            return true;
        }
        return privateFlags == GueHeader.PRIVATE_FLAG_REMCSUM && hlenWords >= 2
                && Wire.u16(a, b, p + 8) <= innerLength && Wire.u16(a, b, p + 10) + 2 <= innerLength;
    }

    private boolean run(byte[] a, ByteBuffer b, int start, int end, ParsedPacket out) {
        if (end - start < 1) {
            return out.truncated(Layer.OUTER_IPV4, "header", start, Ipv4Header.MIN_LENGTH, 0, "empty packet");
        }
        int version = u8(a, b, start) >>> 4;
        Layer outerLayer;
        if (version == 4) {
            outerLayer = Layer.OUTER_IPV4;
            if (!ipv4(a, b, start, end, outerLayer, true, out)) {
                return false;
            }
        } else if (version == 6) {
            outerLayer = Layer.OUTER_IPV6;
            if (!ipv6(a, b, start, end, outerLayer, true, out)) {
                return false;
            }
        } else {
            return out.malformed(Layer.OUTER_IPV4, "version", start, version, "IP version is neither 4 nor 6");
        }
        out.outerVersion = version;
        out.outerL3 = start;
        int l4 = out.ipL4;
        int ipEnd = out.ipEnd;
        out.outerL4 = l4;
        out.outerEnd = ipEnd;
        int protocol = out.ipProtocol;
        if (protocol == IpProtocols.UDP) {
            return udp(a, b, l4, ipEnd, out);
        }
        if (protocol == IpProtocols.GRE && gre) {
            return gre(a, b, l4, ipEnd, out);
        }
        return out.unsupported(outerLayer, "protocol", out.ipProtocolOffset, protocol,
                gre ? "not a tunnel: neither UDP nor GRE" : "not a tunnel: not UDP");
    }

    private boolean udp(byte[] a, ByteBuffer b, int l4, int ipEnd, ParsedPacket out) {
        int available = ipEnd - l4;
        if (available < UdpHeader.LENGTH) {
            return out.truncated(Layer.UDP, "header", l4, UdpHeader.LENGTH, available, "a UDP header needs 8 bytes");
        }
        long header = Wire.s64(a, b, l4);   // source port, destination port, length, checksum
        int udpLength = (int) (header >>> 16) & 0xffff;
        if (udpLength < UdpHeader.LENGTH) {
            return out.malformed(Layer.UDP, "length", l4 + 4, udpLength, "UDP length below 8");
        }
        if (udpLength > available) {
            return out.truncated(Layer.UDP, "length", l4 + 4, udpLength, available, "UDP length runs past the IP payload");
        }
        int port = (int) (header >>> 32) & 0xffff;
        byte kind = ports[port];
        if (kind == PORT_NONE) {
            return out.unsupported(Layer.UDP, "destinationPort", l4 + 2, port, "not a configured FOU or GUE port");
        }
        int checksum = (int) header & 0xffff;
        if (checksum == 0) {
            if (out.outerVersion == 6 && !allowZeroUdp6Checksum) {
                return out.malformed(Layer.UDP, "checksum", l4 + 6, 0,
                        "zero UDP checksum over IPv6 (RFC 6935 zero checksums are not enabled)");
            }
        } else if (verifyChecksums && Checksums.udpSum(a, b, out.outerVersion, out.outerL3, l4, udpLength) != 0xffff) {
            return out.malformed(Layer.UDP, "checksum", l4 + 6, checksum, "UDP checksum does not verify");
        }
        int payload = l4 + UdpHeader.LENGTH;
        int udpEnd = l4 + udpLength;
        if (kind == PORT_GUE) {
            return gue(a, b, payload, udpEnd, out);
        }
        out.encapsulation = Encapsulation.FOU;
        out.tunnelEnd = payload;
        if (udpEnd - payload < 1) {
            return out.truncated(Layer.FOU, "payload", payload, 1, 0, "FOU packet without a payload");
        }
        return inner(a, b, payload, udpEnd, kind == PORT_FOU_IPV4 ? 4 : 6, Layer.FOU, l4 + 2, port, out);
    }

    private boolean gue(byte[] a, ByteBuffer b, int p, int udpEnd, ParsedPacket out) {
        int available = udpEnd - p;
        if (available < 1) {
            return out.truncated(Layer.GUE, "header", p, GueHeader.BASE_LENGTH, available, "empty UDP payload");
        }
        int first = u8(a, b, p);
        int variant = first >>> 6;
        if (variant == 1) {
            // draft-ietf-intarea-gue-09 §4: the first two bits of an IPv4 (0100) or IPv6 (0110) header read 01
            int ipVersion = first >>> 4;
            if (ipVersion != 4 && ipVersion != 6) {
                return out.malformed(Layer.GUE, "version", p, ipVersion, "GUE variant 1 payload is neither IPv4 nor IPv6");
            }
            out.encapsulation = Encapsulation.GUE_DIRECT;
            out.tunnelEnd = p;
            return inner(a, b, p, udpEnd, ipVersion, Layer.GUE, p, ipVersion, out);
        }
        if (variant != 0) {
            return out.malformed(Layer.GUE, "variant", p, variant, "GUE variants 2 and 3 are reserved");
        }
        if (available < GueHeader.BASE_LENGTH) {
            return out.truncated(Layer.GUE, "header", p, GueHeader.BASE_LENGTH, available, "a GUE header needs 4 bytes");
        }
        int hlenWords = first & 0x1f;
        int headerLength = GueHeader.BASE_LENGTH + 4 * hlenWords;
        if (headerLength > available) {
            return out.truncated(Layer.GUE, "hlen", p, headerLength, available, "4+4*Hlen runs past the UDP payload");
        }
        int word = Wire.s32(a, b, p);   // ver|C|Hlen, proto/ctype, flags
        int flags = word & 0xffff;
        if ((flags & ~GueHeader.FLAG_PRIVATE) != 0) {
            return out.malformed(Layer.GUE, "flags", p + 2, flags, "unknown standard flags (Linux knows only P, 0x0001)");
        }
        boolean remcsum = false;
        int remcsumStart = 0;
        int remcsumOffset = 0;
        if (flags != 0) {
            if (hlenWords < 1) {
                return out.malformed(Layer.GUE, "hlen", p, hlenWords, "the P flag needs 4 bytes of private flags but Hlen is 0");
            }
            long privateFlags = u32(a, b, p + 4);
            if ((privateFlags & ~GueHeader.PRIVATE_FLAG_REMCSUM) != 0) {
                return out.malformed(Layer.GUE, "privateFlags", p + 4, privateFlags,
                        "unknown private flags (Linux knows only REMCSUM, 0x80000000)");
            }
            if (privateFlags != 0) {
                // Linux's guehdr_priv_flags_len() counts 0 bytes for REMCSUM, so it never checks this
                if (hlenWords < 2) {
                    return out.malformed(Layer.GUE, "hlen", p, hlenWords, "REMCSUM needs 4 more option bytes (Hlen >= 2)");
                }
                remcsum = true;
                remcsumStart = u16(a, b, p + 8);
                remcsumOffset = u16(a, b, p + 10);
            }
        }
        int tunnelEnd = p + headerLength;
        out.encapsulation = Encapsulation.GUE;
        out.tunnelEnd = tunnelEnd;
        int innerLength = udpEnd - tunnelEnd;
        if (remcsum) {
            if (remcsumStart > innerLength) {
                return out.malformed(Layer.GUE, "csumStart", p + 8, remcsumStart,
                        "REMCSUM start lies past the end of the inner packet (" + innerLength + " bytes)");
            }
            if (remcsumOffset + 2 > innerLength) {
                return out.malformed(Layer.GUE, "csumOffset", p + 10, remcsumOffset,
                        "REMCSUM checksum field lies past the end of the inner packet (" + innerLength + " bytes)");
            }
        }
        int protoCtype = (word >>> 16) & 0xff;
        if ((first & 0x20) != 0) {
            if (!allowControl) {
                return out.unsupported(Layer.GUE, "control", p, 1, "GUE control message (Linux drops them)");
            }
            out.control = true;
            out.innerVersion = 0;
            out.innerProtocol = protoCtype;
            out.innerL3 = tunnelEnd;
            out.innerL4 = tunnelEnd;
            out.innerEnd = tunnelEnd;
            return true;
        }
        int expected;
        if (protoCtype == IpProtocols.IPIP) {
            expected = 4;
        } else if (protoCtype == IpProtocols.IPV6) {
            expected = 6;
        } else {
            return out.unsupported(Layer.GUE, "proto", p + 1, protoCtype,
                    "encapsulated protocol is neither IPv4 (4) nor IPv6 (41)");
        }
        if (innerLength < 1) {
            return out.truncated(Layer.GUE, "payload", tunnelEnd, 1, 0, "GUE data message without a payload");
        }
        return inner(a, b, tunnelEnd, udpEnd, expected, Layer.GUE, p + 1, protoCtype, out);
    }

    private boolean gre(byte[] a, ByteBuffer b, int p, int ipEnd, ParsedPacket out) {
        int available = ipEnd - p;
        if (available < GreHeader.BASE_LENGTH) {
            return out.truncated(Layer.GRE, "header", p, GreHeader.BASE_LENGTH, available, "a GRE header needs 4 bytes");
        }
        int flags = u16(a, b, p);
        if ((flags & 7) != 0) {
            return out.malformed(Layer.GRE, "version", p, flags & 7, "GRE version must be 0");
        }
        if ((flags & GreHeader.FLAG_ROUTING) != 0) {
            return out.malformed(Layer.GRE, "flags", p, flags, "routing present (deprecated; Linux drops it)");
        }
        int headerLength = GreHeader.lengthOf(flags);
        if (headerLength > available) {
            return out.truncated(Layer.GRE, "flags", p, headerLength, available, "the optional fields run past the IP payload");
        }
        int protocolType = u16(a, b, p + 2);
        int expected;
        if (protocolType == IpProtocols.ETHERTYPE_IPV4) {
            expected = 4;
        } else if (protocolType == IpProtocols.ETHERTYPE_IPV6) {
            expected = 6;
        } else {
            return out.unsupported(Layer.GRE, "protocolType", p + 2, protocolType, "payload is neither IPv4 nor IPv6");
        }
        if ((flags & GreHeader.FLAG_CHECKSUM) != 0 && verifyChecksums
                && Wire.fold(Wire.sum(a, b, p, available, 0)) != 0xffff) {
            return out.malformed(Layer.GRE, "checksum", p + 4, u16(a, b, p + 4), "GRE checksum does not verify");
        }
        int tunnelEnd = p + headerLength;
        out.encapsulation = Encapsulation.GRE;
        out.tunnelEnd = tunnelEnd;
        if (ipEnd - tunnelEnd < 1) {
            return out.truncated(Layer.GRE, "payload", tunnelEnd, 1, 0, "GRE packet without a payload");
        }
        return inner(a, b, tunnelEnd, ipEnd, expected, Layer.GRE, p + 2, protocolType, out);
    }

    /**
     * The inner packet at {@code p}, which the tunnel header says is IPv{@code expected};
     * {@code claimOffset}/{@code claim} name the field that said so, for the error message.
     */
    private boolean inner(byte[] a, ByteBuffer b, int p, int end, int expected, Layer tunnelLayer, int claimOffset,
            int claim, ParsedPacket out) {
        int version = u8(a, b, p) >>> 4;
        Layer layer = expected == 4 ? Layer.INNER_IPV4 : Layer.INNER_IPV6;
        if (version != expected) {
            return out.malformed(layer, "version", p, version, "inner IP version " + version + " but the "
                    + tunnelLayer.name().toLowerCase(java.util.Locale.ROOT) + " header says IPv" + expected);
        }
        if (expected == 4 ? !ipv4(a, b, p, end, layer, false, out) : !ipv6(a, b, p, end, layer, false, out)) {
            return false;
        }
        int l4 = out.ipL4;
        int innerEnd = out.ipEnd;
        int protocol = out.ipProtocol;
        out.innerVersion = expected;
        out.innerL3 = p;
        out.innerL4 = l4;
        out.innerEnd = innerEnd;
        out.innerProtocol = protocol;
        out.innerFragment = out.ipLaterFragment;
        if (out.ipLaterFragment) {
            return true;
        }
        int available = innerEnd - l4;
        if (protocol == IpProtocols.TCP) {
            if (available < 20) {
                return out.truncated(Layer.INNER_TCP, "header", l4, 20, available, "a TCP header needs 20 bytes");
            }
            int dataOffsetWords = u8(a, b, l4 + 12) >>> 4;
            if (dataOffsetWords < 5) {
                return out.malformed(Layer.INNER_TCP, "dataOffset", l4 + 12, dataOffsetWords, "TCP data offset below 5 words");
            }
            if (dataOffsetWords * 4 > available) {
                return out.truncated(Layer.INNER_TCP, "dataOffset", l4 + 12, dataOffsetWords * 4, available,
                        "TCP options run past the inner packet");
            }
        } else if (protocol == IpProtocols.UDP) {
            if (available < UdpHeader.LENGTH) {
                return out.truncated(Layer.INNER_UDP, "header", l4, UdpHeader.LENGTH, available, "a UDP header needs 8 bytes");
            }
            int udpLength = u16(a, b, l4 + 4);
            if (udpLength < UdpHeader.LENGTH) {
                return out.malformed(Layer.INNER_UDP, "length", l4 + 4, udpLength, "UDP length below 8");
            }
            if (udpLength > available) {
                return out.truncated(Layer.INNER_UDP, "length", l4 + 4, udpLength, available,
                        "UDP length runs past the inner packet");
            }
        }
        return true;
    }

    /** Checks an IPv4 header at {@code p} inside {@code [p, end)}; results in {@code out.ip…}. */
    private boolean ipv4(byte[] a, ByteBuffer b, int p, int end, Layer layer, boolean outer, ParsedPacket out) {
        int available = end - p;
        if (available < Ipv4Header.MIN_LENGTH) {
            return out.truncated(layer, "header", p, Ipv4Header.MIN_LENGTH, available, "an IPv4 header needs 20 bytes");
        }
        // the fixed header in three reads: version/IHL, TOS, total length, ID, flags/fragment | TTL,
        // protocol, checksum, source | destination
        long w0 = Wire.s64(a, b, p);
        long w1 = Wire.s64(a, b, p + 8);
        int ihlWords = (int) (w0 >>> 56) & 0x0f;
        if (ihlWords < 5) {
            return out.malformed(layer, "ihl", p, ihlWords, "IHL below 5 words");
        }
        int headerLength = ihlWords * 4;
        if (headerLength > available) {
            return out.truncated(layer, "ihl", p, headerLength, available, "the options the IHL declares run past the end");
        }
        int totalLength = (int) (w0 >>> 32) & 0xffff;
        if (totalLength < headerLength) {
            return out.malformed(layer, "totalLength", p + 2, totalLength, "total length shorter than the header");
        }
        if (totalLength > available) {
            return out.truncated(layer, "totalLength", p + 2, totalLength, available,
                    outer ? "total length runs past the buffer" : "total length runs past the tunnel payload");
        }
        if (verifyChecksums) {
            if (!ipv4ChecksumOk(a, b, p, headerLength, w0, w1)) {
                return out.malformed(layer, "headerChecksum", p + 10, (int) (w1 >>> 32) & 0xffff,
                        "header checksum does not verify");
            }
        }
        int fragment = (int) w0 & 0xffff;
        if (outer && (fragment & 0x3fff) != 0) {
            return out.unsupported(layer, "fragment", p + 6, fragment, "a fragment of a tunnel packet (reassemble first)");
        }
        out.ipLaterFragment = (fragment & 0x1fff) != 0;
        out.ipL4 = p + headerLength;
        out.ipEnd = p + totalLength;
        out.ipProtocol = (int) (w1 >>> 48) & 0xff;
        out.ipProtocolOffset = p + 9;
        return true;
    }

    /** Checks an IPv6 header and walks its extension headers; results in {@code out.ip…}. */
    private boolean ipv6(byte[] a, ByteBuffer b, int p, int end, Layer layer, boolean outer, ParsedPacket out) {
        int available = end - p;
        if (available < Ipv6Header.LENGTH) {
            return out.truncated(layer, "header", p, Ipv6Header.LENGTH, available, "an IPv6 header needs 40 bytes");
        }
        int payloadLength = u16(a, b, p + 4);
        int packetEnd = p + Ipv6Header.LENGTH + payloadLength;
        if (packetEnd > end) {
            return out.truncated(layer, "payloadLength", p + 4, Ipv6Header.LENGTH + payloadLength, available,
                    outer ? "payload length runs past the buffer" : "payload length runs past the tunnel payload");
        }
        int next = u8(a, b, p + 6);
        int nextOffset = p + 6;
        int at = p + Ipv6Header.LENGTH;
        boolean laterFragment = false;
        for (int count = 0; ; count++) {
            if (next != 0 && next != 43 && next != 60 && next != 44) {
                break;
            }
            if (count == MAX_EXTENSION_HEADERS) {
                return out.unsupported(layer, "nextHeader", nextOffset, next, "more than 8 extension headers");
            }
            if (next == 0 && at != p + Ipv6Header.LENGTH) {
                return out.malformed(layer, "nextHeader", nextOffset, next,
                        "hop-by-hop options must come first (RFC 8200 section 4.1)");
            }
            int room = packetEnd - at;
            if (room < 8) {
                return out.truncated(layer, "extensionHeader", at, 8, room, "an extension header needs 8 bytes");
            }
            int headerLength;
            if (next == 44) {
                headerLength = 8;
                int fragment = u16(a, b, at + 2);
                boolean fragmented = (fragment & 0xfff9) != 0;
                if (outer && fragmented) {
                    return out.unsupported(layer, "fragment", at + 2, fragment, "a fragment of a tunnel packet (reassemble first)");
                }
                laterFragment |= (fragment & 0xfff8) != 0;
            } else {
                headerLength = (u8(a, b, at + 1) + 1) * 8;
                if (headerLength > room) {
                    return out.truncated(layer, "hdrExtLen", at + 1, headerLength, room,
                            "extension header runs past the payload length");
                }
            }
            next = u8(a, b, at);
            nextOffset = at;
            at += headerLength;
        }
        out.ipLaterFragment = laterFragment;
        out.ipL4 = at;
        out.ipEnd = packetEnd;
        out.ipProtocol = next;
        out.ipProtocolOffset = nextOffset;
        return true;
    }

    /** Configures a {@link PacketParser}; each setter checks its argument at once. */
    public static final class Builder {
        private final byte[] ports = new byte[65536];
        private boolean gre;
        private boolean allowControl;
        private boolean verifyChecksums = true;
        private boolean allowZeroUdp6Checksum;

        private Builder() {
        }

        /** UDP destination ports that carry GUE (variant 0 or 1), e.g. 6080. */
        public Builder gue(int... ports) {
            for (int port : ports) {
                assign(port, PORT_GUE);
            }
            return this;
        }

        /**
         * A UDP destination port that carries FOU with the given inner protocol: 4 (IPIP, inner IPv4)
         * or 41 (IPv6), as {@code ip fou add port N ipproto P} configures.
         */
        public Builder fou(int port, int innerProtocol) {
            if (innerProtocol == IpProtocols.IPIP) {
                assign(port, PORT_FOU_IPV4);
            } else if (innerProtocol == IpProtocols.IPV6) {
                assign(port, PORT_FOU_IPV6);
            } else {
                throw new IllegalArgumentException("FOU inner protocol must be 4 (IPIP) or 41 (IPv6), not " + innerProtocol);
            }
            return this;
        }

        private void assign(int port, byte kind) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, not " + port);
            }
            if (ports[port] != PORT_NONE) {
                throw new IllegalArgumentException("port " + port + " is already mapped");
            }
            ports[port] = kind;
        }

        /** Whether IP protocol 47 (GRE, as IPVS sends it) is decoded. Default false. */
        public Builder gre(boolean enabled) {
            this.gre = enabled;
            return this;
        }

        /** Whether GUE control messages (C=1) parse as OK instead of UNSUPPORTED. Default false, as Linux. */
        public Builder allowControlMessages(boolean allow) {
            this.allowControl = allow;
            return this;
        }

        /**
         * Whether checksums are verified: IPv4 header checksums (outer and inner), non-zero UDP
         * checksums, GRE checksums. Default true. Turn off for captures taken before checksum
         * offload filled them in.
         */
        public Builder verifyChecksums(boolean verify) {
            this.verifyChecksums = verify;
            return this;
        }

        /** Whether a zero UDP checksum over IPv6 is accepted (RFC 6935/6936 tunnels). Default false. */
        public Builder allowZeroUdp6Checksum(boolean allow) {
            this.allowZeroUdp6Checksum = allow;
            return this;
        }

        public PacketParser build() {
            return new PacketParser(this);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("PacketParser[");
        for (int port = 1; port < ports.length; port++) {
            if (ports[port] != PORT_NONE) {
                text.append(ports[port] == PORT_GUE ? "gue:" : ports[port] == PORT_FOU_IPV4 ? "fou4:" : "fou6:")
                        .append(port).append(' ');
            }
        }
        return text.append(gre ? "gre " : "").append("checksums=").append(verifyChecksums ? "verify" : "ignore")
                .append(allowControl ? " control" : "").append(allowZeroUdp6Checksum ? " udp6-zero-csum" : "").append(']')
                .toString();
    }

    boolean portMapped(int port) {
        return port >= 0 && port < ports.length && ports[port] != PORT_NONE;
    }
}
