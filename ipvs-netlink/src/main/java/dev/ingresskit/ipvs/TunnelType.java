package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.IpVsH;

/** The encapsulation of a {@link ForwardingMethod#TUNNEL} destination ({@code IP_VS_CONN_F_TUNNEL_TYPE_*}). */
public enum TunnelType {
    IPIP(IpVsH.IP_VS_CONN_F_TUNNEL_TYPE_IPIP),
    /** Generic UDP Encapsulation; needs a tunnel port. */
    GUE(IpVsH.IP_VS_CONN_F_TUNNEL_TYPE_GUE),
    GRE(IpVsH.IP_VS_CONN_F_TUNNEL_TYPE_GRE);

    private final int value;

    TunnelType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public static TunnelType of(int value) {
        for (TunnelType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tunnel type " + value);
    }
}
