package dev.ingresskit.examples.gueinspect;

/**
 * Finds the IP packet inside a captured frame, per pcap link type (tcpdump.org "Link-layer header
 * types"): Ethernet (1, with 802.1Q/802.1ad tags), raw IP (101; 228 IPv4; 229 IPv6), Linux cooked
 * capture SLL (113, what {@code tcpdump -i any} wrote before libpcap 1.10) and SLL2 (276).
 */
final class LinkLayer {
    static final int ETHERNET = 1;
    static final int RAW = 101;
    static final int IPV4 = 228;
    static final int IPV6 = 229;
    static final int LINUX_SLL = 113;
    static final int LINUX_SLL2 = 276;

    private LinkLayer() {
    }

    static boolean supported(int linkType) {
        return linkType == ETHERNET || linkType == RAW || linkType == IPV4 || linkType == IPV6
                || linkType == LINUX_SLL || linkType == LINUX_SLL2;
    }

    static String name(int linkType) {
        return switch (linkType) {
            case ETHERNET -> "ethernet";
            case RAW -> "raw";
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            case LINUX_SLL -> "linux-sll";
            case LINUX_SLL2 -> "linux-sll2";
            default -> "linktype-" + linkType;
        };
    }

    /**
     * Offset of the IP header in the frame, or a negative number: -1 when the frame is too short
     * for its link header, -2 - etherType when it carries something other than IP.
     */
    static int ipOffset(int linkType, byte[] frame, int length) {
        switch (linkType) {
            case RAW, IPV4, IPV6:
                return 0;
            case ETHERNET: {
                int at = 12;
                while (true) {
                    if (length < at + 2) {
                        return -1;
                    }
                    int type = u16(frame, at);
                    if (type == 0x8100 || type == 0x88a8) {
                        at += 4;
                        continue;
                    }
                    return ip(type, at + 2);
                }
            }
            case LINUX_SLL:
                return length < 16 ? -1 : ip(u16(frame, 14), 16);
            case LINUX_SLL2:
                return length < 20 ? -1 : ip(u16(frame, 0), 20);
            default:
                throw new IllegalArgumentException("unsupported link type " + linkType);
        }
    }

    private static int ip(int etherType, int offset) {
        return etherType == 0x0800 || etherType == 0x86dd ? offset : -2 - etherType;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }
}
