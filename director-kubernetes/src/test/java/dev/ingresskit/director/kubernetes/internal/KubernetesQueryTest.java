package dev.ingresskit.director.kubernetes.internal;

import dev.ingresskit.testsupport.Seeds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubernetesQueryTest {
    private static KubernetesQuery parse(String words) {
        return KubernetesQuery.parse(Arrays.asList(words.split(" ")));
    }

    @Test
    void minimalQueryByName() {
        KubernetesQuery q = parse("default/ingress port https");
        assertEquals("default", q.selector().namespace());
        assertEquals("ingress", q.selector().service());
        assertEquals(Map.of(), q.selector().labels());
        assertEquals(Map.of("kubernetes.io/service-name", "ingress"), q.selector().allLabels());
        assertEquals(PortRef.named("https"), q.port());
        assertNull(q.family());
        assertEquals(1, q.weight());
    }

    @Test
    void everyOptionInAnyOrder() {
        KubernetesQuery q = parse("edge/lb-v2 weight 7 family ipv6 selector app.kubernetes.io/part-of=edge,tier=front port 8443");
        assertEquals(PortRef.numbered(8443), q.port());
        assertEquals(AddressFamily.IPV6, q.family());
        assertEquals(7, q.weight());
        assertEquals(Map.of("app.kubernetes.io/part-of", "edge", "tier", "front"), q.selector().labels());
        assertEquals("edge/lb-v2 port 8443 selector app.kubernetes.io/part-of=edge,tier=front family ipv6 weight 7",
                q.toString());
        // toString is itself a valid argument list that parses to the same query.
        assertEquals(q, parse(q.toString()));
    }

    @Test
    void emptyLabelValueIsAllowed() {
        assertEquals(Map.of("canary", ""), parse("a/b port 1 selector canary=").selector().labels());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '"', value = {
            "\"\"                                          => expected NAMESPACE/SERVICE port",
            "default                                     => 'default' is not NAMESPACE/SERVICE",
            "a/b/c port 1                                => 'a/b/c' is not NAMESPACE/SERVICE",
            "Default/ingress port 1                      => namespace 'Default' is not a DNS-1123 label",
            "default/9ingress port 1                     => service '9ingress' is not a DNS-1035 label",
            "default/ port 1                             => service '' is not a DNS-1035 label",
            "default/ingress                             => 'port NAME|NUMBER' is missing",
            "default/ingress port                        => 'port' needs a value",
            "default/ingress port 0                      => port '0' is not in 1..65535",
            "default/ingress port 65536                  => port '65536' is not in 1..65535",
            "default/ingress port 099                    => port '099' is not in 1..65535",
            "default/ingress port HTTPS                  => port name 'HTTPS' is not an IANA service name",
            "default/ingress port my--port               => port name 'my--port' is not an IANA service name",
            "default/ingress port -https                 => port name '-https' is not an IANA service name",
            "default/ingress port https-                 => port name 'https-' is not an IANA service name",
            "default/ingress port averyveryverylongname  => port name 'averyveryverylongname' is not an IANA service name",
            "default/ingress port https port http        => 'port' given twice",
            "default/ingress port https family ipv5      => family 'ipv5' is not ipv4 or ipv6",
            "default/ingress port https weight 65536     => weight '65536' is not in 0..65535",
            "default/ingress port https weight -1        => weight '-1' is not in 0..65535",
            "default/ingress port https weight x         => weight 'x' is not a number",
            "default/ingress port https selector a       => selector 'a' is not KEY=VALUE",
            "default/ingress port https selector a=b,    => selector '' is not KEY=VALUE",
            "default/ingress port https selector a=b,a=c => selector names label 'a' twice",
            "default/ingress port https selector -a=b    => label key '-a' is not a label name",
            "default/ingress port https selector A_/b=c  => label prefix 'A_' is not a DNS-1123 subdomain",
            "default/ingress port https selector a=b$    => label value of a 'b$' is not a label value",
            "default/ingress port https selector kubernetes.io/service-name=x => selector must not name kubernetes.io/service-name",
            "default/ingress port https zone a           => unknown option 'zone' (expected port, selector, family or weight)",
    })
    void badArgumentsAreNamed(String words, String message) {
        List<String> args = words.isEmpty() ? List.of() : Arrays.asList(words.split(" "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KubernetesQuery.parse(args));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    static LongStream seeds() {
        return Seeds.of("kubernetesQueryFuzz", 300);
    }

    /** Random words, mutated valid ones included: a result or an IllegalArgumentException, nothing else. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void randomArgumentsNeverThrowAnythingElse(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String[] pool = {"default/ingress", "port", "https", "8443", "selector", "a=b", "family", "ipv4", "ipv6",
                "weight", "5", "", "/", "=", ",", "a=b,c=d", "\u00e9", "99999999999", "-1", "a/b/c"};
        List<String> words = new ArrayList<>();
        int n = random.nextInt(9);
        for (int i = 0; i < n; i++) {
            String w = pool[random.nextInt(pool.length)];
            if (random.nextInt(4) == 0 && !w.isEmpty()) {
                int cut = random.nextInt(w.length());
                w = w.substring(0, cut) + (char) random.nextInt(0x20, 0x7f) + w.substring(cut + 1);
            }
            words.add(w);
        }
        try {
            KubernetesQuery q = KubernetesQuery.parse(words);
            assertEquals(q, KubernetesQuery.parse(Arrays.asList(q.toString().split(" "))), "round trip of " + words);
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        }
    }
}
