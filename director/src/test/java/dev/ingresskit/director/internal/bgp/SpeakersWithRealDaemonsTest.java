package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.Community;
import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.VipRoute;
import dev.ingresskit.director.internal.bgp.BgpLab.RouterPath;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The announcers against the real Debian daemons: a BIRD 2 router peering over loopback with two
 * directors' speakers. Each "director" here is an {@link Announcements} fed scripted health by a
 * loop thread, exactly as the director's loop feeds it.
 */
class SpeakersWithRealDaemonsTest {
    private static final String VIP = "198.51.100.10";
    private static final String PREFIX = VIP + "/32";

    @TempDir
    Path dir;
    private BgpLab lab;
    private final List<Loop> loops = new java.util.ArrayList<>();

    @BeforeEach
    void startRouter() throws Exception {
        BgpLab.assumeDaemons();
        lab = new BgpLab(dir);
        lab.startRouter();
    }

    @AfterEach
    void stopEverything() {
        loops.forEach(Loop::stop);
        if (lab != null) {
            lab.close();
        }
    }

    /** A director's loop: every 50 ms, its scripted healthy count goes into its Announcements. */
    private static final class Loop {
        final Announcements announcements;
        final VipRoute route;
        final AtomicInteger healthy = new AtomicInteger(2);
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        Loop(RouteAnnouncer announcer, VipRoute route, Duration holdDown) {
            this.announcements = new Announcements(announcer, holdDown);
            this.route = route;
            this.thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    announcements.update(Instant.now(), List.of(new VipDemand("web", route, healthy.get(), 2, 1)), true);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        void stop() {
            running.set(false);
            thread.interrupt();
        }
    }

    private Loop exabgpDirector(String name, String address, VipRoute route) throws Exception {
        Path fifo = lab.fifo(name);
        lab.startExabgp(name, address, "/bin/cat " + fifo, false);
        OutputStream pipe = BgpLab.openFifo(fifo);
        Loop loop = new Loop(new ExabgpAnnouncer(pipe, BgpLab.DIRECTOR_AS), route, Duration.ofMillis(300));
        loops.add(loop);
        return loop;
    }

    private static VipRoute plain() throws Exception {
        return VipRoute.of(InetAddress.getByName(VIP));
    }

    @Test
    void twoExabgpDirectorsGiveTwoEqualPathsAndAFailingOneIsWithdrawnAlone() throws Exception {
        Loop a = exabgpDirector("exabgp-a", "127.0.0.2", plain());
        exabgpDirector("exabgp-b", "127.0.0.3", plain());
        Duration up = BgpLab.await(Duration.ofSeconds(20),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2", "d3"))), "two paths\n" + lab.logs());
        List<RouterPath> paths = lab.routes(PREFIX);
        // ECMP-eligible: the same AS path, MED and communities, so only the tie-breakers differ.
        assertEquals(paths.get(0).asPath(), paths.get(1).asPath());
        assertEquals(paths.get(0).med(), paths.get(1).med());
        assertEquals("65001", paths.get(0).asPath());
        System.out.println("[bgp] two ExaBGP paths at the router " + up.toMillis() + " ms after start");

        a.healthy.set(0);
        Duration gone = BgpLab.await(Duration.ofSeconds(5),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d3"))), "A's path withdrawn\n" + lab.logs());
        System.out.println("[bgp] ExaBGP: backends down -> path gone at the router in " + gone.toMillis() + " ms");
        assertEquals("Established", lab.session("d2"), "a withdrawal, not a session drop");
        assertEquals("0/2 healthy < 1", a.announcements.states().getFirst().why());
    }

    @Test
    void aBirdDirectorAndAnExabgpDirectorCarryTheAttributes() throws Exception {
        VipRoute standby = new VipRoute(InetAddress.getByName(VIP),
                List.of(Community.parse("65000:100"), Community.parse("65000:200")), OptionalLong.of(50), 2);
        exabgpDirector("exabgp-a", "127.0.0.2", standby);
        Path[] bird = lab.startBirdSpeaker("bird-b", "127.0.0.4");
        Loop b = new Loop(new BirdAnnouncer(bird[0], bird[1], BgpLab.DIRECTOR_AS), standby, Duration.ofMillis(300));
        loops.add(b);
        BgpLab.await(Duration.ofSeconds(20),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2", "d4"))), "two paths\n" + lab.logs());
        for (RouterPath p : lab.routes(PREFIX)) {
            assertEquals("65001 65001 65001", p.asPath(), p.toString());
            assertEquals("50", p.med(), p.toString());
            assertEquals("(65000,100) (65000,200)", p.communities(), p.toString());
        }
        b.healthy.set(0);
        Duration gone = BgpLab.await(Duration.ofSeconds(5),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2"))), "B's path withdrawn\n" + lab.logs());
        System.out.println("[bgp] BIRD: backends down -> path gone at the router in " + gone.toMillis() + " ms");
        assertEquals("Established", lab.session("d4"), "BIRD reconfigured without dropping the session");
        assertTrue(Files.readString(bird[0]).contains("protocol static"), "the include file stays whole");
        b.healthy.set(2);
        BgpLab.await(Duration.ofSeconds(10),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2", "d4"))), "B back\n" + lab.logs());
    }

    @Test
    void aFlappingBackendDoesNotFlapTheRoute() throws Exception {
        Loop a = exabgpDirector("exabgp-a", "127.0.0.2", plain());
        BgpLab.await(Duration.ofSeconds(20), BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2"))),
                "announced\n" + lab.logs());
        // The only backend that matters flaps every 100 ms for 4 s, faster than the 300 ms hold-down.
        int changes = 0;
        boolean present = true;
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            a.healthy.set(i++ % 2 == 0 ? 0 : 2);
            Thread.sleep(100);
            boolean now = lab.sources(PREFIX).contains("d2");
            if (now != present) {
                changes++;
                present = now;
            }
        }
        assertTrue(changes <= 1, "the route changed " + changes + " times while the backend flapped");
        assertTrue(!present, "withdrawn once and kept withdrawn while flapping");
        a.healthy.set(2);
        BgpLab.await(Duration.ofSeconds(10), BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2"))),
                "announced again once stable\n" + lab.logs());
    }

    @Test
    void aKilledSpeakerDropsTheSessionAndThePathGoes() throws Exception {
        exabgpDirector("exabgp-a", "127.0.0.2", plain());
        exabgpDirector("exabgp-b", "127.0.0.3", plain());
        BgpLab.await(Duration.ofSeconds(20),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2", "d3"))), "two paths\n" + lab.logs());
        Process exabgpA = lab.processes().get(1);
        exabgpA.destroyForcibly(); // SIGKILL
        Duration gone = BgpLab.await(Duration.ofSeconds(BgpLab.HOLD_SECONDS + 2),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d3"))), "A's path gone\n" + lab.logs());
        System.out.println("[bgp] ExaBGP kill -9 -> path gone at the router in " + gone.toMillis() + " ms");
        assertTrue(!lab.session("d2").equals("Established"), "the session dropped");
    }
}
