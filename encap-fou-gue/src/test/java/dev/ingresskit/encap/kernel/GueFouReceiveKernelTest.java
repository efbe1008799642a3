package dev.ingresskit.encap.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ingresskit.encap.Encapsulation;
import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.IpProtocols;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.testsupport.Shell;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Packets built by {@link Encapsulator} are decapsulated by the real kernel's FOU/GUE receive path
 * ({@code net/ipv4/fou_core.c}): the kernel delivers the inner UDP datagram to a socket bound to the
 * inner destination. Deliberately malformed packets are dropped by the kernel exactly when our
 * {@link PacketParser} rejects them. Runs inside the kernel-test VM (kernel-tests/).
 *
 * <p>Setup in the guest: {@code ip fou add port 6080 gue} and {@code ip fou add port 5555 ipproto 4};
 * the decapsulated IPv4 packet goes to the ipip fallback device {@code tunl0}, and its destination
 * 10.66.1.1 is a local address. We send only the UDP payload (GUE header + inner packet) from a
 * local UDP socket to 127.0.0.1: the kernel writes the outer IP/UDP headers itself.
 */
@Tag("kernel")
class GueFouReceiveKernelTest {
    private static final int GUE_PORT = 6080;
    private static final int FOU_PORT = 5555;
    private static final int INNER_PORT = 7000;
    private static final byte[] INNER_SOURCE = {10, 66, 0, 1};
    private static final byte[] INNER_DESTINATION = {10, 66, 1, 1};
    private static final PacketParser PARSER = PacketParser.builder()
            .gue(GUE_PORT).fou(FOU_PORT, IpProtocols.IPIP).build();

    @BeforeAll
    static void tunnels() {
        Shell.run("ip fou add port " + GUE_PORT + " gue && ip fou add port " + FOU_PORT + " ipproto 4"
                + " && ip link set tunl0 up && ip addr add 10.66.1.1/32 dev lo");
    }

    @AfterAll
    static void cleanUp() {
        Shell.run("ip fou del port " + GUE_PORT + "; ip fou del port " + FOU_PORT
                + "; ip addr del 10.66.1.1/32 dev lo; ip link set tunl0 down; true");
    }

    /**
     * One packet to send: the whole outer packet as our encoder built it, then perhaps broken, and
     * the layer and field our parser must blame ("" for a valid packet).
     */
    private record Case(String name, int port, byte[] outer, String blame) {
        Case(String name, int port, byte[] outer) {
            this(name, port, outer, "");
        }
    }

