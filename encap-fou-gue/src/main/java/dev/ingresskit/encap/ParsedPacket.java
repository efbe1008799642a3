package dev.ingresskit.encap;

import java.nio.ByteBuffer;

/**
 * The result of {@link PacketParser#parse}: reusable and mutable, so that parsing allocates nothing.
 * Not thread-safe: give each thread its own.
 *
 * <p>After {@link ParseStatus#OK}, the offsets are indexes into the buffer that was parsed, ordered
 * {@code outerL3 < outerL4 < tunnelEnd == innerL3 < innerL4 ≤ innerEnd ≤ outerEnd}, and every one of
 * them was proven to be inside the packet before any length was derived from it.
 * {@link #tunnelHeaderLength()} is {@code innerL3 - outerL4}, the quantity the Linux segmentation
 * path computes as {@code inner_mac_header - transport_header}: always positive here. (A GUE control
 * message, accepted only when the parser allows them, has no inner packet: then
 * {@code innerL3 == innerL4 == innerEnd} is the end of the UDP payload and {@link #control()} is true.)
 *
 * <p>After any other status, the {@code error…} accessors say what was wrong and where, and
 * {@link #toException()} builds the equivalent {@link MalformedPacketException}.
 */
public final class ParsedPacket {
    // the parsed buffer: exactly one of array/buffer is set; `base` is subtracted from every index
    // reported, so adapters (netty) can report indexes of their own buffer
    byte[] array;
    ByteBuffer buffer;
    int base;

    ParseStatus status = ParseStatus.UNSUPPORTED;

    // The result after OK, packed so that the parser's hot path writes it in three stores; indexes
    // are kept relative to resultL3 (all fit in 16 bits: an IP packet is at most 65535 + 40 bytes,
    // hence 17 bits for the outer length). resultOffsets: outerL4 | tunnelEnd << 16 | innerL4 << 32
    // | innerLength << 48. resultShape: outerLength | innerProtocol << 20 | outerVersion << 28 |
    // innerVersion << 32 | encapsulation ordinal << 36 | control << 40 | inner later fragment << 41.
    int resultL3;
    long resultOffsets;
    long resultShape;
    private static final Encapsulation[] ENCAPSULATIONS = Encapsulation.values();

    // what the general paths fill in while they check, packed by commit() once every rule held
    Encapsulation encapsulation;
    boolean control;
    int outerVersion;
    int outerL3;
    int outerL4;
    int outerEnd;
    int tunnelEnd;
    int innerVersion;
    int innerL3;
    int innerL4;
    int innerEnd;
    int innerProtocol;
    boolean innerFragment;

    Layer errorLayer;
    String errorField;
    int errorOffset;
    long errorValue;
    long errorAvailable;
    String errorReason;

    // scratch results of one IP header check
    int ipL4;
    int ipEnd;
    int ipProtocol;
    int ipProtocolOffset;
    boolean ipLaterFragment;

    private final Ipv4Header outerIpv4 = new Ipv4Header(Layer.OUTER_IPV4);
    private final Ipv6Header outerIpv6 = new Ipv6Header(Layer.OUTER_IPV6);
    private final UdpHeader udp = new UdpHeader();
    private final GueHeader gue = new GueHeader();
    private final GreHeader gre = new GreHeader();
    private final Ipv4Header innerIpv4 = new Ipv4Header(Layer.INNER_IPV4);
    private final Ipv6Header innerIpv6 = new Ipv6Header(Layer.INNER_IPV6);

    void reset(byte[] array, ByteBuffer buffer, int base) {
        // the error fields are written by fail() before any failing status is visible; the layer
        // fields by the parse steps before OK is set: only what a parse may leave untouched is reset
        this.array = array;
        this.buffer = buffer;
        this.base = base;
        this.status = ParseStatus.UNSUPPORTED;
        this.control = false;
        this.innerFragment = false;
    }

    /**
     * The whole result of an IPv4-in-IPv4 tunnel packet from the parser's first fast path (outer and
     * inner IPv4 headers without options). References are written only when they change: on the hot
     * path the same buffer is parsed again and again.
     */
    void acceptIpv4InIpv4(byte[] array, ByteBuffer buffer, int base, Encapsulation encapsulation, int outerL3,
            int tunnelEnd, int outerEnd, int innerProtocol) {
        if (this.array != array) {
            this.array = array;
        }
        if (this.buffer != buffer) {
            this.buffer = buffer;
        }
        if (this.status != ParseStatus.OK) {
            this.status = ParseStatus.OK;
        }
        this.base = base;
        pack(outerL3, outerL3 + Ipv4Header.MIN_LENGTH, tunnelEnd, tunnelEnd + Ipv4Header.MIN_LENGTH, outerEnd, outerEnd,
                innerProtocol, 4, 4, encapsulation, false, false);
    }

