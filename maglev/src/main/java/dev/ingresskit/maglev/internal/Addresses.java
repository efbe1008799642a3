package dev.ingresskit.maglev.internal;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Address text the way operators and ipvsadm write it. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * IPv4 dotted quad, or IPv6 in the RFC 5952 canonical form (lowercase, no leading zeros, the
     * longest run of two or more zero groups — the first on a tie — as {@code ::}), without a zone.
     */
    public static String format(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] a = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xFF) << 8 | (a[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** {@code IP:PORT} or {@code [IPv6]:PORT}. */
    public static String endpoint(InetAddress address, int port) {
        String host = format(address);
        return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }
}
