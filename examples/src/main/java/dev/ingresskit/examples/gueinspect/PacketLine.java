package dev.ingresskit.examples.gueinspect;

import dev.ingresskit.encap.Encapsulation;
import dev.ingresskit.encap.GreHeader;
import dev.ingresskit.encap.GueHeader;
import dev.ingresskit.encap.IpProtocols;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import dev.ingresskit.encap.UdpHeader;
import dev.ingresskit.director.internal.JsonWriter;
import dev.ingresskit.ipvs.IpAddresses;
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
        JsonWriter json = new JsonWriter().beginObject().field("n", number);
        if (p.status() != ParseStatus.OK) {
            json.field("status", lower(p.status())).field("layer", lower(p.errorLayer()))
                    .field("field", p.errorField()).field("offset", p.errorOffset() - ip).field("value", p.errorValue());
            if (p.status() == ParseStatus.TRUNCATED) {
                json.field("available", p.errorAvailable());
            }
            return json.field("reason", p.errorReason()).endObject().toString();
        }
        json.field("status", "ok").field("encapsulation", lower(p.encapsulation()))
                .name("outer").beginObject().field("version", p.outerIpVersion());
        if (p.outerIpVersion() == 4) {
            json.field("src", address(p.outerIpv4().sourceAddress()))
                    .field("dst", address(p.outerIpv4().destinationAddress()));
        } else {
            json.field("src", address(p.outerIpv6().sourceAddress()))
                    .field("dst", address(p.outerIpv6().destinationAddress()))
                    .field("flowLabel", p.outerIpv6().flowLabel());
        }
        json.endObject();
        if (p.encapsulation() == Encapsulation.GRE) {
            GreHeader gre = p.gre();
            json.name("gre").beginObject().field("checksum", gre.checksum())
                    .field("protocolType", gre.protocolType()).endObject();
        } else {
            UdpHeader udp = p.udp();
            json.name("udp").beginObject().field("src", udp.sourcePort()).field("dst", udp.destinationPort())
                    .field("length", udp.length()).field("checksum", udp.checksum()).endObject();
            if (p.encapsulation() != Encapsulation.FOU) {
                GueHeader gue = p.gue();
                json.name("gue").beginObject().field("variant", gue.variant()).field("control", gue.control())
                        .field("hlenWords", gue.hlenWords()).field("protoCtype", gue.protoCtype())
                        .field("flags", gue.flags()).field("privateFlags", gue.privateFlags());
                if (gue.remcsum()) {
                    json.field("remcsumStart", gue.remcsumStart()).field("remcsumOffset", gue.remcsumOffset());
                }
                json.endObject();
            }
        }
        if (!p.control()) {
            json.name("inner").beginObject().field("version", p.innerIpVersion());
            if (p.innerIpVersion() == 4) {
                json.field("src", address(p.innerIpv4().sourceAddress()))
                        .field("dst", address(p.innerIpv4().destinationAddress()));
            } else {
                json.field("src", address(p.innerIpv6().sourceAddress()))
                        .field("dst", address(p.innerIpv6().destinationAddress()));
            }
            json.field("protocol", p.innerProtocol()).field("length", p.innerLength());
            if (hasPorts(p)) {
                json.field("srcPort", u16(frame, p.innerL4())).field("dstPort", u16(frame, p.innerL4() + 2));
            }
            json.endObject();
        }
        return json.field("tunnelHeaderLength", p.tunnelHeaderLength()).name("offsets").beginObject()
                .field("outerL3", p.outerL3() - ip).field("outerL4", p.outerL4() - ip)
                .field("innerL3", p.innerL3() - ip).field("innerL4", p.innerL4() - ip)
                .field("innerEnd", p.innerEnd() - ip).field("outerEnd", p.outerEnd() - ip)
                .endObject().endObject().toString();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
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

    /** RFC 5952 text for IPv6, dotted quad for IPv4 (ipvs-netlink's printer, shared by every command). */
    static String address(InetAddress address) {
        return IpAddresses.format(address);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

}
