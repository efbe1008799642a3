package dev.ingresskit.examples.gueinspect;

/** The pcap file itself is broken (not one packet in it): names the record and the byte position. */
final class PcapFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    PcapFormatException(String message) {
        super(message);
    }
}
