package dev.ingresskit.maglev;

import dev.ingresskit.maglev.internal.Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An address literal and a port, written {@code 192.0.2.1:80} or {@code [2001:db8::1]:80}.
 * {@link #parse} never resolves names.
 */
public record Endpoint(InetAddress address, int port) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
    }

    /**
     * Parses {@code IPv4:PORT} or {@code [IPv6]:PORT}.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not [IPv6]:PORT");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!host.contains(":")) {
                throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IPv6 address");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "' is not IPv4:PORT (write IPv6 as [ADDR]:PORT)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (!IPV4.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IPv4 address");
            }
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an IPv4 address");
                }
            }
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
        }
        if (p < 0 || p > 0xFFFF) {
            throw new IllegalArgumentException("'" + text + "': port " + p + " is outside [0, 65535]");
        }
        try {
            // Literals only (checked above), so this never asks a resolver.
            return new Endpoint(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': '" + host + "' is not an address literal");
        }
    }

    @Override
    public String toString() {
        return Addresses.endpoint(address, port);
    }
}