    /** Packs what a general path found, after every rule held, and marks the result OK. */
    void commit() {
        pack(outerL3, outerL4, tunnelEnd, innerL4, innerEnd, outerEnd, innerProtocol, outerVersion, innerVersion,
                encapsulation, control, innerFragment);
        status = ParseStatus.OK;
    }

    /** The one place that lays out the packed result (the inner packet starts at {@code tunnelEnd}). */
    private void pack(int outerL3, int outerL4, int tunnelEnd, int innerL4, int innerEnd, int outerEnd, int innerProtocol,
            int outerVersion, int innerVersion, Encapsulation encapsulation, boolean control, boolean innerFragment) {
        resultL3 = outerL3;
        resultOffsets = (outerL4 - outerL3) | (long) (tunnelEnd - outerL3) << 16 | (long) (innerL4 - outerL3) << 32
                | (long) (innerEnd - tunnelEnd) << 48;
        resultShape = (outerEnd - outerL3) | (long) innerProtocol << 20 | (long) outerVersion << 28
                | (long) innerVersion << 32 | (long) encapsulation.ordinal() << 36 | (control ? 1L << 40 : 0)
                | (innerFragment ? 1L << 41 : 0);
    }

    // the packed result, unpacked to absolute indexes of the parsed buffer (before subtracting base)
    private int l4() {
        return resultL3 + (int) (resultOffsets & 0xffff);
    }

    private int l3Inner() {
        return resultL3 + (int) (resultOffsets >>> 16 & 0xffff);
    }

    private int l4Inner() {
        return resultL3 + (int) (resultOffsets >>> 32 & 0xffff);
    }

    private int endInner() {
        return l3Inner() + (int) (resultOffsets >>> 48);
    }

    private int endOuter() {
        return resultL3 + (int) (resultShape & 0x1ffff);
    }

    private int versionOuter() {
        return (int) (resultShape >>> 28 & 0xf);
    }

    private int versionInner() {
        return (int) (resultShape >>> 32 & 0xf);
    }

    private Encapsulation kind() {
        return ENCAPSULATIONS[(int) (resultShape >>> 36 & 0xf)];
    }

    boolean fail(ParseStatus kind, Layer layer, String field, int offset, long value, long available, String reason) {
        status = kind;
        errorLayer = layer;
        errorField = field;
        errorOffset = offset;
        errorValue = value;
        errorAvailable = available;
        errorReason = reason;
        return false;
    }

    boolean truncated(Layer layer, String field, int offset, long needed, long available, String reason) {
        return fail(ParseStatus.TRUNCATED, layer, field, offset, needed, available, reason);
    }

    boolean malformed(Layer layer, String field, int offset, long value, String reason) {
        return fail(ParseStatus.MALFORMED, layer, field, offset, value, -1, reason);
    }

    boolean unsupported(Layer layer, String field, int offset, long value, String reason) {
        return fail(ParseStatus.UNSUPPORTED, layer, field, offset, value, -1, reason);
    }

    public ParseStatus status() {
        return status;
    }

    public boolean ok() {
        return status == ParseStatus.OK;
    }

    private void requireOk() {
        if (status != ParseStatus.OK) {
            throw new IllegalStateException("no parsed packet: the last parse ended " + status);
        }
    }

    public Encapsulation encapsulation() {
        requireOk();
        return kind();
    }

    /** Whether the packet is a GUE control message (only ever true when the parser accepts them). */
    public boolean control() {
        requireOk();
        return (resultShape & 1L << 40) != 0;
    }

    /** 4 or 6. */
    public int outerIpVersion() {
        requireOk();
        return versionOuter();
    }

    /** Index of the outer IP header. */
    public int outerL3() {
        requireOk();
        return resultL3 - base;
    }

    /** Index of the outer UDP header (FOU, GUE) or GRE header. */
    public int outerL4() {
        requireOk();
        return l4() - base;
    }

    /** Index just past the outer IP packet (its total length; trailing bytes such as padding are not part of it). */
    public int outerEnd() {
        requireOk();
        return endOuter() - base;
    }

    /** Index just past the tunnel headers (UDP + GUE, UDP, GRE): equals {@link #innerL3()}. */
    public int tunnelEnd() {
        requireOk();
        return l3Inner() - base;
    }

    /** Index of the inner IP header. */
    public int innerL3() {
        requireOk();
        return l3Inner() - base;
    }

    /** Index of the inner transport header (after the inner IP header and its extension headers). */
    public int innerL4() {
        requireOk();
        return l4Inner() - base;
    }

    /** Index just past the inner packet (its own total length). */
    public int innerEnd() {
        requireOk();
        return endInner() - base;
    }

    /** 4 or 6; 0 for a control message. */
    public int innerIpVersion() {
        requireOk();
        return versionInner();
    }

