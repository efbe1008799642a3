package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.IpVsH;
import java.util.ArrayList;
import java.util.List;

/**
 * Encapsulation flags of a tunnel destination ({@code IP_VS_TUNNEL_ENCAP_FLAG_*}, u16): none means
 * no checksum. {@link #toString()} prints unknown bits in hex.
 */
public record TunnelFlags(int bits) {
    public static final int CSUM = IpVsH.IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
    public static final int REMCSUM = IpVsH.IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
    public static final TunnelFlags NONE = new TunnelFlags(0);

    public TunnelFlags {
        if (bits < 0 || bits > 0xFFFF) {
            throw new IllegalArgumentException("tunnel flags are a u16: " + bits);
        }
    }

    public boolean has(int flag) {
        return (bits & flag) == flag;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        int rest = bits;
        if ((rest & CSUM) != 0) {
            names.add("csum");
            rest &= ~CSUM;
        }
        if ((rest & REMCSUM) != 0) {
            names.add("remcsum");
            rest &= ~REMCSUM;
        }
        if (rest != 0) {
            names.add("0x" + Integer.toHexString(rest));
        }
        return names.isEmpty() ? "nocsum" : String.join("|", names);
    }
}
