package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.VipRoute;
import dev.ingresskit.director.VipState;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnouncementsTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    /** The speaker seam recording what it was told; can be made to fail. */
    private static final class Recorder implements RouteAnnouncer {
        final List<String> calls = new ArrayList<>();
        boolean fail;

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public void update(List<VipRoute> announce, List<VipRoute> withdraw) throws IOException {
            if (fail) {
                throw new IOException("speaker unreachable");
            }
            calls.add("+" + announce.stream().map(VipRoute::prefix).toList() + " -"
                    + withdraw.stream().map(VipRoute::prefix).toList());
        }

        @Override
        public void close() {
        }
    }

    private final Recorder speaker = new Recorder();
    private final Announcements bgp = new Announcements(speaker, Duration.ofSeconds(5));

    private static VipDemand demand(String service, String vip, int healthy, int total, int min) throws Exception {
        return new VipDemand(service, VipRoute.of(InetAddress.getByName(vip)), healthy, total, min);
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aVipSharedByServicesNeedsThemAll() throws Exception {
        List<VipDemand> both = List.of(demand("http", "192.0.2.10", 2, 2, 1), demand("https", "192.0.2.10", 0, 2, 1));
        bgp.update(at(0), both, true);
        bgp.update(at(10), both, true);
        VipState s = bgp.states().getFirst();
        assertFalse(s.announced());
        assertEquals("http 2/2 healthy >= 1, https 0/2 healthy < 1", s.why());
        assertEquals(List.of("http", "https"), s.services());
        assertEquals(List.of("+[] -[192.0.2.10/32]"), speaker.calls, "one call: nothing changed after the first");
    }

    @Test
    void announcedAfterTheHoldDownAndWithdrawnWhenReconcileFails() throws Exception {
        List<VipDemand> web = List.of(demand("web", "192.0.2.10", 2, 4, 1));
        bgp.update(at(0), web, true);
        assertEquals(at(5), bgp.nextChange());
        bgp.update(at(5), web, true);
        assertTrue(bgp.states().getFirst().announced());
        assertEquals("2/4 healthy >= 1", bgp.states().getFirst().why());
        bgp.update(at(6), web, false);
        assertEquals("last reconcile failed", bgp.states().getFirst().why());
        assertEquals(List.of("+[] -[192.0.2.10/32]", "+[192.0.2.10/32] -[]", "+[] -[192.0.2.10/32]"), speaker.calls);
    }

    @Test
    void aDrainWithdrawsEverythingUntilResumedAndIsNotAFlap() throws Exception {
        List<VipDemand> two = List.of(demand("a", "192.0.2.10", 1, 1, 1), demand("b", "192.0.2.11", 1, 1, 1));
        bgp.update(at(0), two, true);
        bgp.update(at(5), two, true);
        bgp.drain(at(6));
        assertTrue(bgp.draining());
        bgp.update(at(7), two, true);
        assertTrue(bgp.states().stream().noneMatch(VipState::announced));
        assertEquals("draining", bgp.states().getFirst().why());
        bgp.resume();
        bgp.update(at(8), two, true);
        bgp.update(at(13), two, true);
        assertTrue(bgp.states().stream().allMatch(VipState::announced), "back after the base hold-down");
        assertEquals("+[192.0.2.10/32, 192.0.2.11/32] -[]", speaker.calls.getLast());
    }

    @Test
    void aSpeakerFailureIsKeptAndRetriedEachRound() throws Exception {
        List<VipDemand> web = List.of(demand("web", "192.0.2.10", 1, 1, 1));
        speaker.fail = true;
        assertFalse(bgp.update(at(0), web, true));
        assertEquals("recorder: speaker unreachable", bgp.problem());
        assertThrows(IOException.class, () -> bgp.drain(at(1)));
        assertTrue(bgp.draining(), "the drain stays in force");
        speaker.fail = false;
        assertTrue(bgp.update(at(2), web, true));
        assertNull(bgp.problem());
        assertEquals(List.of("+[] -[192.0.2.10/32]"), speaker.calls);
    }

    @Test
    void aVipThatLeavesTheConfigIsWithdrawnOnce() throws Exception {
        bgp.update(at(0), List.of(demand("web", "192.0.2.10", 1, 1, 1)), true);
        bgp.update(at(5), List.of(demand("web", "192.0.2.10", 1, 1, 1)), true);
        bgp.update(at(6), List.of(demand("dns", "192.0.2.53", 1, 1, 1)), true);
        assertEquals("+[] -[192.0.2.53/32, 192.0.2.10/32]", speaker.calls.getLast());
        assertEquals(1, bgp.states().size());
        bgp.update(at(7), List.of(demand("dns", "192.0.2.53", 1, 1, 1)), true);
        assertEquals("+[] -[192.0.2.53/32]", speaker.calls.getLast());
    }
}
