package dev.ingresskit.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address parsing and printing without DNS. */
final class Addresses {
    private Addresses() {
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    static String format(InetAddress address, int port) {
        String host = address.getHostAddress();
        if (address instanceof Inet6Address) {
            host = "[" + compress(host) + "]";
        }
        return host + ":" + port;
    }

    /** The address from its first {@code length} raw bytes. */
    static InetAddress fromBytes(byte[] raw, int length) {
        try {
            byte[] bytes = new byte[length];
            System.arraycopy(raw, 0, bytes, 0, length);
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** An IP literal (never a name lookup). */
    static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.indexOf(':') >= 0 && t.matches("[0-9a-fA-F:.]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'", e);
        }
    }

    /** RFC 5952-style shortening of Java's full IPv6 text form. */
    static String compress(String full) {
        String[] parts = full.split(":");
        if (parts.length != 8) {
            return full;
        }
        for (int i = 0; i < 8; i++) {
            parts[i] = parts[i].replaceFirst("^0+(?=.)", "");
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (parts[i].equals("0")) {
                int j = i;
                while (j < 8 && parts[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return String.join(":", parts);
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(parts, bestStart + bestLength, 8));
        return head + "::" + tail;
    }
}
