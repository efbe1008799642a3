package dev.ingresskit.director.kubernetes.internal;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static dev.ingresskit.director.kubernetes.internal.Slices.endpoint;
import static dev.ingresskit.director.kubernetes.internal.Slices.notReady;
import static dev.ingresskit.director.kubernetes.internal.Slices.port;
import static dev.ingresskit.director.kubernetes.internal.Slices.ready;
import static dev.ingresskit.director.kubernetes.internal.Slices.slice;
import static dev.ingresskit.director.kubernetes.internal.Slices.terminating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The watchers against fabric8's mock API server in CRUD mode: real HTTP list and WebSocket watch,
 * objects written by a second client as kubectl would.
 */
class SliceWatchersTest {
    private static final Subscription HTTPS =
            new Subscription(KubernetesQuery.parse(List.of("default/ingress", "port", "https", "weight", "5")), "TCP");

    private ApiServer server;
    private KubernetesClient client;
    private SliceWatchers watchers;
    private final AtomicInteger changes = new AtomicInteger();
    private final List<View> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        server = new ApiServer();
        client = server.newClient();
        watchers = new SliceWatchers(client, Duration.ofMinutes(5), Duration.ofMillis(25), InstantSource.system());
    }

    @AfterEach
    void stop() {
        // The server first: the mock's watch handler can stall its event loop for 30 s when a
        // client drops a watch connection (it waits for a write that needs that same loop).
        server.close();
        watchers.close();
        client.close();
    }

    private void watch(Subscription... subscriptions) {
        watchers.watch(List.of(subscriptions), () -> {
            changes.incrementAndGet();
            for (Subscription s : subscriptions) {
                seen.add(watchers.view(s));
            }
        });
    }

    @Test
    void rolloutNewPodsReadyOldTerminatingThenGone() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5");
        View first = await(HTTPS, View::synced, "in sync");
        assertEquals(null, first.problem());

        // New pods appear, not ready yet: listed, drained (no new flows), old ones unchanged.
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"), notReady("10.0.0.3"), notReady("10.0.0.4"))));
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.3:8443 drain", "10.0.0.4:8443 drain");

        // New pods ready, old ones terminating (still serving their connections).
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(terminating("10.0.0.1"), terminating("10.0.0.2"), ready("10.0.0.3"), ready("10.0.0.4"))));
        awaitBackends(HTTPS, "10.0.0.1:8443 drain", "10.0.0.2:8443 drain", "10.0.0.3:8443 w5", "10.0.0.4:8443 w5");

        // Old pods gone.
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.3"), ready("10.0.0.4"))));
        awaitBackends(HTTPS, "10.0.0.3:8443 w5", "10.0.0.4:8443 w5");
        assertTrue(watchers.view(HTTPS).synced());
    }

    @Test
    void scaleToZeroAndBack() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.1"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5");

        // Scaled to zero: the controller keeps the slice with no endpoints. In sync, simply empty.
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of()));
        awaitBackends(HTTPS);
        View zero = await(HTTPS, View::synced, "an empty Service in sync, not a problem");
        assertEquals(null, zero.problem());

        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.7"), ready("10.0.0.8"))));
        awaitBackends(HTTPS, "10.0.0.7:8443 w5", "10.0.0.8:8443 w5");
    }

    @Test
    void slicesSplitAndMergedCountEachEndpointOnce() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"), ready("10.0.0.3"), ready("10.0.0.4"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.3:8443 w5", "10.0.0.4:8443 w5");

        // Split: the second slice is written before the first loses the moved endpoints, so for a
        // while .3 and .4 are in both; they count once.
        server.apply(slice("ingress-b", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.3"), ready("10.0.0.4"))));
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"))));
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.3:8443 w5", "10.0.0.4:8443 w5");
        // A duplicate in two states: the ready copy wins over the terminating one.
        server.apply(slice("ingress-c", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(terminating("10.0.0.1"), ready("10.0.0.5"))));
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.3:8443 w5", "10.0.0.4:8443 w5",
                "10.0.0.5:8443 w5");

        // Merged back into one slice; the others are deleted.
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"), ready("10.0.0.3"), ready("10.0.0.4"))));
        server.delete("ingress-b");
        server.delete("ingress-c");
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.3:8443 w5", "10.0.0.4:8443 w5");
        for (View v : List.copyOf(seen)) {
            assertTrue(v.endpoints().size() >= 4 || !v.synced(), "an endpoint was lost while slices moved: " + v);
        }
    }

    @Test
    void otherServicesAndOtherSelectorsAreNotMixedIn() {
        Subscription canary = new Subscription(KubernetesQuery.parse(
                List.of("default/ingress", "port", "https", "selector", "track=canary")), "TCP");
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1")), Map.of("track", "stable"), Map.of()));
        server.apply(slice("ingress-b", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.2")), Map.of("track", "canary"), Map.of()));
        server.apply(slice("other-a", "other", "IPv4", List.of(port("https", 8443)), List.of(ready("10.9.9.9"))));
        watch(HTTPS, canary);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5");
        awaitBackends(canary, "10.0.0.2:8443 w1");
    }

    @Test
    void apiServerRestartKeepsLastKnownAndResumes() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5");
        int listsBefore = server.lists();

        server.stopApi();
        View down = await(HTTPS, v -> !v.synced(), "the watch to notice the API server is gone");
        assertEquals(List.of("10.0.0.1:8443 w5", "10.0.0.2:8443 w5"), backends(down), "last known kept");
        assertNotNull(down.problem());
        assertTrue(down.problem().contains("keeping the 2 last known endpoint(s)"), down.problem());

        server.startApi();
        View up = await(HTTPS, View::synced, "the watch to resume");
        assertEquals(List.of("10.0.0.1:8443 w5", "10.0.0.2:8443 w5"), backends(up));
        assertEquals(null, up.problem());
        // Resumed from its resourceVersion: no new list was needed.
        assertEquals(listsBefore, server.lists());

        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), terminating("10.0.0.2"))));
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 drain");
        assertNeverEmpty();
    }

    @Test
    void goneAfterRestartRelistsAndSeesWhatChangedMeanwhile() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), ready("10.0.0.2"))));
        server.apply(slice("ingress-b", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.3"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.3:8443 w5");
        int listsBefore = server.lists();

        server.stopApi();
        await(HTTPS, v -> !v.synced(), "the watch to notice the API server is gone");
        // While the watcher cannot see it: one slice deleted, one endpoint starts terminating, and
        // the restarted server's history no longer reaches back to the watcher's resourceVersion.
        server.delete("ingress-b");
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)),
                List.of(ready("10.0.0.1"), terminating("10.0.0.2"))));
        server.expireHistory();
        assertEquals(List.of("10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.3:8443 w5"),
                backends(watchers.view(HTTPS)), "nothing dropped while the API server is away");

        server.startApi();
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 drain");
        assertTrue(server.gones() >= 1, "the watch was answered 410 Gone");
        assertTrue(server.lists() > listsBefore, "410 Gone made the informer list again");
        await(HTTPS, View::synced, "in sync after the relist");
        assertNeverEmpty();
    }

    @Test
    void goneOnALiveConnectionRelists() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.1"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5");
        int listsBefore = server.lists();
        // A blip: the connection drops and the server comes straight back with its history compacted.
        server.expireHistory();
        server.stopApi();
        server.startApi();
        await(HTTPS, v -> server.lists() > listsBefore && v.synced(), "a relist after 410 Gone");
        assertEquals(List.of("10.0.0.1:8443 w5"), backends(watchers.view(HTTPS)));
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.9"))));
        awaitBackends(HTTPS, "10.0.0.9:8443 w5");
        assertNeverEmpty();
    }

    @Test
    void apiServerDownAtStartIsRetriedUntilItAnswers() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.1"))));
        server.stopApi();
        watch(HTTPS);
        View before = await(HTTPS, v -> v.problem() != null && v.problem().contains("("), "the list error");
        assertFalse(before.synced());
        assertEquals(List.of(), before.endpoints());
        assertTrue(before.problem().startsWith("EndpointSlices of default/ingress not listed yet"), before.problem());

        server.startApi();
        awaitBackends(HTTPS, "10.0.0.1:8443 w5");
        await(HTTPS, View::synced, "in sync");
    }

    @Test
    void malformedObjectsAreSkippedAndTheRestIsUsed() {
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443)), List.of(
                ready("10.0.0.1"),
                endpoint(null, true, true, false),          // no address at all
                ready("10.0.0.300"),                       // not an address
                ready("ingress-0.example"),                // a name in an IPv4 slice
                ready("2001:db8::1"))));                   // IPv6 in an IPv4 slice
        server.apply(slice("ingress-b", "ingress", "IPv4", List.of(port("http", 8080)), List.of(ready("10.0.0.2"))));
        server.apply(slice("ingress-c", "ingress", "FQDN", List.of(port("https", 8443)), List.of(ready("a.example"))));
        server.apply(slice("ingress-d", "ingress", "IPv4", List.of(port("https", 70000)), List.of(ready("10.0.0.4"))));
        server.apply(slice("ingress-e", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.5"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.5:8443 w5");
        await(HTTPS, View::synced, "in sync: malformed objects do not make the watch unhealthy");

        // And the watcher goes on working afterwards.
        server.apply(slice("ingress-b", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.2"))));
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "10.0.0.2:8443 w5", "10.0.0.5:8443 w5");
    }

    @Test
    void dualStackAndFamilyFilter() {
        Subscription v6only = new Subscription(KubernetesQuery.parse(
                List.of("default/ingress", "port", "8443", "family", "ipv6")), "TCP");
        server.apply(slice("ingress-v4", "ingress", "IPv4", List.of(port("https", 8443)), List.of(ready("10.0.0.1"))));
        server.apply(slice("ingress-v6", "ingress", "IPv6", List.of(port("https", 8443)),
                List.of(ready("2001:db8::1"), terminating("2001:db8::2"))));
        watch(HTTPS, v6only);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5", "[2001:db8:0:0:0:0:0:1]:8443 w5", "[2001:db8:0:0:0:0:0:2]:8443 drain");
        awaitBackends(v6only, "[2001:db8:0:0:0:0:0:1]:8443 w1", "[2001:db8:0:0:0:0:0:2]:8443 drain");
    }

    @Test
    void rewatchingKeepsSharedInformersAndStopsUnusedOnes() {
        Subscription http = new Subscription(KubernetesQuery.parse(List.of("default/ingress", "port", "http")), "TCP");
        Subscription other = new Subscription(KubernetesQuery.parse(List.of("default/other", "port", "http")), "TCP");
        server.apply(slice("ingress-a", "ingress", "IPv4", List.of(port("https", 8443), port("http", 8080)),
                List.of(ready("10.0.0.1"))));
        server.apply(slice("other-a", "other", "IPv4", List.of(port("http", 80)), List.of(ready("10.1.0.1"))));
        watch(HTTPS);
        awaitBackends(HTTPS, "10.0.0.1:8443 w5");
        int lists = server.lists();
        // Same Service, another port: served from the running informer, no new list.
        watch(HTTPS, http, other);
        awaitBackends(http, "10.0.0.1:8080 w1");
        awaitBackends(other, "10.1.0.1:80 w1");
        assertEquals(lists + 1, server.lists(), "only the new selector listed");
        // Dropped subscriptions are no longer answered.
        watch(other);
        View gone = watchers.view(HTTPS);
        assertFalse(gone.synced());
        assertTrue(gone.problem().startsWith("not watched"), gone.problem());
    }

    // --- helpers ---

    private void assertNeverEmpty() {
        for (View v : List.copyOf(seen)) {
            if (v.endpoints().isEmpty() && v.problem() != null && !v.problem().contains("not listed yet")) {
                fail("backends were dropped while the API server was away: " + v);
            }
        }
    }

    static List<String> backends(View v) {
        return v.endpoints().stream().map(e -> {
            String host = e.address().getHostAddress();
            host = host.contains(":") ? "[" + host + "]" : host;
            return host + ":" + e.port() + (e.draining() ? " drain" : " w" + e.weight());
        }).toList();
    }

    private void awaitBackends(Subscription s, String... expected) {
        List<String> want = List.of(expected);
        await(s, v -> backends(v).equals(want), "backends " + want);
    }

    private View await(Subscription s, Predicate<View> condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        View v = watchers.view(s);
        while (!condition.test(v)) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what + "; last view " + v + " = " + backends(v));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            v = watchers.view(s);
        }
        return v;
    }
}
