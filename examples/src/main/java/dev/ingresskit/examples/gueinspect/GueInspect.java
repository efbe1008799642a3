package dev.ingresskit.examples.gueinspect;

import dev.ingresskit.encap.Encapsulation;
import dev.ingresskit.encap.GueHeader;
import dev.ingresskit.encap.IpProtocols;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.director.internal.JsonWriter;
import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gue-inspect FILE.pcap}: decodes and validates every FOU / GUE / GRE packet of a classic
 * pcap capture with the encap-fou-gue {@link PacketParser}, one line per packet, then a summary.
 */
public final class GueInspect implements Subcommand {
    private static final Options OPTIONS = Options.builder("FILE.pcap [--gue-port N ...] [--fou-port N:PROTO ...] [--json]")
            .values("--gue-port", "N", "UDP port carrying GUE (repeatable; default 6080 when none is given)")
            .values("--fou-port", "N:PROTO", "UDP port carrying FOU with inner PROTO 4|ipip|41|ipv6 (repeatable)")
            .flag("--no-gre", "do not decode IP protocol 47 (GRE)")
            .flag("--verify-checksums", "verify IPv4 header, UDP and GRE checksums (off by default: captures taken"
                    + " before checksum offload show partial checksums)")
            .flag("--allow-zero-udp6-checksum", "accept zero UDP checksums over IPv6 (RFC 6935 tunnels)")
            .flag("--control", "accept GUE control messages (Linux drops them)")
            .flag("--json", "one JSON object per line instead of text")
            .flag("--strict", "exit 1 when any packet is malformed or truncated")
            .build();

    @Override
    public String name() {
        return "gue-inspect";
    }

