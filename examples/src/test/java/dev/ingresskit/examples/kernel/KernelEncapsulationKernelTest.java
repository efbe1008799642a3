package dev.ingresskit.examples.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ingresskit.encap.Encapsulation;
import dev.ingresskit.encap.GreHeader;
import dev.ingresskit.encap.GueHeader;
import dev.ingresskit.encap.IpProtocols;
import dev.ingresskit.encap.Ipv4Header;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.examples.MainAccess;
import dev.ingresskit.testsupport.Shell;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the real kernel sends, decoded by our code: ipip tunnels with {@code encap gue} (plain, and
 * with {@code encap-csum encap-remcsum}) and {@code encap fou}, and an IPVS service whose real
 * servers use {@code --tun-type gue} (no checksum, {@code --tun-csum}, {@code --tun-remcsum}),
 * {@code gre} (with and without {@code --tun-csum}) and {@code ipip}. tcpdump captures every packet
 * leaving the dummy interface the tunnels point at; each one must parse with {@link PacketParser}
 * with consistent lengths and verified checksums, and {@code gue-inspect} must report the same. Runs inside the kernel-test VM (kernel-tests/).
 *
 * <p>Transmit checksum offload is switched off on the dummy interface ({@code ethtool -K tx off}),
 * so the kernel completes every checksum before tcpdump sees the packet, as it would on a wire.
 */
@Tag("kernel")
class KernelEncapsulationKernelTest {
    private static final String DEVICE = "kx0";
    private static final String VIP = "10.90.0.1";
    private static final PacketParser PARSER = PacketParser.builder()
            .gue(6080).fou(5555, IpProtocols.IPIP).gre(true).build();

    /** One tunnel endpoint on the dummy network 10.88.0.0/24: what the kernel must have sent to it. */
    private record Endpoint(String name, Encapsulation kind, boolean checksum, boolean remcsum) {
    }

    private static final Map<Integer, Endpoint> ENDPOINTS = Map.of(
            10, new Endpoint("ipip encap gue", Encapsulation.GUE, false, false),
            11, new Endpoint("ipip encap gue encap-csum encap-remcsum", Encapsulation.GUE, true, true),
            12, new Endpoint("ipip encap fou", Encapsulation.FOU, false, false),
            20, new Endpoint("ipvs --tun-type gue", Encapsulation.GUE, false, false),
            21, new Endpoint("ipvs --tun-type gue --tun-csum", Encapsulation.GUE, true, false),
            22, new Endpoint("ipvs --tun-type gue --tun-remcsum", Encapsulation.GUE, true, true),
            23, new Endpoint("ipvs --tun-type gre --tun-csum", Encapsulation.GRE, true, false),
            24, new Endpoint("ipvs --tun-type gre", Encapsulation.GRE, false, false),
            25, new Endpoint("ipvs --tun-type ipip", null, false, false));

    @BeforeAll
    static void network() {
        Shell.run("ip link add " + DEVICE + " type dummy && ip link set " + DEVICE + " up"
                + " && ip addr add 10.88.0.1/24 dev " + DEVICE + " && ethtool -K " + DEVICE + " tx off");
        String common = " type ipip local 10.88.0.1 encap-sport auto";
        Shell.run("ip link add kgue0" + common + " remote 10.88.0.10 encap gue encap-dport 6080"
                + " && ip link add kgue1" + common + " remote 10.88.0.11 encap gue encap-dport 6080 encap-csum encap-remcsum"
                + " && ip link add kfou0" + common + " remote 10.88.0.12 encap fou encap-dport 5555");
        Shell.run("ip link set kgue0 up && ip link set kgue1 up && ip link set kfou0 up"
                + " && ip route add 10.89.10.0/24 dev kgue0 && ip route add 10.89.11.0/24 dev kgue1"
                + " && ip route add 10.89.12.0/24 dev kfou0");
        String service = " -t " + VIP + ":80";
        Shell.run("ip addr add " + VIP + "/32 dev lo && ipvsadm -A" + service + " -s rr"
                + " && ipvsadm -a" + service + " -r 10.88.0.20 -i --tun-type gue --tun-port 6080"
                + " && ipvsadm -a" + service + " -r 10.88.0.21 -i --tun-type gue --tun-port 6080 --tun-csum"
                + " && ipvsadm -a" + service + " -r 10.88.0.22 -i --tun-type gue --tun-port 6080 --tun-remcsum"
                + " && ipvsadm -a" + service + " -r 10.88.0.23 -i --tun-type gre --tun-csum"
                + " && ipvsadm -a" + service + " -r 10.88.0.24 -i --tun-type gre --tun-nocsum"
                + " && ipvsadm -a" + service + " -r 10.88.0.25 -i --tun-type ipip");
    }