    /** The inner packet's transport protocol (6 TCP, 17 UDP, …); the control type for a control message. */
    public int innerProtocol() {
        requireOk();
        return (int) (resultShape >>> 20 & 0xff);
    }

    /** Whether the inner packet is a non-first fragment (then its transport header was not checked). */
    public boolean innerLaterFragment() {
        requireOk();
        return (resultShape & 1L << 41) != 0;
    }

    /** {@code innerL3 - outerL4}: UDP + GUE, UDP, or GRE header bytes. Always positive after OK. */
    public int tunnelHeaderLength() {
        requireOk();
        return l3Inner() - l4();
    }

    /** {@code innerL3 - outerL3}: every header in front of the inner packet. */
    public int outerHeaderLength() {
        requireOk();
        return l3Inner() - resultL3;
    }

    /** {@code innerEnd - innerL3}. */
    public int innerLength() {
        requireOk();
        return (int) (resultOffsets >>> 48);
    }

    public Layer errorLayer() {
        return errorLayer;
    }

    public String errorField() {
        return errorField;
    }

    /** Index of the offending field in the parsed buffer. */
    public int errorOffset() {
        return errorOffset < 0 ? errorOffset : errorOffset - base;
    }

    /** The offending value; for {@link ParseStatus#TRUNCATED} the number of bytes needed. */
    public long errorValue() {
        return errorValue;
    }

    /** For {@link ParseStatus#TRUNCATED}, the bytes that were available; otherwise -1. */
    public long errorAvailable() {
        return errorAvailable;
    }

    public String errorReason() {
        return errorReason;
    }

    /** The failure as an exception (allocates). */
    public MalformedPacketException toException() {
        if (status == ParseStatus.OK) {
            throw new IllegalStateException("the packet parsed OK");
        }
        return new MalformedPacketException(status, errorLayer, errorField, errorOffset(), errorValue,
                errorAvailable, errorReason);
    }

    /** The outer IPv4 header, wrapped on demand (no allocation). */
    public Ipv4Header outerIpv4() {
        requireOk();
        requireVersion(versionOuter(), 4, "outer");
        outerIpv4.bind(array, buffer, resultL3, endOuter() - resultL3);
        return outerIpv4;
    }

    public Ipv6Header outerIpv6() {
        requireOk();
        requireVersion(versionOuter(), 6, "outer");
        outerIpv6.bind(array, buffer, resultL3, endOuter() - resultL3);
        return outerIpv6;
    }

    /** The outer UDP header (FOU and GUE packets). */
    public UdpHeader udp() {
        requireOk();
        if (kind() == Encapsulation.GRE) {
            throw new IllegalStateException("a GRE packet has no UDP header");
        }
        udp.bind(array, buffer, l4(), endOuter() - l4());
        return udp;
    }

    /** The GUE header (GUE variant 0 and 1 packets; a variant 1 view reads the inner IP's first byte). */
    public GueHeader gue() {
        requireOk();
        Encapsulation kind = kind();
        if (kind != Encapsulation.GUE && kind != Encapsulation.GUE_DIRECT) {
            throw new IllegalStateException("not a GUE packet: " + kind);
        }
        int at = l4() + UdpHeader.LENGTH;
        gue.bind(array, buffer, at, endOuter() - at);
        return gue;
    }

    public GreHeader gre() {
        requireOk();
        if (kind() != Encapsulation.GRE) {
            throw new IllegalStateException("not a GRE packet: " + kind());
        }
        gre.bind(array, buffer, l4(), endOuter() - l4());
        return gre;
    }

    public Ipv4Header innerIpv4() {
        requireOk();
        requireVersion(versionInner(), 4, "inner");
        innerIpv4.bind(array, buffer, l3Inner(), endInner() - l3Inner());
        return innerIpv4;
    }

    public Ipv6Header innerIpv6() {
        requireOk();
        requireVersion(versionInner(), 6, "inner");
        innerIpv6.bind(array, buffer, l3Inner(), endInner() - l3Inner());
        return innerIpv6;
    }

    private static void requireVersion(int actual, int wanted, String which) {
        if (actual != wanted) {
            throw new IllegalStateException("the " + which + " packet is IPv" + actual + ", not IPv" + wanted);
        }
    }

    @Override
    public String toString() {
        if (status != ParseStatus.OK) {
            return status + " " + errorLayer + " " + errorField + " offset=" + errorOffset() + " value=" + errorValue
                    + " " + errorReason;
        }
        return "OK " + kind() + (control() ? " control" : "") + " outerL3=" + outerL3() + " outerL4=" + outerL4()
                + " innerL3=" + innerL3() + " innerL4=" + innerL4() + " innerEnd=" + innerEnd() + " outerEnd=" + outerEnd();
    }
}
