package dev.ingresskit.examples.gueinspect;

import dev.ingresskit.encap.Encapsulation;
import dev.ingresskit.encap.GreHeader;
import dev.ingresskit.encap.GueHeader;
import dev.ingresskit.encap.IpProtocols;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.encap.UdpHeader;
import java.net.InetAddress;
import java.util.Locale;

/** Formats one parsed packet as a text line or a JSON object; offsets relative to the IP header. */
final class PacketLine {
    private PacketLine() {
    }

    static String text(int number, ParsedPacket p, byte[] frame, int ip) {
        StringBuilder line = new StringBuilder().append(number).append(' ');
        if (p.status() != ParseStatus.OK) {
            line.append(p.status() == ParseStatus.UNSUPPORTED ? "skipped " : "malformed ")
                    .append(p.errorLayer().name().toLowerCase(Locale.ROOT)).append(' ').append(p.errorField())
                    .append(" offset=").append(p.errorOffset() - ip).append(" value=").append(p.errorValue());
            if (p.status() == ParseStatus.TRUNCATED) {
                line.append(" truncated(available=").append(p.errorAvailable()).append(')');
            }
            return line.append(' ').append(p.errorReason()).toString();
        }
        line.append("ok ");
        if (p.outerIpVersion() == 4) {
            line.append("ipv4 ").append(address(p.outerIpv4().sourceAddress())).append('>')
                    .append(address(p.outerIpv4().destinationAddress()));
        } else {
            line.append("ipv6 ").append(address(p.outerIpv6().sourceAddress())).append('>')
                    .append(address(p.outerIpv6().destinationAddress()));
        }
        if (p.encapsulation() == Encapsulation.GRE) {
            GreHeader gre = p.gre();
            line.append(" gre");
            if (gre.checksumPresent()) {
                line.append(String.format(" csum=0x%04x", gre.checksum()));
            }
            line.append(String.format(" proto=0x%04x", gre.protocolType()));
        } else {
            UdpHeader udp = p.udp();
            line.append(" udp ").append(udp.sourcePort()).append('>').append(udp.destinationPort())
                    .append(String.format(" len=%d csum=0x%04x", udp.length(), udp.checksum()));
            if (p.encapsulation() == Encapsulation.FOU) {
                line.append(" fou");
            } else if (p.encapsulation() == Encapsulation.GUE_DIRECT) {
                line.append(" gue v1");
            } else {
                GueHeader gue = p.gue();
                line.append(" gue v0").append(gue.control() ? " control" : "").append(" hlen=").append(gue.hlenWords())
                        .append(" proto=").append(gue.protoCtype());
                if (gue.flags() != 0) {
                    line.append(String.format(" flags=0x%04x pflags=0x%08x", gue.flags(), gue.privateFlags()));
                }
                if (gue.remcsum()) {
                    line.append(" remcsum start=").append(gue.remcsumStart()).append(" offset=").append(gue.remcsumOffset());
                }
            }
        }
        if (!p.control()) {
            line.append(p.innerIpVersion() == 4 ? " | ipv4 " : " | ipv6 ");
            if (p.innerIpVersion() == 4) {
                line.append(address(p.innerIpv4().sourceAddress())).append('>').append(address(p.innerIpv4().destinationAddress()));
            } else {
                line.append(address(p.innerIpv6().sourceAddress())).append('>').append(address(p.innerIpv6().destinationAddress()));
            }
            line.append(' ').append(protocol(p.innerProtocol()));
            if (hasPorts(p)) {
                line.append(' ').append(u16(frame, p.innerL4())).append('>').append(u16(frame, p.innerL4() + 2));
            }
            line.append(" len=").append(p.innerLength());
        }
        return line.append(" thl=").append(p.tunnelHeaderLength()).append(" offsets=").append(p.outerL3() - ip).append(',')
                .append(p.outerL4() - ip).append(',').append(p.innerL3() - ip).append(',').append(p.innerL4() - ip)
                .append(',').append(p.outerEnd() - ip).toString();
    }

