package dev.ingresskit.examples.gueinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.examples.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GueInspectTest {
    // Golden packets from encap-fou-gue's make_golden.py (independent Python encoder), see Golden.java there.
    static final String GUE4 = "4500004800004000401126a30a0000010a0000029c4017c0003400000004000045000028123440004006a52dc0a8010ac0a8011430390050000003e8000000005002fffff8020000";
    static final String GUE4_REMCSUM = "45000050000040004011269b0a0000010a0000029c4017c0003cc74402040001800000000014001a45000028004240004011b714c0a8010ac0a8011414e900350014839472656d6f7465206373756d21";
    static final String GUE6_DIRECT = "60012345003d114020010db800000000000000000000000120010db8000000000000000000000002c35017c0003d57bf60000000000d1140fd000000000000000000000000000010fd00000000000000000000000000002014e90035000dacb268656c6c6f";
    static final String FOU4 = "4500004400004000401126a70a0000010a0000029c4115b30030bd2045000028123440004006a52dc0a8010ac0a8011430390050000003e8000000005002fffff8020000";
    static final String GRE4 = "4500004400004000402f26890a0000010a00000280000800fb88000045000028123440004006a52dc0a8010ac0a8011430390050000003e8000000005002fffff8020000";

    @TempDir
    Path dir;

    record Frame(byte[] bytes, int originalLength) {
        Frame(byte[] bytes) {
            this(bytes, bytes.length);
        }
    }

    static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    static byte[] ethernet(String ipHex, int etherType) {
        byte[] ip = hex(ipHex);
        ByteBuffer frame = ByteBuffer.allocate(14 + ip.length);
        frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) etherType).put(ip);
        return frame.array();
    }

    static byte[] vlan(String ipHex) {
        byte[] ip = hex(ipHex);
        ByteBuffer frame = ByteBuffer.allocate(18 + ip.length);
        frame.put(new byte[12]).putShort((short) 0x8100).putShort((short) 7).putShort((short) 0x0800).put(ip);
        return frame.array();
    }

    static byte[] sll(String ipHex) {
        byte[] ip = hex(ipHex);
        int type = (ip[0] >>> 4) == 4 ? 0x0800 : 0x86dd;
        ByteBuffer frame = ByteBuffer.allocate(16 + ip.length);
        frame.putShort((short) 4).putShort((short) 778).putShort((short) 0).put(new byte[8]).putShort((short) type).put(ip);
        return frame.array();
    }

    static byte[] sll2(String ipHex) {
        byte[] ip = hex(ipHex);
        int type = (ip[0] >>> 4) == 4 ? 0x0800 : 0x86dd;
        ByteBuffer frame = ByteBuffer.allocate(20 + ip.length);
        frame.putShort((short) type).putShort((short) 0).putInt(3).putShort((short) 1).put((byte) 4).put((byte) 6)
                .put(new byte[8]).put(ip);
        return frame.array();
    }

    Path pcap(String name, int linkType, ByteOrder order, int magic, List<Frame> frames) throws IOException {
        ByteBuffer file = ByteBuffer.allocate(24 + frames.stream().mapToInt(f -> 16 + f.bytes().length).sum()).order(order);
        file.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262144).putInt(linkType);
        int second = 1_700_000_000;
        for (Frame f : frames) {
            file.putInt(second++).putInt(0).putInt(f.bytes().length).putInt(f.originalLength()).put(f.bytes());
        }
        Path path = dir.resolve(name);
        Files.write(path, file.array());
        return path;
    }

    Path pcap(String name, int linkType, List<Frame> frames) throws IOException {
        return pcap(name, linkType, ByteOrder.LITTLE_ENDIAN, PcapReader.MAGIC_MICROS, frames);
    }

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("gue-inspect"));
        all.addAll(List.of(args));
        int code = MainAccess.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void ethernetCaptureOneLinePerPacketThenSummary() throws IOException {
        byte[] badHlen = hex(GUE4);
        badHlen[28] = 0x1f;
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        Path file = pcap("eth.pcap", 1, List.of(new Frame(ethernet(GUE4, 0x0800)), new Frame(ethernet(GRE4, 0x0800)),
                new Frame(vlan(FOU4)), new Frame(ethernet(HexFormat.of().formatHex(badHlen), 0x0800)), new Frame(arp),
                new Frame(ethernet(GUE4_REMCSUM, 0x0800))));
        Run run = run(file.toString(), "--fou-port", "5555:ipip");
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.lines();
        assertEquals(7, lines.size(), run.out());
        assertEquals("1 ok ipv4 10.0.0.1>10.0.0.2 udp 40000>6080 len=52 csum=0x0000 gue v0 hlen=0 proto=4"
                + " | ipv4 192.168.1.10>192.168.1.20 tcp 12345>80 len=40 thl=12 offsets=0,20,32,52,72", lines.get(0));
        assertEquals("2 ok ipv4 10.0.0.1>10.0.0.2 gre csum=0xfb88 proto=0x0800 | ipv4 192.168.1.10>192.168.1.20 tcp"
                + " 12345>80 len=40 thl=8 offsets=0,20,28,48,68", lines.get(1));
        assertTrue(lines.get(2).startsWith("3 ok ipv4 10.0.0.1>10.0.0.2 udp 40001>5555 len=48 csum=0xbd20 fou |"), lines.get(2));
        assertEquals("4 malformed gue hlen offset=28 value=128 truncated(available=44) 4+4*Hlen runs past the UDP payload",
                lines.get(3));
        assertEquals("5 skipped link not IP (ethertype 0x0806)", lines.get(4));
        assertTrue(lines.get(5).contains("gue v0 hlen=2 proto=4 flags=0x0001 pflags=0x80000000 remcsum start=20 offset=26"
                + " | ipv4 192.168.1.10>192.168.1.20 udp 5353>53 len=40 thl=20"), lines.get(5));
        assertEquals("summary: packets=6 ok=4 malformed=0 truncated=1 skipped=0 not-ip=1 fou=1 gue=2 gue-direct=0 gre=1",
                lines.get(6));
        assertEquals(1, run("--strict", file.toString(), "--fou-port", "5555:4").code(), "--strict fails on a bad packet");
    }

    @Test
    void everyLinkTypeAndByteOrder() throws IOException {
        List<Path> files = List.of(
                pcap("sll.pcap", 113, List.of(new Frame(sll(GUE4)), new Frame(sll(GUE6_DIRECT)))),
                pcap("sll2.pcap", 276, ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_NANOS,
                        List.of(new Frame(sll2(GUE4)), new Frame(sll2(GUE6_DIRECT)))),
                pcap("raw.pcap", 101, ByteOrder.BIG_ENDIAN, PcapReader.MAGIC_MICROS,
                        List.of(new Frame(hex(GUE4)), new Frame(hex(GUE6_DIRECT)))));
        for (Path file : files) {
            Run run = run(file.toString());
            assertEquals(0, run.code(), run.err());
            assertEquals("summary: packets=2 ok=2 malformed=0 truncated=0 skipped=0 not-ip=0 fou=0 gue=1 gue-direct=1 gre=0",
                    run.lines().get(2), file + "\n" + run.out());
            assertTrue(run.lines().get(1).startsWith("2 ok ipv6 2001:db8::1>2001:db8::2 udp 50000>6080 len=61 csum=0x57bf"
                    + " gue v1 | ipv6 fd00::10>fd00::20 udp 5353>53 len=53 thl=8"), run.lines().get(1));
        }
        Run v4 = run(pcap("v4.pcap", 228, List.of(new Frame(hex(GUE4)))).toString());
        assertTrue(v4.lines().getFirst().startsWith("1 ok ipv4"), v4.out());
        Run v6 = run(pcap("v6.pcap", 229, List.of(new Frame(hex(GUE6_DIRECT)))).toString());
        assertTrue(v6.lines().getFirst().startsWith("1 ok ipv6"), v6.out());
    }

    @Test
    void snapLengthTruncationIsReportedAsTruncated() throws IOException {
        byte[] whole = hex(GUE4);
        byte[] cut = java.util.Arrays.copyOf(whole, 50);
        Run run = run(pcap("snap.pcap", 228, List.of(new Frame(cut, whole.length))).toString());
        assertEquals("1 malformed outer_ipv4 totalLength offset=2 value=72 truncated(available=50) total length runs past"
                + " the buffer (captured 50 of 72 bytes)", run.lines().getFirst());
    }

    @Test
    void jsonLines() throws IOException {
        Run run = run(pcap("j.pcap", 228, List.of(new Frame(hex(GUE4_REMCSUM)))).toString(), "--json");
        assertEquals(0, run.code(), run.err());
        assertEquals("{\"n\":1,\"status\":\"ok\",\"encapsulation\":\"gue\",\"outer\":{\"version\":4,\"src\":\"10.0.0.1\","
                + "\"dst\":\"10.0.0.2\"},\"udp\":{\"src\":40000,\"dst\":6080,\"length\":60,\"checksum\":51012},"
                + "\"gue\":{\"variant\":0,\"control\":false,\"hlenWords\":2,\"protoCtype\":4,\"flags\":1,"
                + "\"privateFlags\":2147483648,\"remcsumStart\":20,\"remcsumOffset\":26},\"inner\":{\"version\":4,"
                + "\"src\":\"192.168.1.10\",\"dst\":\"192.168.1.20\",\"protocol\":17,\"length\":40,\"srcPort\":5353,"
                + "\"dstPort\":53},\"tunnelHeaderLength\":20,\"offsets\":{\"outerL3\":0,\"outerL4\":20,\"innerL3\":40,"
                + "\"innerL4\":60,\"innerEnd\":80,\"outerEnd\":80}}", run.lines().get(0));
        assertTrue(run.lines().get(1).startsWith("{\"summary\":{\"packets\":1,\"ok\":1,"), run.lines().get(1));
    }

    @Test
    void truncatedRecordNamesTheRecordWithoutAStackTrace() throws IOException {
        Path file = pcap("cut.pcap", 228, List.of(new Frame(hex(GUE4)), new Frame(hex(GRE4))));
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        Run run = run(file.toString());
        assertEquals(1, run.code());
        assertTrue(run.out().startsWith("1 ok"), run.out());
        assertTrue(run.err().contains("record 2 at byte 112: truncated record data (58 of 68 bytes)"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");

        Files.write(file, java.util.Arrays.copyOf(bytes, 24 + 16 + 72 + 5));
        run = run(file.toString());
        assertTrue(run.err().contains("record 2 at byte 112: truncated record header (5 of 16 bytes)"), run.err());
    }

    @Test
    void corruptFilesGetClearErrors() throws IOException {
        Path ng = dir.resolve("x.pcapng");
        Files.write(ng, hex("0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000"));
        Run run = run(ng.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("pcapng is not supported"), run.err());

        Path junk = dir.resolve("junk.pcap");
        Files.write(junk, "hello, world, this is not pcap".getBytes(StandardCharsets.US_ASCII));
        assertTrue(run(junk.toString()).err().contains("not a pcap file: magic 0x68656c6c"));

        Path huge = pcap("huge.pcap", 228, List.of(new Frame(hex(GUE4))));
        byte[] bytes = Files.readAllBytes(huge);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, 0x7fff_0000);
        Files.write(huge, bytes);
        run = run(huge.toString());
        assertEquals(1, run.code());
        assertTrue(run.err().contains("record 1 at byte 24: captured length 2147418112 exceeds the snapshot length"),
                run.err());

        assertTrue(run(dir.resolve("missing.pcap").toString()).err().contains("no such file"));
        assertTrue(run(pcap("tr.pcap", 105, List.of()).toString()).err().contains("link type 105 is not supported"));
    }

    @Test
    void usageErrors() {
        assertEquals(2, run().code());
        assertEquals(2, run("a.pcap", "--fou-port", "5555").code());
        assertEquals(2, run("a.pcap", "--fou-port", "5555:17").code());
        assertEquals(2, run("a.pcap", "--gue-port", "70000").code());
        assertEquals(2, run("a.pcap", "--gue-port", "6080", "--fou-port", "6080:4").code());
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--fou-port N:PROTO"));
    }
}
