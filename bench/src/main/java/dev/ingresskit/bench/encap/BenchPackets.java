package dev.ingresskit.bench.encap;

import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.IpProtocols;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** The packets the encap benchmarks use (the golden packets of the module's tests). */
final class BenchPackets {
    /** Inner IPv4 TCP SYN, 40 bytes. */
    static final byte[] INNER_IPV4_TCP = HexFormat.of().parseHex(
            "45000028123440004006a52dc0a8010ac0a8011430390050000003e8000000005002fffff8020000");

    private BenchPackets() {
    }

    static Encapsulator encapsulator(String shape) {
        try {
            InetAddress v4a = InetAddress.getByName("10.0.0.1");
            InetAddress v4b = InetAddress.getByName("10.0.0.2");
            InetAddress v6a = InetAddress.getByName("2001:db8::1");
            InetAddress v6b = InetAddress.getByName("2001:db8::2");
            return switch (shape) {
                case "gue4" -> Encapsulator.builder().gue().addresses(v4a, v4b).build();
                // gue4 without the flow hash: the difference is what the source port costs
                case "gue4-fixed-port" -> Encapsulator.builder().gue().addresses(v4a, v4b).sourcePort(40000).build();
                case "gue4-csum" -> Encapsulator.builder().gue().addresses(v4a, v4b).udpChecksum(true).build();
                case "gue4-remcsum" -> Encapsulator.builder().gue().addresses(v4a, v4b).remoteChecksumOffload(true).build();
                case "gue6" -> Encapsulator.builder().gue().addresses(v6a, v6b).build();
                case "gue6-zero-csum" -> Encapsulator.builder().gue().addresses(v6a, v6b).udpChecksum(false)
                        .allowZeroUdp6Checksum(true).build();
                case "fou4" -> Encapsulator.builder().fou(IpProtocols.IPIP).destinationPort(5555).addresses(v4a, v4b).build();
                case "gre4" -> Encapsulator.builder().gre(false).addresses(v4a, v4b).build();
                default -> throw new IllegalArgumentException(shape);
            };
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A whole outer packet of {@code shape} around the inner TCP SYN, in its own array. */
    static byte[] packet(String shape) {
        Encapsulator encapsulator = encapsulator(shape);
        int headroom = encapsulator.maxOverhead();
        byte[] buffer = new byte[headroom + INNER_IPV4_TCP.length];
        System.arraycopy(INNER_IPV4_TCP, 0, buffer, headroom, INNER_IPV4_TCP.length);
        int start = encapsulator.encapsulate(buffer, headroom, INNER_IPV4_TCP.length);
        return java.util.Arrays.copyOfRange(buffer, start, buffer.length);
    }
}
