package dev.ingresskit.encap;

/**
 * The outcome of {@link PacketParser#parse}: the allocation-free form of
 * {@link MalformedPacketException}'s kind.
 */
public enum ParseStatus {
    /** Every layer is present and every length is consistent. */
    OK,
    /**
     * A header, or a length it declares, needs more bytes than the enclosing extent holds (the
     * buffer for the outer IP header; the declared IP payload, UDP payload or inner packet below it).
     */
    TRUNCATED,
    /** A field holds a value the format or the Linux receive path rejects. */
    MALFORMED,
    /**
     * A well-formed packet this parser does not decode: not a configured tunnel (other protocol or
     * port), a fragment of the outer packet, a GUE control message when they are not accepted, an
     * encapsulated protocol other than IPv4/IPv6.
     */
    UNSUPPORTED
}
