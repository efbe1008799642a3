package dev.ingresskit.director.kubernetes.internal;

import dev.ingresskit.director.DiscoveredBackends.Backend;
import dev.ingresskit.testsupport.Seeds;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static dev.ingresskit.director.kubernetes.internal.SliceWatchersTest.backends;
import static dev.ingresskit.director.kubernetes.internal.Slices.endpoint;
import static dev.ingresskit.director.kubernetes.internal.Slices.notReady;
import static dev.ingresskit.director.kubernetes.internal.Slices.port;
import static dev.ingresskit.director.kubernetes.internal.Slices.ready;
import static dev.ingresskit.director.kubernetes.internal.Slices.slice;
import static dev.ingresskit.director.kubernetes.internal.Slices.terminating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SliceMergerTest {
    private static final KubernetesQuery HTTPS = KubernetesQuery.parse(List.of("default/ingress", "port", "https"));

    private static List<String> merge(KubernetesQuery q, String protocol, EndpointSlice... slices) {
        SliceMerger.Result r = SliceMerger.merge(List.of(slices), q, protocol);
        return backends(new View(r.endpoints(), true, java.time.Instant.EPOCH, null));
    }

    private static List<String> problems(KubernetesQuery q, EndpointSlice... slices) {
        return SliceMerger.merge(List.of(slices), q, "TCP").problems();
    }

    @Test
    void conditionsTable() {
        EndpointSlice s = slice("a", "ingress", "IPv4", List.of(port("https", 443)), List.of(
                endpoint("10.0.0.1", true, true, false),     // ready
                endpoint("10.0.0.2", null, null, null),      // nil conditions: ready, not terminating
                endpoint("10.0.0.3", false, true, true),     // serving and terminating
                endpoint("10.0.0.4", false, false, true),    // terminating, no longer serving
                endpoint("10.0.0.5", false, false, false),   // not ready (probe failing)
                endpoint("10.0.0.6", true, true, true),      // publishNotReadyAddresses: ready but terminating
                endpoint("10.0.0.7", null, false, null),     // ready unknown → ready
                new EndpointBuilder().withAddresses("10.0.0.8").build())); // no conditions at all → ready
        assertEquals(List.of("10.0.0.1:443 w1", "10.0.0.2:443 w1", "10.0.0.3:443 drain", "10.0.0.4:443 drain",
                "10.0.0.5:443 drain", "10.0.0.6:443 drain", "10.0.0.7:443 w1", "10.0.0.8:443 w1"),
                merge(HTTPS, "TCP", s));
        SliceMerger.Result r = SliceMerger.merge(List.of(s), HTTPS, "TCP");
        assertTrue(r.endpoints().stream().filter(Backend::draining).allMatch(e -> e.weight() == 0));
        assertEquals(List.of(), r.problems());
    }

    @Test
    void portByNameTakesEachSlicesOwnNumber() {
        // During a rollout that changes a named targetPort, old and new pods sit in different
        // slices with different numbers for the same name.
        EndpointSlice old = slice("a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.1")));
        EndpointSlice neu = slice("b", "ingress", "IPv4", List.of(port("https", 9443), port("metrics", 9090)),
                List.of(ready("10.0.0.2")));
        assertEquals(List.of("10.0.0.1:8443 w1", "10.0.0.2:9443 w1"), merge(HTTPS, "TCP", old, neu));
    }

    @Test
    void portByNumberAndAllPorts() {
        KubernetesQuery q = KubernetesQuery.parse(List.of("default/ingress", "port", "9443"));
        EndpointSlice has = slice("a", "ingress", "IPv4", List.of(port("https", 9443)), List.of(ready("10.0.0.1")));
        EndpointSlice other = slice("b", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.2")));
        EndpointSlice all = slice("c", "ingress", "IPv4", List.of(port(null, null)), List.of(ready("10.0.0.3")));
        assertEquals(List.of("10.0.0.1:9443 w1", "10.0.0.3:9443 w1"), merge(q, "TCP", has, other, all));
        assertEquals(List.of("EndpointSlice b: no TCP port 9443 (ports: https=8443); slice skipped"), problems(q, has, other, all));
        // By name, a nil port number cannot say where to connect.
        EndpointSlice unnumbered = slice("d", "ingress", "IPv4", List.of(port("https", null)), List.of(ready("10.0.0.4")));
        assertEquals(List.of(), merge(HTTPS, "TCP", unnumbered));
        assertEquals(List.of("EndpointSlice d: port 'https' has number null, not 1..65535; slice skipped"),
                problems(HTTPS, unnumbered));
    }

    @Test
    void protocolPicksThePortOfTheSameTransport() {
        KubernetesQuery dns = KubernetesQuery.parse(List.of("kube-system/dns", "port", "53"));
        EndpointSlice s = slice("a", "dns", "IPv4", List.of(port("dns", 53, "UDP"), port("dns-tcp", 53, "TCP")),
                List.of(ready("10.0.0.10")));
        assertEquals(List.of("10.0.0.10:53 w1"), merge(dns, "UDP", s));
        KubernetesQuery named = KubernetesQuery.parse(List.of("kube-system/dns", "port", "dns"));
        assertEquals(List.of("10.0.0.10:53 w1"), merge(named, "UDP", s));
        assertEquals(List.of(), merge(named, "TCP", s), "the port named dns is UDP");
        assertEquals(List.of("10.0.0.10:53 w1"), merge(named, null, s), "no protocol given: any");
        // A nil protocol is TCP (API default).
        EndpointSlice nil = slice("b", "dns", "IPv4", List.of(port("dns", 53, null)), List.of(ready("10.0.0.11")));
        assertEquals(List.of("10.0.0.11:53 w1"), merge(named, "TCP", nil));
        assertEquals(List.of(), merge(named, "UDP", nil));
    }

    @Test
    void duplicatesCountOnceAndTheMostAvailableWins() {
        EndpointSlice a = slice("a", "ingress", "IPv4", List.of(port("https", 443)),
                List.of(terminating("10.0.0.1"), ready("10.0.0.2"), notReady("10.0.0.3")));
        EndpointSlice b = slice("b", "ingress", "IPv4", List.of(port("https", 443)),
                List.of(ready("10.0.0.1"), terminating("10.0.0.2"), ready("10.0.0.2"), notReady("10.0.0.3")));
        List<String> expected = List.of("10.0.0.1:443 w1", "10.0.0.2:443 w1", "10.0.0.3:443 drain");
        assertEquals(expected, merge(HTTPS, "TCP", a, b));
        assertEquals(expected, merge(HTTPS, "TCP", b, a));
    }

    @Test
    void betweenEqualDuplicatesTheFirstSliceByNameDecidesTheWeight() {
        EndpointSlice a = slice("a", "ingress", "IPv4", List.of(port("https", 443)), List.of(ready("10.0.0.1")),
                Map.of(), Map.of(SliceMerger.WEIGHTS_ANNOTATION, "10.0.0.1=7"));
        EndpointSlice b = slice("b", "ingress", "IPv4", List.of(port("https", 443)), List.of(ready("10.0.0.1")),
                Map.of(), Map.of(SliceMerger.WEIGHTS_ANNOTATION, "10.0.0.1=3"));
        assertEquals(List.of("10.0.0.1:443 w7"), merge(HTTPS, "TCP", b, a));
    }

    @Test
    void weightsAnnotation() {
        KubernetesQuery q = KubernetesQuery.parse(List.of("default/ingress", "port", "https", "weight", "10"));
        EndpointSlice s = slice("a", "ingress", "IPv4", List.of(port("https", 443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"), terminating("10.0.0.3"), ready("10.0.0.4")),
                Map.of(), Map.of(SliceMerger.WEIGHTS_ANNOTATION, " 10.0.0.1=3, 10.0.0.3=9,10.0.0.4=0,bogus,10.0.0.9=x,1.2.3.4=70000"));
        assertEquals(List.of("10.0.0.1:443 w3", "10.0.0.2:443 w10", "10.0.0.3:443 drain", "10.0.0.4:443 w0"),
                merge(q, "TCP", s));
        assertEquals(List.of(
                "EndpointSlice a: annotation director.ingresskit.dev/weights entry 'bogus' is not ADDRESS=WEIGHT (0..65535); entry ignored",
                "EndpointSlice a: annotation director.ingresskit.dev/weights entry '10.0.0.9=x' is not ADDRESS=WEIGHT (0..65535); entry ignored",
                "EndpointSlice a: annotation director.ingresskit.dev/weights entry '1.2.3.4=70000' is not ADDRESS=WEIGHT (0..65535); entry ignored"),
                problems(q, s));
        // IPv6 keys match however the address is written.
        EndpointSlice v6 = slice("b", "ingress", "IPv6", List.of(port("https", 443)), List.of(ready("2001:db8:0::5")),
                Map.of(), Map.of(SliceMerger.WEIGHTS_ANNOTATION, "2001:DB8::5=4"));
        assertEquals(List.of("[2001:db8:0:0:0:0:0:5]:443 w4"), merge(q, "TCP", v6));
    }

    @Test
    void malformedEndpointsAreNamedAndSkipped() {
        EndpointSlice s = new EndpointSliceBuilder().withNewMetadata().withName("bad").endMetadata()
                .withAddressType("IPv4").withPorts(port("https", 443))
                .withEndpoints(
                        ready("10.0.0.1"),
                        new EndpointBuilder().build(),                        // no addresses
                        new EndpointBuilder().withAddresses(List.of()).build(),
                        ready("10.1"),                                        // legacy short form
                        ready("010.0.0.1"),                                   // octal-looking
                        ready("10.0.0.256"),
                        ready("::ffff:10.0.0.2"),                             // IPv6 text in an IPv4 slice
                        ready(" 10.0.0.3"),
                        ready("node-1.example"),                              // never resolved
                        null)
                .build();
        assertEquals(List.of("10.0.0.1:443 w1"), merge(HTTPS, "TCP", s));
        List<String> problems = problems(HTTPS, s);
        assertEquals(List.of(
                "EndpointSlice bad endpoints[1]: no address; endpoint skipped",
                "EndpointSlice bad endpoints[2]: no address; endpoint skipped",
                "EndpointSlice bad endpoints[3]: address '10.1' is not an IPv4 address; endpoint skipped",
                "EndpointSlice bad endpoints[4]: address '010.0.0.1' is not an IPv4 address; endpoint skipped",
                "EndpointSlice bad endpoints[5]: address '10.0.0.256' is not an IPv4 address; endpoint skipped",
                "EndpointSlice bad endpoints[6]: address '::ffff:10.0.0.2' is not an IPv4 address; endpoint skipped",
                "EndpointSlice bad endpoints[7]: address ' 10.0.0.3' is not an IPv4 address; endpoint skipped",
                "EndpointSlice bad endpoints[8]: address 'node-1.example' is not an IPv4 address; endpoint skipped",
                "EndpointSlice bad endpoints[9]: no address; endpoint skipped"), problems);
    }

    @Test
    void malformedSlicesAreNamedAndSkipped() {
        EndpointSlice fqdn = slice("f", "ingress", "FQDN", List.of(port("https", 443)), List.of(ready("a.example")));
        EndpointSlice noType = slice("n", "ingress", null, List.of(port("https", 443)), List.of(ready("10.0.0.1")));
        EndpointSlice noPorts = slice("p", "ingress", "IPv4", null, List.of(ready("10.0.0.2")));
        EndpointSlice noEndpoints = slice("e", "ingress", "IPv4", List.of(port("https", 443)), null);
        EndpointSlice v6mapped = slice("m", "ingress", "IPv6", List.of(port("https", 443)),
                List.of(ready("::ffff:10.0.0.3"), ready("fe80::1%eth0"), ready("2001:db8::7")));
        EndpointSlice noMeta = new EndpointSliceBuilder().withAddressType("IPv4").withPorts(port("https", 443))
                .withEndpoints(ready("10.0.0.4")).build();
        SliceMerger.Result r = SliceMerger.merge(List.of(fqdn, noType, noPorts, noEndpoints, v6mapped, noMeta), HTTPS, "TCP");
        assertEquals(List.of("10.0.0.4:443 w1", "[2001:db8:0:0:0:0:0:7]:443 w1"),
                backends(new View(r.endpoints(), true, null, null)));
        assertEquals(List.of(
                "EndpointSlice f: addressType 'FQDN' is not IPv4 or IPv6; slice skipped",
                "EndpointSlice m endpoints[0]: address '::ffff:10.0.0.3' is not an IPv6 address; endpoint skipped",
                "EndpointSlice m endpoints[1]: address 'fe80::1%eth0' is not an IPv6 address; endpoint skipped",
                "EndpointSlice n: addressType 'null' is not IPv4 or IPv6; slice skipped",
                "EndpointSlice p: no TCP port named 'https' (ports: none); slice skipped"), r.problems());
    }

    @Test
    void familyFilter() {
        KubernetesQuery v4 = KubernetesQuery.parse(List.of("default/ingress", "port", "https", "family", "ipv4"));
        EndpointSlice a = slice("a", "ingress", "IPv4", List.of(port("https", 443)), List.of(ready("10.0.0.1")));
        EndpointSlice b = slice("b", "ingress", "IPv6", List.of(port("https", 443)), List.of(ready("2001:db8::1")));
        assertEquals(List.of("10.0.0.1:443 w1"), merge(v4, "TCP", a, b));
        assertEquals(List.of("10.0.0.1:443 w1", "[2001:db8:0:0:0:0:0:1]:443 w1"), merge(HTTPS, "TCP", b, a));
    }

    static LongStream seeds() {
        return Seeds.of("sliceMergerOrder", 100);
    }

    /**
     * Order independence, once-only counting and the precedence rule against an independent
     * model: for every address:port, the best condition found in any slice.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void resultIsTheBestConditionPerEndpointWhateverTheOrder(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        int sliceCount = 1 + random.nextInt(5);
        List<EndpointSlice> slices = new ArrayList<>();
        Map<String, Integer> best = new HashMap<>();  // "addr:port" -> 2 ready, 1 draining
        for (int s = 0; s < sliceCount; s++) {
            boolean v6 = random.nextInt(4) == 0;
            int portNumber = 8443 + random.nextInt(2);
            List<Endpoint> endpoints = new ArrayList<>();
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) {
                String address = v6 ? "2001:db8::" + Integer.toHexString(1 + random.nextInt(6))
                        : "10.0.0." + (1 + random.nextInt(6));
                Boolean ready = pick(random);
                Boolean terminating = pick(random);
                endpoints.add(endpoint(address, ready, pick(random), terminating));
                int rank = Boolean.TRUE.equals(terminating) || Boolean.FALSE.equals(ready) ? 1 : 2;
                String host = InetAddress.ofLiteral(address).getHostAddress();
                best.merge((v6 ? "[" + host + "]" : host) + ":" + portNumber, rank, Math::max);
            }
            slices.add(slice("s" + s, "ingress", v6 ? "IPv6" : "IPv4", List.of(port("https", portNumber)), endpoints));
        }
        List<String> expected = new ArrayList<>();
        best.forEach((k, rank) -> expected.add(k + (rank == 2 ? " w1" : " drain")));
        SliceMerger.Result first = SliceMerger.merge(slices, HTTPS, "TCP");
        List<String> got = backends(new View(first.endpoints(), true, null, null));
        assertEquals(expected.stream().sorted().toList(), got.stream().sorted().toList());
        // Canonical order: sorted by address bytes (IPv4 first), then port.
        List<Backend> sorted = new ArrayList<>(first.endpoints());
        sorted.sort(SliceMerger.CANONICAL);
        assertEquals(sorted, first.endpoints());
        // Any order of slices and of endpoints in them gives the same result.
        List<EndpointSlice> shuffled = new ArrayList<>();
        Random r = new Random(seed);
        for (EndpointSlice s : slices) {
            List<Endpoint> es = new ArrayList<>(s.getEndpoints());
            Collections.shuffle(es, r);
            shuffled.add(new EndpointSliceBuilder(s).withEndpoints(es).build());
        }
        Collections.shuffle(shuffled, r);
        assertEquals(first, SliceMerger.merge(shuffled, HTTPS, "TCP"));
    }

    private static Boolean pick(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> true;
            default -> false;
        };
    }

    @Test
    void literalParsingNeverResolvesNames() {
        assertNull(SliceMerger.literal("localhost", AddressFamily.IPV4));
        assertNull(SliceMerger.literal("localhost", AddressFamily.IPV6));
        assertNotNull(SliceMerger.literal("0.0.0.0", AddressFamily.IPV4));
        assertNotNull(SliceMerger.literal("::", AddressFamily.IPV6));
        assertEquals(Arrays.toString(new byte[] {10, 0, 0, 1}),
                Arrays.toString(SliceMerger.literal("10.0.0.1", AddressFamily.IPV4).getAddress()));
    }
}
