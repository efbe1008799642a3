package dev.ingresskit.ipvs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * IP address literals in and out, never through DNS: the one parser and the one RFC 5952 printer
 * that this module, the director and the examples share. Stateless and thread-safe.
 */
public final class IpAddresses {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");

    private IpAddresses() {
    }

    /**
     * Parses an IPv4 or IPv6 literal; IPv6 may be written bracketed ({@code [2001:db8::1]}, as copied
     * from {@code [addr]:port}). Names are refused, never looked up.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static InetAddress parse(String text) {
        InetAddress quad = dottedQuad(text);
        return quad != null ? quad : anyLiteral(text);
    }

    /** {@link #parse}'s general path: every form, checked by pattern, then by the JDK's literal parser. */
    static InetAddress anyLiteral(String text) {
        boolean bracketed = text.length() > 2 && text.startsWith("[") && text.endsWith("]");
        String t = bracketed ? text.substring(1, text.length() - 1) : text;
        boolean v4 = IPV4.matcher(t).matches();
        boolean v6 = !v4 && t.indexOf(':') >= 0 && IPV6.matcher(t).matches();
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address (names are not resolved)");
        }
        if (v4 && bracketed) {
            throw new IllegalArgumentException("'" + text + "': brackets are for IPv6 addresses only");
        }
        if (v4) {
            for (String part : t.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (" + part + " > 255)");
                }
            }
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(t);
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
        }
        if (v6 && a instanceof Inet4Address) {
            // Java turns ::ffff:a.b.c.d into an IPv4 address; the kernel would not.
            throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped IPv6 address: write "
                    + a.getHostAddress());
        }
        return a;
    }

    /**
     * The common case without regex or resolver: four decimal parts of 0..255 with no leading zero.
     * {@code null} for anything else, which the general path accepts or explains.
     */
    private static InetAddress dottedQuad(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int i = 0;
        int n = text.length();
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < n && i - start < 3 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + text.charAt(i) - '0';
                i++;
            }
            if (i == start || value > 255 || (i - start > 1 && text.charAt(start) == '0')) {
                return null;
            }
            bytes[part++] = (byte) value;
            if (part < 4) {
                if (i >= n || text.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        if (i != n) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always an IPv4 address
        }
    }

    /** The address as RFC 5952 text: {@code 192.0.2.1}, {@code 2001:db8::1} (zeros compressed, lower case). */
    public static String format(InetAddress address) {
        if (address instanceof Inet6Address) {
            String host = address.getHostAddress();
            int scope = host.indexOf('%');
            return compress(scope < 0 ? host : host.substring(0, scope));
        }
        return append(new StringBuilder(15), address).toString();
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80}. */
    public static String format(InetAddress address, int port) {
        return append(new StringBuilder(21), address, port).toString();
    }

    /**
     * {@link #format(InetAddress)} onto {@code out}, for callers writing many lines (reports of
     * 100,000 backends) who would otherwise make a string per address. Returns {@code out}.
     */
    public static StringBuilder append(StringBuilder out, InetAddress address) {
        if (address instanceof Inet6Address) {
            return out.append(format(address));
        }
        byte[] b = address.getAddress();
        return out.append(b[0] & 0xFF).append('.').append(b[1] & 0xFF).append('.').append(b[2] & 0xFF).append('.')
                .append(b[3] & 0xFF);
    }

    /** {@link #format(InetAddress, int)} onto {@code out}; returns {@code out}. */
    public static StringBuilder append(StringBuilder out, InetAddress address, int port) {
        if (address instanceof Inet6Address) {
            return out.append('[').append(format(address)).append("]:").append(port);
        }
        return append(out, address).append(':').append(port);
    }

    /** The address from its first {@code length} raw bytes. */
    static InetAddress fromBytes(byte[] raw, int length) {
        try {
            return InetAddress.getByAddress(Arrays.copyOf(raw, length));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** RFC 5952 section 4: leading zeros dropped, the longest run (of two or more) of zero groups as ::, lower case. */
    static String compress(String full) {
        String[] parts = full.toLowerCase(java.util.Locale.ROOT).split(":");
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
        String head = String.join(":", Arrays.copyOfRange(parts, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(parts, bestStart + bestLength, 8));
        return head + "::" + tail;
    }
}