    @Test
    void kernelDeliversExactlyWhatOurParserAccepts() throws IOException {
        Encapsulator gue = encapsulator(b -> b.gue());
        Encapsulator gueRemcsum = encapsulator(b -> b.gue().remoteChecksumOffload(true));
        Encapsulator gueDirect = encapsulator(b -> b.gueDirect());
        Encapsulator fou = encapsulator(b -> b.fou(IpProtocols.IPIP).destinationPort(FOU_PORT));

        List<Case> cases = new ArrayList<>();
        // Valid: each variant our encoder writes.
        cases.add(new Case("gue-v0", GUE_PORT, encapsulate(gue, inner("gue-v0"))));
        cases.add(new Case("gue-v0-remcsum", GUE_PORT, encapsulate(gueRemcsum, inner("gue-v0-remcsum"))));
        cases.add(new Case("gue-v1", GUE_PORT, encapsulate(gueDirect, inner("gue-v1"))));
        cases.add(new Case("fou", FOU_PORT, encapsulate(fou, inner("fou"))));

        // Malformed: one field broken each. Offsets into the outer packet our encoder wrote:
        int ip = 20;                 // outer IPv4 header
        int gueAt = ip + 8;          // GUE header, right after the outer UDP header
        int innerAt = gueAt + 4;     // inner packet, after a plain 4-byte GUE header
        cases.add(broken("gue-variant-2", gue, p -> p[gueAt] = (byte) (0x80 | p[gueAt] & 0x3f), "GUE variant"));
        cases.add(broken("gue-control", gue, p -> p[gueAt] |= 0x20, "GUE control"));
        cases.add(broken("gue-hlen-past-end", gue, p -> p[gueAt] |= 0x1f, "GUE hlen"));
        cases.add(broken("gue-unknown-flag", gue, p -> p[gueAt + 2] |= (byte) 0x80, "GUE flags"));
        cases.add(broken("gue-private-flag-without-room", gue, p -> p[gueAt + 3] |= 0x01, "GUE hlen"));
        cases.add(broken("gue-proto-99", gue, p -> p[gueAt + 1] = 99, "GUE proto"));
        // REMCSUM claimed with Hlen 1 (no room for csum_start/csum_offset): Linux does not count the
        // field's length, reads the inner header as start/offset, and drops; our parser refuses Hlen < 2.
        cases.add(broken("gue-remcsum-hlen-1", gueRemcsum, p -> p[gueAt] = (byte) (p[gueAt] & 0xe0 | 1), "GUE hlen"));
        cases.add(broken("gue-remcsum-start-past-end", gueRemcsum, p -> p[gueAt + 8] = 0x7f, "GUE csumStart"));
        cases.add(broken("inner-header-checksum", gue, p -> p[innerAt + 10] ^= 0x55, "INNER_IPV4 headerChecksum"));
        cases.add(broken("fou-inner-version-6", fou, p -> p[ip + 8] = 0x65, "INNER_IPV4 version"));
        cases.add(new Case("gue-truncated", GUE_PORT,
                resize(encapsulate(gue, inner("gue-truncated")), gueAt + 2), "GUE header"));
        cases.add(new Case("inner-ihl-4", GUE_PORT,
                encapsulate(gue, inner("inner-ihl-4", 4, 0, 0)), "INNER_IPV4 ihl"));
        cases.add(new Case("inner-total-length-past-end", GUE_PORT,
                encapsulate(gue, inner("inner-total-length-past-end", 5, 40, 0)), "INNER_IPV4 totalLength"));
        cases.add(new Case("inner-udp-length-past-end", GUE_PORT,
                encapsulate(gue, inner("inner-udp-length-past-end", 5, 0, 40)), "INNER_UDP length"));

        // Our verdicts first. Each broken packet must be refused for the field that was broken, or
        // the comparison with the kernel below would not be about that field.
        Map<String, ParseStatus> verdicts = new LinkedHashMap<>();
        ParsedPacket parsed = new ParsedPacket();
        for (Case c : cases) {
            verdicts.put(c.name(), PARSER.parse(c.outer(), 0, c.outer().length, parsed));
            String blamed = parsed.ok() ? "" : parsed.errorLayer() + " " + parsed.errorField();
            assertEquals(c.blame(), blamed, () -> c.name() + ": " + parsed);
            if (!parsed.ok()) {
                System.out.println(c.name() + ": parser says " + parsed.status() + " " + blamed
                        + " at offset " + parsed.errorOffset() + " (" + parsed.errorReason() + ")");
            }
        }

        TreeSet<String> delivered = new TreeSet<>();
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(INNER_DESTINATION), INNER_PORT));
                DatagramSocket sender = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            receiver.setSoTimeout(5_000);
            for (Case c : cases) {
                send(sender, c);
            }
            // Loopback keeps order: once the sentinel is in, every earlier packet has been handled.
            send(sender, new Case("sentinel", GUE_PORT, encapsulate(gue, inner("sentinel"))));
            byte[] buffer = new byte[2048];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    receiver.receive(packet);
                } catch (SocketTimeoutException e) {
                    break;
                }
                String tag = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII);
                if (tag.equals("sentinel")) {
                    break;
                }
                delivered.add(tag);
            }
        }
        TreeSet<String> accepted = new TreeSet<>();
        verdicts.forEach((name, status) -> {
            if (status == ParseStatus.OK) {
                accepted.add(name);
            }
        });
        System.out.println("kernel delivered " + delivered + "; parser accepted " + accepted + " of " + verdicts.size());
        assertEquals(accepted, delivered, "the kernel should deliver exactly the packets our parser accepts");
    }

    private static void send(DatagramSocket sender, Case c) throws IOException {
        int payload = 20 + 8;    // our encoder's outer IPv4 + UDP; the kernel writes its own
        sender.send(new DatagramPacket(c.outer(), payload, c.outer().length - payload,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), c.port())));
    }

    private static Encapsulator encapsulator(Consumer<Encapsulator.Builder> kind) {
        Encapsulator.Builder b = Encapsulator.builder();
        kind.accept(b);
        return b.addresses(InetAddress.getLoopbackAddress(), InetAddress.getLoopbackAddress())
                .sourcePort(40_000).build();
    }

    /** The whole outer packet: the encoder writes its headers in front of a copy of {@code inner}. */
    private static byte[] encapsulate(Encapsulator encapsulator, byte[] inner) {
        int headroom = encapsulator.maxOverhead();
        byte[] buffer = new byte[headroom + inner.length];
        System.arraycopy(inner, 0, buffer, headroom, inner.length);
        int start = encapsulator.encapsulate(buffer, headroom, inner.length);
        return Arrays.copyOfRange(buffer, start, buffer.length);
    }

    /** A valid packet for {@code name} from {@code encapsulator}, then broken by {@code change}. */
    private static Case broken(String name, Encapsulator encapsulator, Consumer<byte[]> change, String blame) {
        int port = encapsulator.encapsulation() == Encapsulation.FOU ? FOU_PORT : GUE_PORT;
        return new Case(name, port, edit(encapsulate(encapsulator, inner(name)), change), blame);
    }

    /**
     * Breaks the packet with {@code change}, then zeroes the outer UDP checksum ("none" in IPv4): the
     * kernel computes its own outer headers, so only the broken field may decide our parser's verdict.
     */
    private static byte[] edit(byte[] packet, Consumer<byte[]> change) {
        change.accept(packet);
        put16(packet, 20 + 6, 0);
        return packet;
    }

    /** Cuts the outer packet to {@code length} bytes and fixes the outer IPv4 and UDP lengths to match. */
    private static byte[] resize(byte[] packet, int length) {
        byte[] p = Arrays.copyOf(packet, length);
        put16(p, 2, length);
        put16(p, 10, 0);
        put16(p, 10, ~sum(p, 0, 20, 0) & 0xffff);
        put16(p, 20 + 4, length - 20);
        put16(p, 20 + 6, 0);
        return p;
    }

    private static byte[] inner(String tag) {
        return inner(tag, 5, 0, 0);
    }

    /**
     * An inner IPv4/UDP packet 10.66.0.1:40000 → 10.66.1.1:7000 carrying {@code tag}, with correct
     * header and UDP checksums, optionally with a wrong IHL or a total/UDP length overstated by the
     * given number of bytes (checksums still computed over what is written).
     */
    private static byte[] inner(String tag, int ihlWords, int totalLengthExtra, int udpLengthExtra) {
        byte[] data = tag.getBytes(StandardCharsets.US_ASCII);
        int udpLength = 8 + data.length;
        byte[] p = new byte[20 + udpLength];
        p[0] = (byte) (0x40 | ihlWords);
        put16(p, 2, p.length + totalLengthExtra);
        p[6] = 0x40;                               // DF
        p[8] = 64;                                 // TTL
        p[9] = (byte) IpProtocols.UDP;
        System.arraycopy(INNER_SOURCE, 0, p, 12, 4);
        System.arraycopy(INNER_DESTINATION, 0, p, 16, 4);
        put16(p, 10, ~sum(p, 0, 20, 0) & 0xffff);
        put16(p, 20, 40_000);
        put16(p, 22, INNER_PORT);
        put16(p, 24, udpLength + udpLengthExtra);
        System.arraycopy(data, 0, p, 28, data.length);
        long pseudo = sum(p, 12, 8, 0) + IpProtocols.UDP + udpLength;
        int checksum = ~sum(p, 20, udpLength, pseudo) & 0xffff;
        put16(p, 26, checksum == 0 ? 0xffff : checksum);
        return p;
    }

    private static void put16(byte[] p, int at, int value) {
        p[at] = (byte) (value >>> 8);
        p[at + 1] = (byte) value;
    }

    /** RFC 1071 one's-complement sum, folded to 16 bits. */
    private static int sum(byte[] p, int from, int length, long initial) {
        long s = initial;
        for (int i = 0; i < length; i += 2) {
            s += (p[from + i] & 0xff) << 8 | (i + 1 < length ? p[from + i + 1] & 0xff : 0);
        }
        while (s >>> 16 != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) s;
    }
}
