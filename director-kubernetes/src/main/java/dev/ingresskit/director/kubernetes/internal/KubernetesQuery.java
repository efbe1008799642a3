package dev.ingresskit.director.kubernetes.internal;

import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One service's {@code backends from kubernetes} arguments, parsed:
 * {@code NAMESPACE/SERVICE port NAME|NUMBER [selector K=V,...] [family ipv4|ipv6] [weight N]}.
 *
 * @param family  null when both families are accepted
 * @param weight  the weight of a ready endpoint without a per-endpoint weight annotation
 */
public record KubernetesQuery(SliceSelector selector, PortRef port, AddressFamily family, int weight) {
    /** Default weight of a ready endpoint, the same as a {@code backend} line without {@code weight}. */
    public static final int DEFAULT_WEIGHT = 1;
    /** Largest weight, the same bound as a {@code backend} line's. */
    public static final int MAX_WEIGHT = 65535;

    // Name rules of the API server (k8s.io/apimachinery/pkg/util/validation): namespaces are DNS-1123
    // labels, Service names DNS-1035 labels, port names IANA service names, labels qualified names.
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("[a-z0-9]([a-z0-9]|-(?!-))*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    public KubernetesQuery {
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + " is not in 0.." + MAX_WEIGHT);
        }
    }

    /** Parses the words after {@code backends from kubernetes}; the message names the bad argument. */
    public static KubernetesQuery parse(List<String> arguments) {
        if (arguments.isEmpty()) {
            throw new IllegalArgumentException(
                    "expected NAMESPACE/SERVICE port NAME|NUMBER [selector K=V,...] [family ipv4|ipv6] [weight N]");
        }
        String target = arguments.getFirst();
        int slash = target.indexOf('/');
        if (slash < 0 || slash != target.lastIndexOf('/')) {
            throw new IllegalArgumentException("'" + target + "' is not NAMESPACE/SERVICE");
        }
        String namespace = target.substring(0, slash);
        String service = target.substring(slash + 1);
        requireName("namespace", namespace, DNS1123_LABEL, 63, "a DNS-1123 label");
        requireName("service", service, DNS1035_LABEL, 63, "a DNS-1035 label");

        PortRef port = null;
        TreeMap<String, String> labels = null;
        AddressFamily family = null;
        Integer weight = null;
        for (int i = 1; i < arguments.size(); i += 2) {
            String option = arguments.get(i);
            if (i + 1 >= arguments.size()) {
                throw new IllegalArgumentException("'" + option + "' needs a value");
            }
            String value = arguments.get(i + 1);
            switch (option) {
                case "port" -> {
                    once(option, port);
                    port = port(value);
                }
                case "selector" -> {
                    once(option, labels);
                    labels = selector(value);
                }
                case "family" -> {
                    once(option, family);
                    family = switch (value) {
                        case "ipv4" -> AddressFamily.IPV4;
                        case "ipv6" -> AddressFamily.IPV6;
                        default -> throw new IllegalArgumentException("family '" + value + "' is not ipv4 or ipv6");
                    };
                }
                case "weight" -> {
                    once(option, weight);
                    weight = number("weight", value, 0, MAX_WEIGHT);
                }
                default -> throw new IllegalArgumentException(
                        "unknown option '" + option + "' (expected port, selector, family or weight)");
            }
        }
        if (port == null) {
            throw new IllegalArgumentException("'port NAME|NUMBER' is missing");
        }
        return new KubernetesQuery(new SliceSelector(namespace, service, labels == null ? new TreeMap<>() : labels),
                port, family, weight == null ? DEFAULT_WEIGHT : weight);
    }

    private static PortRef port(String value) {
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return PortRef.numbered(number("port", value, 1, 65535));
        }
        requireName("port name", value, IANA_SVC_NAME, 15, "an IANA service name");
        if (value.endsWith("-") || value.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            throw new IllegalArgumentException("port name '" + value + "' is not an IANA service name");
        }
        return PortRef.named(value);
    }

    private static TreeMap<String, String> selector(String value) {
        TreeMap<String, String> labels = new TreeMap<>();
        for (String pair : value.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("selector '" + pair + "' is not KEY=VALUE");
            }
            String key = pair.substring(0, eq);
            String label = pair.substring(eq + 1);
            labelKey(key);
            if (!label.isEmpty()) {
                requireName("label value of " + key, label, LABEL_NAME, 63, "a label value");
            }
            if (key.equals(SliceSelector.SERVICE_NAME_LABEL)) {
                throw new IllegalArgumentException(
                        "selector must not name " + key + ": the service in NAMESPACE/SERVICE sets it");
            }
            if (labels.put(key, label) != null) {
                throw new IllegalArgumentException("selector names label '" + key + "' twice");
            }
        }
        return labels;
    }

    private static void labelKey(String key) {
        int slash = key.indexOf('/');
        String name = key;
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            requireName("label prefix", prefix, DNS1123_SUBDOMAIN, 253, "a DNS-1123 subdomain");
        }
        requireName("label key", name, LABEL_NAME, 63, "a label name");
    }

    private static void requireName(String what, String value, Pattern pattern, int maxLength, String rule) {
        if (value.isEmpty() || value.length() > maxLength || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    what + " '" + value + "' is not " + rule + " (at most " + maxLength + " characters)");
        }
    }

    private static int number(String what, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a number");
        }
        if (n < min || n > max || !value.equals(Integer.toString(n))) {
            throw new IllegalArgumentException(what + " '" + value + "' is not in " + min + ".." + max);
        }
        return n;
    }

    private static void once(String option, Object previous) {
        if (previous != null) {
            throw new IllegalArgumentException("'" + option + "' given twice");
        }
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(selector.namespace()).append('/').append(selector.service())
                .append(" port ").append(port);
        if (!selector.labels().isEmpty()) {
            s.append(" selector ");
            selector.labels().forEach((k, v) -> s.append(k).append('=').append(v).append(','));
            s.setLength(s.length() - 1);
        }
        if (family != null) {
            s.append(" family ").append(family == AddressFamily.IPV4 ? "ipv4" : "ipv6");
        }
        return s.append(" weight ").append(weight).toString();
    }
}