    static String json(int number, ParsedPacket p, byte[] frame, int ip) {
        StringBuilder json = new StringBuilder("{\"n\":").append(number);
        if (p.status() != ParseStatus.OK) {
            return json.append(",\"status\":\"").append(p.status().name().toLowerCase(Locale.ROOT))
                    .append("\",\"layer\":\"").append(p.errorLayer().name().toLowerCase(Locale.ROOT))
                    .append("\",\"field\":\"").append(p.errorField()).append("\",\"offset\":").append(p.errorOffset() - ip)
                    .append(",\"value\":").append(p.errorValue())
                    .append(p.status() == ParseStatus.TRUNCATED ? ",\"available\":" + p.errorAvailable() : "")
                    .append(",\"reason\":").append(quote(p.errorReason())).append('}').toString();
        }
        json.append(",\"status\":\"ok\",\"encapsulation\":\"").append(p.encapsulation().name().toLowerCase(Locale.ROOT))
                .append("\",\"outer\":{\"version\":").append(p.outerIpVersion());
        if (p.outerIpVersion() == 4) {
            json.append(",\"src\":\"").append(address(p.outerIpv4().sourceAddress())).append("\",\"dst\":\"")
                    .append(address(p.outerIpv4().destinationAddress())).append('"');
        } else {
            json.append(",\"src\":\"").append(address(p.outerIpv6().sourceAddress())).append("\",\"dst\":\"")
                    .append(address(p.outerIpv6().destinationAddress())).append("\",\"flowLabel\":")
                    .append(p.outerIpv6().flowLabel());
        }
        json.append('}');
        if (p.encapsulation() == Encapsulation.GRE) {
            GreHeader gre = p.gre();
            json.append(",\"gre\":{\"checksum\":").append(gre.checksum()).append(",\"protocolType\":")
                    .append(gre.protocolType()).append('}');
        } else {
            UdpHeader udp = p.udp();
            json.append(",\"udp\":{\"src\":").append(udp.sourcePort()).append(",\"dst\":").append(udp.destinationPort())
                    .append(",\"length\":").append(udp.length()).append(",\"checksum\":").append(udp.checksum()).append('}');
            if (p.encapsulation() != Encapsulation.FOU) {
                GueHeader gue = p.gue();
                json.append(",\"gue\":{\"variant\":").append(gue.variant()).append(",\"control\":").append(gue.control())
                        .append(",\"hlenWords\":").append(gue.hlenWords()).append(",\"protoCtype\":").append(gue.protoCtype())
                        .append(",\"flags\":").append(gue.flags()).append(",\"privateFlags\":").append(gue.privateFlags());
                if (gue.remcsum()) {
                    json.append(",\"remcsumStart\":").append(gue.remcsumStart()).append(",\"remcsumOffset\":")
                            .append(gue.remcsumOffset());
                }
                json.append('}');
            }
        }
        if (!p.control()) {
            json.append(",\"inner\":{\"version\":").append(p.innerIpVersion()).append(",\"src\":\"");
            if (p.innerIpVersion() == 4) {
                json.append(address(p.innerIpv4().sourceAddress())).append("\",\"dst\":\"")
                        .append(address(p.innerIpv4().destinationAddress()));
            } else {
                json.append(address(p.innerIpv6().sourceAddress())).append("\",\"dst\":\"")
                        .append(address(p.innerIpv6().destinationAddress()));
            }
            json.append("\",\"protocol\":").append(p.innerProtocol()).append(",\"length\":").append(p.innerLength());
            if (hasPorts(p)) {
                json.append(",\"srcPort\":").append(u16(frame, p.innerL4())).append(",\"dstPort\":")
                        .append(u16(frame, p.innerL4() + 2));
            }
            json.append('}');
        }
        return json.append(",\"tunnelHeaderLength\":").append(p.tunnelHeaderLength()).append(",\"offsets\":{\"outerL3\":")
                .append(p.outerL3() - ip).append(",\"outerL4\":").append(p.outerL4() - ip).append(",\"innerL3\":")
                .append(p.innerL3() - ip).append(",\"innerL4\":").append(p.innerL4() - ip).append(",\"innerEnd\":")
                .append(p.innerEnd() - ip).append(",\"outerEnd\":").append(p.outerEnd() - ip).append("}}").toString();
    }

    private static boolean hasPorts(ParsedPacket p) {
        return !p.innerLaterFragment() && (p.innerProtocol() == IpProtocols.TCP || p.innerProtocol() == IpProtocols.UDP);
    }

    private static String protocol(int protocol) {
        return switch (protocol) {
            case IpProtocols.TCP -> "tcp";
            case IpProtocols.UDP -> "udp";
            case 1 -> "icmp";
            case 58 -> "icmpv6";
            default -> "proto=" + protocol;
        };
    }

    /** RFC 5952 text for IPv6 (longest zero run compressed), dotted quad for IPv4. */
    static String address(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (word(b, i) != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && word(b, j) == 0) {
                j++;
            }
            if (j - i > bestLength && j - i >= 2) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(word(b, i)));
        }
        return text.toString();
    }

    private static int word(byte[] b, int i) {
        return (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
