package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.IpVsH;

/** How IPVS forwards packets to a destination ({@code IP_VS_CONN_F_*} forwarding methods). */
public enum ForwardingMethod {
    /** NAT ({@code IP_VS_CONN_F_MASQ}, ipvsadm {@code -m}). */
    MASQUERADE(IpVsH.IP_VS_CONN_F_MASQ),
    /** Local node ({@code IP_VS_CONN_F_LOCALNODE}). */
    LOCAL(IpVsH.IP_VS_CONN_F_LOCALNODE),
    /** Encapsulation: IPIP, GUE or GRE ({@code IP_VS_CONN_F_TUNNEL}, ipvsadm {@code -i}). */
    TUNNEL(IpVsH.IP_VS_CONN_F_TUNNEL),
    /** Direct routing ({@code IP_VS_CONN_F_DROUTE}, ipvsadm {@code -g}, its default). */
    ROUTE(IpVsH.IP_VS_CONN_F_DROUTE),
    /** Cache bypass ({@code IP_VS_CONN_F_BYPASS}). */
    BYPASS(IpVsH.IP_VS_CONN_F_BYPASS);

    private final int value;
    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    ForwardingMethod(int value) {
        this.value = value;
    }

    /** {@code route}, {@code tunnel}, ...: the name in lower case, as text forms write it. */
    String label() {
        return label;
    }

    /** The kernel's value (the low three bits of the connection flags). */
    public int value() {
        return value;
    }

    public static ForwardingMethod of(int value) {
        int v = value & IpVsH.IP_VS_CONN_F_FWD_MASK;
        for (ForwardingMethod m : values()) {
            if (m.value == v) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown forwarding method " + v);
    }
}
