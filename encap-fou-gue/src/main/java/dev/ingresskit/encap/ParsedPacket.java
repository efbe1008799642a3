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
     * The whole result of an IPv4-in-IPv4 tunnel packet from the parser's first fast path. References
     * are written only when they change: on the hot path the same buffer is parsed again and again.
     */
    void acceptIpv4InIpv4(byte[] array, ByteBuffer buffer, int base, Encapsulation encapsulation, int outerL3,
            int outerL4, int tunnelEnd, int outerEnd, int innerL4, int innerProtocol) {
        if (this.array != array) {
            this.array = array;
        }
        if (this.buffer != buffer) {
            this.buffer = buffer;
        }
        if (this.encapsulation != encapsulation) {
            this.encapsulation = encapsulation;
        }
        if (this.status != ParseStatus.OK) {
            this.status = ParseStatus.OK;
        }
        this.base = base;
        this.control = false;
        this.innerFragment = false;
        this.outerVersion = 4;
        this.innerVersion = 4;
        this.outerL3 = outerL3;
        this.outerL4 = outerL4;
        this.tunnelEnd = tunnelEnd;
        this.innerL3 = tunnelEnd;
        this.innerL4 = innerL4;
        this.innerEnd = outerEnd;
        this.outerEnd = outerEnd;
        this.innerProtocol = innerProtocol;
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
        return encapsulation;
    }

    /** Whether the packet is a GUE control message (only ever true when the parser accepts them). */
    public boolean control() {
        requireOk();
        return control;
    }

    /** 4 or 6. */
    public int outerIpVersion() {
        requireOk();
        return outerVersion;
    }

    /** Index of the outer IP header. */
    public int outerL3() {
        requireOk();
        return outerL3 - base;
    }

    /** Index of the outer UDP header (FOU, GUE) or GRE header. */
    public int outerL4() {
        requireOk();
        return outerL4 - base;
    }

    /** Index just past the outer IP packet (its total length; trailing bytes such as padding are not part of it). */
    public int outerEnd() {
        requireOk();
        return outerEnd - base;
    }

    /** Index just past the tunnel headers (UDP + GUE, UDP, GRE): equals {@link #innerL3()}. */
    public int tunnelEnd() {
        requireOk();
        return tunnelEnd - base;
    }

    /** Index of the inner IP header. */
    public int innerL3() {
        requireOk();
        return innerL3 - base;
    }

    /** Index of the inner transport header (after the inner IP header and its extension headers). */
    public int innerL4() {
        requireOk();
        return innerL4 - base;
    }

    /** Index just past the inner packet (its own total length). */
    public int innerEnd() {
        requireOk();
        return innerEnd - base;
    }

    /** 4 or 6; 0 for a control message. */
    public int innerIpVersion() {
        requireOk();
        return innerVersion;
    }

    /** The inner packet's transport protocol (6 TCP, 17 UDP, …); the control type for a control message. */
    public int innerProtocol() {
        requireOk();
        return innerProtocol;
    }

    /** Whether the inner packet is a non-first fragment (then its transport header was not checked). */
    public boolean innerLaterFragment() {
        requireOk();
        return innerFragment;
    }

    /** {@code innerL3 - outerL4}: UDP + GUE, UDP, or GRE header bytes. Always positive after OK. */
    public int tunnelHeaderLength() {
        requireOk();
        return innerL3 - outerL4;
    }

    /** {@code innerL3 - outerL3}: every header in front of the inner packet. */
    public int outerHeaderLength() {
        requireOk();
        return innerL3 - outerL3;
    }

    /** {@code innerEnd - innerL3}. */
    public int innerLength() {
        requireOk();
        return innerEnd - innerL3;
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
        requireVersion(outerVersion, 4, "outer");
        outerIpv4.bind(array, buffer, outerL3, outerEnd - outerL3);
        return outerIpv4;
    }

    public Ipv6Header outerIpv6() {
        requireOk();
        requireVersion(outerVersion, 6, "outer");
        outerIpv6.bind(array, buffer, outerL3, outerEnd - outerL3);
        return outerIpv6;
    }

    /** The outer UDP header (FOU and GUE packets). */
    public UdpHeader udp() {
        requireOk();
        if (encapsulation == Encapsulation.GRE) {
            throw new IllegalStateException("a GRE packet has no UDP header");
        }
        udp.bind(array, buffer, outerL4, outerEnd - outerL4);
        return udp;
    }

    /** The GUE header (GUE variant 0 and 1 packets; a variant 1 view reads the inner IP's first byte). */
    public GueHeader gue() {
        requireOk();
        if (encapsulation != Encapsulation.GUE && encapsulation != Encapsulation.GUE_DIRECT) {
            throw new IllegalStateException("not a GUE packet: " + encapsulation);
        }
        int at = outerL4 + UdpHeader.LENGTH;
        gue.bind(array, buffer, at, outerEnd - at);
        return gue;
    }

    public GreHeader gre() {
        requireOk();
        if (encapsulation != Encapsulation.GRE) {
            throw new IllegalStateException("not a GRE packet: " + encapsulation);
        }
        gre.bind(array, buffer, outerL4, outerEnd - outerL4);
        return gre;
    }

    public Ipv4Header innerIpv4() {
        requireOk();
        requireVersion(innerVersion, 4, "inner");
        innerIpv4.bind(array, buffer, innerL3, innerEnd - innerL3);
        return innerIpv4;
    }

    public Ipv6Header innerIpv6() {
        requireOk();
        requireVersion(innerVersion, 6, "inner");
        innerIpv6.bind(array, buffer, innerL3, innerEnd - innerL3);
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
        return "OK " + encapsulation + (control ? " control" : "") + " outerL3=" + outerL3() + " outerL4=" + outerL4()
                + " innerL3=" + innerL3() + " innerL4=" + innerL4() + " innerEnd=" + innerEnd() + " outerEnd=" + outerEnd();
    }
}
