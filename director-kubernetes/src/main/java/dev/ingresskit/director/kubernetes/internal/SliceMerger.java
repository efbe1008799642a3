package dev.ingresskit.director.kubernetes.internal;

import dev.ingresskit.director.DiscoveredBackends.Backend;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Merges the EndpointSlices of one Service into one backend list for one query. Pure: the same
 * slices give the same result, in a canonical order (address bytes, then port), whatever order the
 * slices and their endpoints come in.
 *
 * <p>Rules (README, "Semantics"): an endpoint is its first address (the EndpointSlice controller
 * writes exactly one; the API defines no meaning for more) at the port the query selects in its
 * slice. {@code terminating} → draining; otherwise {@code ready} (nil = true) → the weight; otherwise
 * (not ready) → draining. The same address and port in several slices (an endpoint moving between
 * slices) counts once: the most available condition wins (ready over draining), and between equals
 * the slice whose name sorts first. Anything malformed is skipped and named in
 * {@link Result#problems()}; nothing here throws on bad input.
 */
public final class SliceMerger {
    /**
     * Slice annotation with per-endpoint weights for ready endpoints: {@code ADDRESS=WEIGHT,...}
     * (weights 0..65535), e.g. {@code 10.0.0.7=3,10.0.0.8=1}. Endpoints it does not name get the
     * query's weight.
     */
    public static final String WEIGHTS_ANNOTATION = "director.ingresskit.dev/weights";

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** The merged backends and what was skipped (one sentence each, naming slice and field). */
    public record Result(List<Backend> endpoints, List<String> problems) {
        public Result {
            endpoints = List.copyOf(endpoints);
            problems = List.copyOf(problems);
        }
    }

    private SliceMerger() {
    }

    /**
     * @param protocol the service's transport ({@code TCP}, {@code UDP}, {@code SCTP}); only slice
     *                 ports of that protocol (nil = TCP) match; null accepts any
     */
    public static Result merge(Collection<EndpointSlice> slices, KubernetesQuery query, String protocol) {
        List<EndpointSlice> ordered = new ArrayList<>(slices);
        ordered.sort(Comparator.comparing(SliceMerger::name));
        Map<Key, Candidate> chosen = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (EndpointSlice slice : ordered) {
            mergeSlice(slice, query, protocol, chosen, problems);
        }
        List<Backend> endpoints = new ArrayList<>(chosen.size());
        chosen.values().forEach(c -> endpoints.add(c.endpoint));
        endpoints.sort(CANONICAL);
        return new Result(endpoints, problems);
    }

    /** Address bytes (IPv4 before IPv6), then port. */
    public static final Comparator<Backend> CANONICAL = (a, b) -> {
        int c = Arrays.compare(a.address().getAddress(), b.address().getAddress());
        return c != 0 ? c : Integer.compare(a.port(), b.port());
    };

    private static void mergeSlice(EndpointSlice slice, KubernetesQuery query, String protocol,
                                   Map<Key, Candidate> chosen, List<String> problems) {
        String name = "EndpointSlice " + name(slice);
        AddressFamily family = AddressFamily.ofAddressType(slice.getAddressType());
        if (family == null) {
            problems.add(name + ": addressType '" + slice.getAddressType() + "' is not IPv4 or IPv6; slice skipped");
            return;
        }
        if (query.family() != null && query.family() != family) {
            return;
        }
        int port = port(slice, query.port(), protocol, name, problems);
        if (port == 0) {
            return;
        }
        Map<String, Integer> weights = weights(slice, name, problems);
        List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint e = endpoints.get(i);
            String where = name + " endpoints[" + i + "]";
            if (e == null || e.getAddresses() == null || e.getAddresses().isEmpty()) {
                problems.add(where + ": no address; endpoint skipped");
                continue;
            }
            String text = e.getAddresses().getFirst();
            InetAddress address = literal(text, family);
            if (address == null) {
                problems.add(where + ": address '" + text + "' is not an " + family.addressType()
                        + " address; endpoint skipped");
                continue;
            }
            int rank = rank(e.getConditions());
            boolean draining = rank < READY;
            Integer annotated = weights.get(address.getHostAddress());
            int weight = draining ? 0 : annotated != null ? annotated : query.weight();
            Candidate candidate = new Candidate(new Backend(address, port, weight, draining), rank);
            chosen.merge(new Key(address, port), candidate, (old, neu) -> neu.rank > old.rank ? neu : old);
        }
    }

    private static final int DRAINING = 1;
    private static final int READY = 2;

    private static int rank(EndpointConditions c) {
        // API: ready nil = ready; terminating nil = not terminating. serving only refines draining
        // endpoints, and the director treats every draining endpoint alike (weight 0, kept).
        boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
        boolean ready = c == null || c.getReady() == null || c.getReady();
        return !terminating && ready ? READY : DRAINING;
    }

    /** The port number the query selects in this slice, or 0 (after naming the problem). */
    private static int port(EndpointSlice slice, PortRef ref, String protocol, String name, List<String> problems) {
        List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
        List<String> seen = new ArrayList<>();
        for (EndpointPort p : ports) {
            if (p == null || (protocol != null && !protocol.equals(Objects.requireNonNullElse(p.getProtocol(), "TCP")))) {
                continue;
            }
            String pname = p.getName() == null ? "" : p.getName();
            seen.add(pname.isEmpty() ? String.valueOf(p.getPort()) : pname + "=" + p.getPort());
            boolean matches = ref.name() != null ? ref.name().equals(pname)
                    : p.getPort() == null || p.getPort() == ref.number();
            if (!matches) {
                continue;
            }
            if (ref.number() != 0) {
                // A nil port means "all ports": the query's number stands.
                return ref.number();
            }
            Integer n = p.getPort();
            if (n == null || n < 1 || n > 65535) {
                problems.add(name + ": port '" + pname + "' has number " + n + ", not 1..65535; slice skipped");
                return 0;
            }
            return n;
        }
        problems.add(name + ": no " + (protocol == null ? "" : protocol + " ") + "port "
                + (ref.name() != null ? "named '" + ref.name() + "'" : ref.number())
                + " (ports: " + (seen.isEmpty() ? "none" : String.join(", ", seen)) + "); slice skipped");
        return 0;
    }

    private static Map<String, Integer> weights(EndpointSlice slice, String name, List<String> problems) {
        Map<String, String> annotations = slice.getMetadata() == null ? null : slice.getMetadata().getAnnotations();
        String text = annotations == null ? null : annotations.get(WEIGHTS_ANNOTATION);
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        Map<String, Integer> weights = new HashMap<>();
        for (String entry : text.split(",")) {
            String item = entry.strip();
            int eq = item.indexOf('=');
            InetAddress address = eq < 0 ? null : anyLiteral(item.substring(0, eq).strip());
            Integer weight = eq < 0 ? null : weight(item.substring(eq + 1).strip());
            if (address == null || weight == null) {
                problems.add(name + ": annotation " + WEIGHTS_ANNOTATION + " entry '" + item
                        + "' is not ADDRESS=WEIGHT (0.." + KubernetesQuery.MAX_WEIGHT + "); entry ignored");
                continue;
            }
            weights.put(address.getHostAddress(), weight);
        }
        return weights;
    }

    private static Integer weight(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int w = Integer.parseInt(text);
        return w <= KubernetesQuery.MAX_WEIGHT ? w : null;
    }

    private static InetAddress anyLiteral(String text) {
        InetAddress a = literal(text, AddressFamily.IPV4);
        return a != null ? a : literal(text, AddressFamily.IPV6);
    }

    /**
     * A strict literal of the given family, never a DNS lookup: dotted-quad IPv4 only (the JDK also
     * takes legacy forms such as {@code 10.1}), IPv6 without zone; an IPv4-mapped IPv6 literal is not
     * an IPv6 address here (the JDK would turn it into IPv4).
     */
    static InetAddress literal(String text, AddressFamily family) {
        if (text == null) {
            return null;
        }
        try {
            if (family == AddressFamily.IPV4) {
                return IPV4.matcher(text).matches() ? InetAddress.ofLiteral(text) : null;
            }
            if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
                return null;
            }
            InetAddress a = InetAddress.ofLiteral(text);
            return a instanceof Inet6Address ? a : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String name(EndpointSlice slice) {
        String n = slice.getMetadata() == null ? null : slice.getMetadata().getName();
        return n == null ? "" : n;
    }

    private record Key(InetAddress address, int port) {
    }

    private record Candidate(Backend endpoint, int rank) {
    }
}
