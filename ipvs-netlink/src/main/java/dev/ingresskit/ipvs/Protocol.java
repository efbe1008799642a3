package dev.ingresskit.ipvs;

/** The transport protocol of a virtual service (IANA protocol numbers, as IPVS stores them). */
public enum Protocol {
    TCP(6),
    UDP(17),
    SCTP(132);

    private final int number;
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    Protocol(int number) {
        this.number = number;
    }

    /** {@code tcp}, {@code udp}, {@code sctp}: as ipvsadm and this module's text forms write it. */
    String label() {
        return label;
    }

    /** The IP protocol number ({@code IPPROTO_*}). */
    public int number() {
        return number;
    }

    /** The protocol with IP protocol number {@code number}. */
    public static Protocol of(int number) {
        for (Protocol p : values()) {
            if (p.number == number) {
                return p;
            }
        }
        throw new IllegalArgumentException("IPVS supports TCP (6), UDP (17) and SCTP (132), not protocol " + number);
    }
}
