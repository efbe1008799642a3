package dev.ingresskit.encap;

/** IANA protocol numbers and EtherTypes used by the tunnels (IANA "Protocol Numbers" registry). */
public final class IpProtocols {
    /** IPv4 encapsulated in IP (IPPROTO_IPIP). */
    public static final int IPIP = 4;
    public static final int TCP = 6;
    public static final int UDP = 17;
    /** IPv6 encapsulated in IP (IPPROTO_IPV6). */
    public static final int IPV6 = 41;
    public static final int GRE = 47;
    /** GRE protocol type of an IPv4 payload (ETH_P_IP). */
    public static final int ETHERTYPE_IPV4 = 0x0800;
    /** GRE protocol type of an IPv6 payload (ETH_P_IPV6). */
    public static final int ETHERTYPE_IPV6 = 0x86DD;

    private IpProtocols() {
    }
}