    @AfterAll
    static void cleanUp() {
        Shell.run("ipvsadm -D -t " + VIP + ":80; ip addr del " + VIP + "/32 dev lo;"
                + " ip link del kgue0; ip link del kgue1; ip link del kfou0; ip link del " + DEVICE + "; true");
    }

    @Test
    void everyPacketTheKernelEncapsulatesDecodesWithConsistentLengthsAndChecksums() throws Exception {
        Path pcap = Path.of(System.getProperty("ingresskit.kernel.results", "/tmp"), "kernel-encapsulation.pcap");
        Files.deleteIfExists(pcap);
        Process tcpdump = new ProcessBuilder("tcpdump", "-i", DEVICE, "-n", "-U", "-w", pcap.toString(), "ip")
                .redirectErrorStream(true).start();
        BufferedReader tcpdumpOutput = new BufferedReader(new InputStreamReader(tcpdump.getInputStream(), StandardCharsets.UTF_8));
        String line = tcpdumpOutput.readLine();     // "listening on kx0, ...": capture is running
        assertTrue(line != null && line.contains("listening on"), "tcpdump did not start: " + line);

        // Through the ipip tunnels: UDP datagrams of three sizes and a TCP SYN each.
        try (DatagramSocket udp = new DatagramSocket()) {
            for (int endpoint : new int[] {10, 11, 12}) {
                for (int size : new int[] {1, 200, 1200}) {
                    udp.send(new DatagramPacket(new byte[size], size,
                            new InetSocketAddress("10.89." + endpoint + ".5", 9)));
                }
                syn(new InetSocketAddress("10.89." + endpoint + ".5", 80));
            }
        }
        // Through IPVS: round robin over the six real servers, three times over.
        for (int i = 0; i < 18; i++) {
            syn(new InetSocketAddress(VIP, 80));
        }
        Thread.sleep(500);
        tcpdump.destroy();                            // SIGTERM: tcpdump flushes and exits
        assertTrue(tcpdump.waitFor(10, TimeUnit.SECONDS), "tcpdump did not stop");

        Map<String, Integer> perEndpoint = new TreeMap<>();
        Map<String, Integer> perKind = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        ParsedPacket parsed = new ParsedPacket();
        List<byte[]> packets = readPcap(Files.readAllBytes(pcap));
        for (int n = 0; n < packets.size(); n++) {
            byte[] frame = packets.get(n);
            int ip = 14;                              // Ethernet header (dummy is an Ethernet device)
            int destination = frame[ip + 19] & 0xff;  // last byte of the outer destination 10.88.0.x
            Endpoint endpoint = ENDPOINTS.get(destination);
            String where = "packet " + (n + 1) + " to 10.88.0." + destination;
            if (endpoint == null) {
                problems.add(where + ": not one of the tunnel endpoints");
                continue;
            }
            perEndpoint.merge(endpoint.name(), 1, Integer::sum);
            perKind.merge(endpoint.kind() == null ? "ipip" : endpoint.kind().name(), 1, Integer::sum);
            try {
                if (endpoint.kind() == null) {
                    checkPlainIpip(frame, ip);
                } else {
                    checkTunnelled(frame, ip, endpoint, parsed);
                }
            } catch (AssertionError e) {
                problems.add(where + " (" + endpoint.name() + "): " + e.getMessage());
            }
        }
        System.out.println("decoded " + packets.size() + " kernel-encapsulated packets from " + pcap + ": " + perEndpoint);
        assertEquals(List.of(), problems);
        assertGueInspectAgrees(pcap, packets.size(), perKind);
        for (Endpoint endpoint : ENDPOINTS.values()) {
            int expected = endpoint.name().startsWith("ipvs") ? 1 : 4;
            assertTrue(perEndpoint.getOrDefault(endpoint.name(), 0) >= expected,
                    "expected at least " + expected + " packets from " + endpoint.name() + ": " + perEndpoint);
        }
    }

