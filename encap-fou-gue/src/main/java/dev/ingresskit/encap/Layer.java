package dev.ingresskit.encap;

/** The header a validation problem was found in. */
public enum Layer {
    /** The outer IPv4 header (the tunnel's own IP header). */
    OUTER_IPV4,
    /** The outer IPv6 header and the extension headers in front of the tunnel header. */
    OUTER_IPV6,
    /** The outer UDP header of FOU and GUE. */
    UDP,
    /** The GUE header (variant 0) or the first byte of a variant 1 payload. */
    GUE,
    /** The GRE header. */
    GRE,
    /** The payload of a FOU tunnel (which has no header of its own). */
    FOU,
    /** The encapsulated IPv4 header. */
    INNER_IPV4,
    /** The encapsulated IPv6 header and its extension headers. */
    INNER_IPV6,
    /** The encapsulated packet's TCP header. */
    INNER_TCP,
    /** The encapsulated packet's UDP header. */
    INNER_UDP
}
