package dev.ingresskit.encap;

/** How the inner packet is carried. */
public enum Encapsulation {
    /** Foo-over-UDP: the inner packet directly after the UDP header; its protocol is set per port. */
    FOU,
    /** GUE variant 0: a 4-byte header plus {@code 4*hlenWords} bytes of optional fields. */
    GUE,
    /** GUE variant 1: no GUE header; the inner IP version is read from the first nibble. */
    GUE_DIRECT,
    /** GRE (RFC 2784/2890) directly over IP, as IPVS sends it: 4 bytes, 8 with a checksum. */
    GRE
}