    /**
     * The same capture through the {@code gue-inspect} subcommand, strict and verifying checksums:
     * every GUE/FOU/GRE packet OK, nothing malformed or truncated, IPVS's plain ipip skipped (it is
     * not a UDP or GRE tunnel), and the per-encapsulation counts equal ours.
     */
    private static void assertGueInspectAgrees(Path pcap, int packets, Map<String, Integer> perKind) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = MainAccess.run(List.of("gue-inspect", pcap.toString(), "--gue-port", "6080", "--fou-port", "5555:4",
                "--verify-checksums", "--strict"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, () -> "gue-inspect --strict failed:\n" + report + err.toString(StandardCharsets.UTF_8));
        String summary = report.lines().filter(l -> l.startsWith("summary:")).findFirst().orElseThrow();
        int ipip = perKind.getOrDefault("ipip", 0);
        String expected = "summary: packets=" + packets + " ok=" + (packets - ipip) + " malformed=0 truncated=0 skipped="
                + ipip + " not-ip=0 fou=" + perKind.getOrDefault("FOU", 0) + " gue=" + perKind.getOrDefault("GUE", 0)
                + " gue-direct=0 gre=" + perKind.getOrDefault("GRE", 0);
        assertEquals(expected, summary, "gue-inspect's summary of the kernel's packets");
        System.out.println("gue-inspect agrees: " + summary);
    }

    /** A UDP/GUE/FOU/GRE packet: our parser, then the facts it does not check itself. */
    private static void checkTunnelled(byte[] frame, int ip, Endpoint endpoint, ParsedPacket p) {
        int length = frame.length - ip;
        ParseStatus status = PARSER.parse(frame, ip, length, p);
        assertEquals(ParseStatus.OK, status, () -> "parser: " + p.errorLayer() + " " + p.errorField()
                + " at " + p.errorOffset() + " value " + p.errorValue() + ": " + p.errorReason());
        assertEquals(endpoint.kind(), p.encapsulation(), "encapsulation");
        assertEquals(ip + length, p.outerEnd(), "outer IPv4 total length vs captured bytes");
        assertEquals(p.outerEnd(), p.innerEnd(), "the inner packet should end where the outer one does");
        assertEquals(p.tunnelEnd(), p.innerL3(), "tunnel header end vs inner packet start");
        assertEquals(4, p.innerIpVersion(), "inner IP version");
        assertEquals(p.innerEnd() - p.innerL3(), p.innerIpv4().totalLength(), "inner total length");
        int expectedTunnelHeader = switch (endpoint.kind()) {
            case GUE -> 8 + 4 + (endpoint.remcsum() ? 8 : 0);
            case FOU, GUE_DIRECT -> 8;
            case GRE -> 4 + (endpoint.checksum() ? 4 : 0);
        };
        assertEquals(expectedTunnelHeader, p.tunnelHeaderLength(), "tunnel header length");
        if (endpoint.kind() == Encapsulation.GRE) {
            GreHeader gre = p.gre();
            assertEquals(endpoint.checksum(), gre.checksumPresent(), "GRE checksum present");
            assertEquals(IpProtocols.ETHERTYPE_IPV4, gre.protocolType(), "GRE protocol type");
        } else {
            assertEquals(p.outerEnd() - p.outerL4(), p.udp().length(), "UDP length");
            assertEquals(endpoint.checksum(), p.udp().checksum() != 0, "UDP checksum present");
        }
        int innerChecksumAt = p.innerL4() + (p.innerProtocol() == IpProtocols.TCP ? 16 : 6);
        if (endpoint.remcsum()) {
            // Remote checksum offload: the kernel leaves the inner checksum as the pseudo-header sum
            // and tells the receiver where to finish it (csum_start/csum_offset, relative to the inner packet).
            GueHeader gue = p.gue();
            assertTrue(gue.remcsum(), "REMCSUM flag");
            assertEquals(p.innerL4() - p.innerL3(), gue.remcsumStart(), "csum_start");
            assertEquals(innerChecksumAt - p.innerL3(), gue.remcsumOffset(), "csum_offset");
            int pseudo = fold(pseudoHeaderSum(frame, p.innerL3(), p.innerProtocol(), p.innerEnd() - p.innerL4()));
            assertEquals(pseudo, u16(frame, innerChecksumAt), "inner checksum field should hold the pseudo-header sum");
        } else {
            if (endpoint.kind() == Encapsulation.GUE) {
                assertTrue(!p.gue().remcsum(), "no REMCSUM flag");
            }
            assertInnerTransportChecksum(frame, p.innerL3(), p.innerL4(), p.innerEnd(), p.innerProtocol());
        }
    }