    @Override
    public String summary() {
        return "decode and validate the FOU/GUE/GRE packets of a pcap file, naming every bad length";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments arguments, PrintStream out, PrintStream err) throws Exception {
        List<String> files = arguments.positionals();
        if (files.size() != 1) {
            throw new UsageException("give exactly one pcap file (got " + files.size() + ")");
        }
        PacketParser parser = parser(arguments);
        boolean json = arguments.has("--json");
        Path file = Path.of(files.getFirst());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Summary summary = new Summary();
            try {
                inspect(new PcapReader(in), parser, json, out, summary);
            } catch (PcapFormatException e) {
                summary.print(out, json);
                throw new PcapFormatException(file + ": " + e.getMessage());
            }
            summary.print(out, json);
            return arguments.has("--strict") && summary.bad() > 0 ? 1 : 0;
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file);
        }
    }

    static PacketParser parser(Arguments arguments) throws UsageException {
        PacketParser.Builder builder = PacketParser.builder();
        List<String> guePorts = arguments.values("--gue-port");
        try {
            if (guePorts.isEmpty()) {
                builder.gue(GueHeader.DEFAULT_PORT);
            }
            for (String port : guePorts) {
                builder.gue(port(port, "--gue-port"));
            }
            for (String spec : arguments.values("--fou-port")) {
                int colon = spec.indexOf(':');
                if (colon < 0) {
                    throw new UsageException("--fou-port wants N:PROTO, e.g. 5555:4, not '" + spec + "'");
                }
                int port = port(spec.substring(0, colon), "--fou-port");
                String proto = spec.substring(colon + 1).toLowerCase(Locale.ROOT);
                int protocol = switch (proto) {
                    case "4", "ipip", "ipv4" -> IpProtocols.IPIP;
                    case "41", "ipv6" -> IpProtocols.IPV6;
                    default -> throw new UsageException("--fou-port " + spec + ": PROTO must be 4|ipip|41|ipv6");
                };
                builder.fou(port, protocol);
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        return builder.gre(!arguments.has("--no-gre"))
                .verifyChecksums(arguments.has("--verify-checksums"))
                .allowZeroUdp6Checksum(arguments.has("--allow-zero-udp6-checksum"))
                .allowControlMessages(arguments.has("--control"))
                .build();
    }

    private static int port(String text, String option) throws UsageException {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65535) {
                throw new UsageException(option + ": port must be 1..65535, not " + port);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a port number: '" + text + "'");
        }
    }

    static void inspect(PcapReader reader, PacketParser parser, boolean json, PrintStream out, Summary summary)
            throws IOException, PcapFormatException {
        int linkType = reader.linkType();
        if (!LinkLayer.supported(linkType)) {
            throw new PcapFormatException("link type " + linkType + " is not supported (Ethernet 1, raw 101/228/229,"
                    + " Linux cooked 113/276)");
        }
        ParsedPacket packet = new ParsedPacket();
        while (reader.next()) {
            int number = reader.record();
            byte[] frame = reader.data();
            int length = reader.capturedLength();
            summary.packets++;
            int ip = LinkLayer.ipOffset(linkType, frame, length);
            if (ip < 0) {
                summary.nonIp++;
                String what = ip == -1 ? "frame shorter than its " + LinkLayer.name(linkType) + " header"
                        : String.format("not IP (ethertype 0x%04x)", -2 - ip);
                out.println(json
                        ? new JsonWriter().beginObject().field("n", number).field("status", "not-ip").field("reason", what)
                                .endObject()
                        : number + " skipped link " + what);
                continue;
            }
            ParseStatus status = parser.parse(frame, ip, length - ip, packet);
            summary.count(packet);
            String line = json ? PacketLine.json(number, packet, frame, ip) : PacketLine.text(number, packet, frame, ip);
            if (status == ParseStatus.TRUNCATED && reader.originalLength() > length) {
                line = json ? line.substring(0, line.length() - 1) + ",\"captured\":" + length + ",\"original\":"
                        + reader.originalLength() + "}"
                        : line + " (captured " + length + " of " + reader.originalLength() + " bytes)";
            }
            out.println(line);
        }
    }

    /** Counts per outcome and per encapsulation. */
    static final class Summary {
        int packets;
        int nonIp;
        final Map<ParseStatus, Integer> byStatus = new EnumMap<>(ParseStatus.class);
        final Map<Encapsulation, Integer> byEncapsulation = new EnumMap<>(Encapsulation.class);

        void count(ParsedPacket packet) {
            byStatus.merge(packet.status(), 1, Integer::sum);
            if (packet.ok()) {
                byEncapsulation.merge(packet.encapsulation(), 1, Integer::sum);
            }
        }

        int of(ParseStatus status) {
            return byStatus.getOrDefault(status, 0);
        }

        int bad() {
            return of(ParseStatus.MALFORMED) + of(ParseStatus.TRUNCATED);
        }

        void print(PrintStream out, boolean json) {
            if (json) {
                JsonWriter summary = new JsonWriter().beginObject().name("summary").beginObject()
                        .field("packets", packets).field("ok", of(ParseStatus.OK))
                        .field("malformed", of(ParseStatus.MALFORMED)).field("truncated", of(ParseStatus.TRUNCATED))
                        .field("skipped", of(ParseStatus.UNSUPPORTED)).field("notIp", nonIp);
                for (Encapsulation e : Encapsulation.values()) {
                    summary.field(kindName(e), byEncapsulation.getOrDefault(e, 0));
                }
                out.println(summary.endObject().endObject());
                return;
            }
            StringBuilder line = new StringBuilder("summary: packets=").append(packets).append(" ok=")
                    .append(of(ParseStatus.OK)).append(" malformed=").append(of(ParseStatus.MALFORMED))
                    .append(" truncated=").append(of(ParseStatus.TRUNCATED)).append(" skipped=")
                    .append(of(ParseStatus.UNSUPPORTED)).append(" not-ip=").append(nonIp);
            for (Encapsulation e : Encapsulation.values()) {
                line.append(' ').append(kindName(e)).append('=').append(byEncapsulation.getOrDefault(e, 0));
            }
            out.println(line);
        }

        private static String kindName(Encapsulation e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }
}
