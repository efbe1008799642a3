package dev.ingresskit.originca;

import java.net.IDN;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks and normalises the hostnames of a certificate request before anything is sent: fully
 * qualified names (at least two labels), an optional one-level wildcard ({@code *.example.com}),
 * no IP addresses, internationalised names converted to punycode ({@code bücher.example} →
 * {@code xn--bcher-kva.example}), lower case, duplicates removed, at most {@link #MAX_HOSTNAMES}.
 */
public final class Hostnames {
    /** The most hostnames one Origin CA certificate can carry. */
    public static final int MAX_HOSTNAMES = 200;
    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    private Hostnames() {
    }

    /**
     * The normalised list, in the given order with later duplicates dropped.
     *
     * @throws IllegalArgumentException naming the first bad hostname, its index and the rule it breaks
     */
    public static List<String> normalize(Collection<String> hostnames) {
        if (hostnames == null || hostnames.isEmpty()) {
            throw new IllegalArgumentException("at least one hostname is required");
        }
        Set<String> out = new LinkedHashSet<>();
        int index = 0;
        for (String hostname : hostnames) {
            out.add(normalize(hostname, index++));
        }
        if (out.size() > MAX_HOSTNAMES) {
            throw new IllegalArgumentException("too many hostnames: " + out.size() + " (at most " + MAX_HOSTNAMES + ")");
        }
        return List.copyOf(out);
    }

    /** One hostname, normalised; see {@link #normalize(Collection)}. */
    public static String normalize(String hostname) {
        return normalize(hostname, 0);
    }

    private static String normalize(String hostname, int index) {
        if (hostname == null) {
            throw bad(index, "null", "is null");
        }
        String name = hostname.strip();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw bad(index, hostname, "is empty");
        }
        if (name.indexOf(':') >= 0 || name.startsWith("[")) {
            throw bad(index, hostname, "is an IP address or has a port; Origin CA certificates name hosts only");
        }
        boolean wildcard = name.startsWith("*.");
        String rest = wildcard ? name.substring(2) : name;
        if (rest.indexOf('*') >= 0) {
            throw bad(index, hostname, "has a '*' other than one leading '*.' label");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(rest, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw bad(index, hostname, "is not a valid (internationalised) domain name: " + e.getMessage());
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw bad(index, hostname, "has an empty label");
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                throw bad(index, hostname, "has a label longer than " + MAX_LABEL_LENGTH + " characters");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw bad(index, hostname, "has a label that starts or ends with '-'");
            }
        }
        if (labels.length < 2) {
            throw bad(index, hostname, "is not fully qualified (needs at least two labels, e.g. host.example.com)");
        }
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw bad(index, hostname, "ends in a numeric label: an IP address is not a hostname");
        }
        String result = wildcard ? "*." + ascii : ascii;
        if (result.length() > MAX_NAME_LENGTH) {
            throw bad(index, hostname, "is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return result;
    }

    private static IllegalArgumentException bad(int index, String hostname, String rule) {
        return new IllegalArgumentException("hostname[" + index + "] '" + hostname + "' " + rule);
    }

    /** Whether {@code hostname} (normalised) is covered by {@code pattern} (normalised, maybe a wildcard). */
    static boolean matches(String pattern, String hostname) {
        if (pattern.startsWith("*.")) {
            int dot = hostname.indexOf('.');
            return dot > 0 && hostname.substring(dot + 1).equals(pattern.substring(2));
        }
        return pattern.equals(hostname);
    }
}