    /** IPVS's plain ipip: the parser handles only UDP/GRE tunnels, so the header views check it here. */
    private static void checkPlainIpip(byte[] frame, int ip) {
        Ipv4Header outer = new Ipv4Header().wrap(frame, ip, frame.length - ip);
        assertEquals(IpProtocols.IPIP, outer.protocol(), "outer protocol");
        assertEquals(frame.length - ip, outer.totalLength(), "outer total length vs captured bytes");
        assertTrue(outer.headerChecksumValid(), "outer header checksum");
        int innerAt = ip + outer.headerLength();
        Ipv4Header inner = new Ipv4Header().wrap(frame, innerAt, frame.length - innerAt);
        assertEquals(frame.length - innerAt, inner.totalLength(), "inner total length");
        assertTrue(inner.headerChecksumValid(), "inner header checksum");
        assertInnerTransportChecksum(frame, innerAt, innerAt + inner.headerLength(), frame.length, inner.protocol());
    }

    private static void assertInnerTransportChecksum(byte[] frame, int l3, int l4, int end, int protocol) {
        assertTrue(protocol == IpProtocols.TCP || protocol == IpProtocols.UDP, "inner protocol " + protocol);
        long sum = pseudoHeaderSum(frame, l3, protocol, end - l4);
        for (int i = l4; i < end; i += 2) {
            sum += (frame[i] & 0xff) << 8 | (i + 1 < end ? frame[i + 1] & 0xff : 0);
        }
        assertEquals(0xffff, fold(sum), "inner " + (protocol == IpProtocols.TCP ? "TCP" : "UDP") + " checksum");
    }

    private static long pseudoHeaderSum(byte[] frame, int l3, int protocol, int l4Length) {
        long sum = protocol + l4Length;
        for (int i = l3 + 12; i < l3 + 20; i += 2) {
            sum += u16(frame, i);
        }
        return sum;
    }

    private static int fold(long sum) {
        while (sum >>> 16 != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** A non-blocking connect: the kernel sends a SYN (routed into a tunnel or scheduled by IPVS). */
    private static void syn(InetSocketAddress to) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET)) {
            channel.configureBlocking(false);
            channel.connect(to);
            Thread.sleep(20);           // let the SYN leave before close() forgets the socket
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The frames of a classic pcap file (tcpdump -w), after checking it is Ethernet and unsliced. */
    private static List<byte[]> readPcap(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file);
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xa1b2c3d4) {
            in.order(ByteOrder.BIG_ENDIAN);
            if (in.getInt(0) != 0xa1b2c3d4) {
                fail("not a microsecond pcap file: magic " + Integer.toHexString(magic));
            }
        }
        assertEquals(1, in.getInt(20), "pcap link type (1 = Ethernet)");
        List<byte[]> frames = new ArrayList<>();
        int at = 24;
        while (at + 16 <= file.length) {
            int captured = in.getInt(at + 8);
            int original = in.getInt(at + 12);
            assertEquals(original, captured, "tcpdump cut a packet short");
            assertTrue(at + 16 + captured <= file.length, "truncated pcap record");
            byte[] frame = new byte[captured];
            System.arraycopy(file, at + 16, frame, 0, captured);
            assertEquals(0x0800, u16(frame, 12), "EtherType");
            frames.add(frame);
            at += 16 + captured;
        }
        assertEquals(file.length, at, "trailing bytes in the pcap");
        return frames;
    }
}
