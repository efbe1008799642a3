package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.ConfigParser;
import dev.ingresskit.director.Director;
import dev.ingresskit.director.HealthProbe;
import dev.ingresskit.director.Kernel;
import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.VipState;
import dev.ingresskit.director.internal.bgp.BgpLab.RouterPath;
import dev.ingresskit.ipvs.IpvsState;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directors (the real {@link Director}, a model kernel, scripted health) announcing through the
 * real speakers to a real BIRD router on loopback; what counts is the router's own
 * {@code birdc show route}.
 */
class DirectorFleetBgpTest {
    private static final String PREFIX = "198.51.100.10/32";
    /** Checks every 100 ms, one failure takes a backend down: detection takes about 100-200 ms. */
    private static final String CONFIG = """
            http 127.0.0.1:0
            bgp speaker exabgp
            bgp local-as 65001
            bgp hold-down 500ms
            bgp grace 3s
            service web tcp 198.51.100.10:80
              check tcp interval 100ms timeout 100ms rise 1 fall 1
              announce min-healthy 1 community 65000:100 med 10
              backend 192.0.2.1
              backend 192.0.2.2
            """;

    @TempDir
    Path dir;
    private BgpLab lab;
    private final List<Running> directors = new ArrayList<>();

    @BeforeEach
    void startRouter() throws Exception {
        BgpLab.assumeDaemons();
        lab = new BgpLab(dir);
        lab.startRouter();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Running r : directors) {
            r.stop();
        }
        if (lab != null) {
            lab.close();
        }
    }

    /** One director in this JVM: its loop thread and its backends' scripted health. */
    private static final class Running {
        final Director director;
        final Map<InetAddress, Boolean> up = new ConcurrentHashMap<>();
        final AtomicBoolean stop = new AtomicBoolean();
        Thread loop;

        Running(Director.Builder builder) throws Exception {
            up.put(InetAddress.getByName("192.0.2.1"), true);
            up.put(InetAddress.getByName("192.0.2.2"), true);
            HealthProbe probe = (address, port, check) -> new HealthProbe.Result(up.getOrDefault(address, false),
                    "scripted");
            director = builder.kernel(Kernel.model(IpvsState.EMPTY)).probe(probe).build();
            loop = Thread.ofPlatform().daemon().start(() -> {
                try {
                    director.run(stop);
                } catch (InterruptedException e) {
                    // stopping
                }
            });
        }

        void all(boolean healthy) {
            up.replaceAll((a, was) -> healthy);
        }

        void stop() throws InterruptedException {
            stop.set(true);
            loop.interrupt();
            loop.join(5000);
            director.close();
        }
    }

    private Running exabgpDirector(String name, String address) throws Exception {
        return exabgpDirector(name, address, CONFIG);
    }

    private Running exabgpDirector(String name, String address, String config) throws Exception {
        Path fifo = lab.fifo(name);
        lab.startExabgp(name, address, "/bin/cat " + fifo, false);
        OutputStream pipe = BgpLab.openFifo(fifo);
        Running r = new Running(Director.builder(ConfigParser.parse(config, name + ".conf"))
                .announcer(RouteAnnouncer.exabgp(pipe, BgpLab.DIRECTOR_AS)));
        directors.add(r);
        return r;
    }

    private Running birdDirector(String name, String address) throws Exception {
        Path[] bird = lab.startBirdSpeaker(name, address);
        String config = CONFIG.replace("bgp speaker exabgp", "bgp speaker bird " + bird[0] + " " + bird[1]);
        var parsed = ConfigParser.parse(config, name + ".conf");
        // A model kernel is a dry run, which tells no speaker unless one is given.
        Running r = new Running(Director.builder(parsed).announcer(RouteAnnouncer.of(parsed.bgp())));
        directors.add(r);
        return r;
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private void awaitSources(List<String> expected, String what) throws InterruptedException {
        BgpLab.await(Duration.ofSeconds(20), BgpLab.quietly(() -> lab.sources(PREFIX).equals(expected)),
                what + ": expected paths from " + expected + "\n" + lab.logs());
    }

    @Test
    void twoExabgpDirectorsGiveTwoPathsAndOneWhoseBackendsFailIsWithdrawnWhileTheOtherStays() throws Exception {
        Running a = exabgpDirector("exabgp-a", "127.0.0.2");
        Running b = exabgpDirector("exabgp-b", "127.0.0.3");
        awaitSources(List.of("d2", "d3"), "both directors announce");
        List<RouterPath> paths = lab.routes(PREFIX);
        for (RouterPath p : paths) {
            assertEquals("65001", p.asPath(), p.toString());
            assertEquals("10", p.med(), p.toString());
            assertEquals("(65000,100)", p.communities(), p.toString());
        }
        VipState state = a.director.vipStates().getFirst();
        assertTrue(state.announced());
        assertEquals("2/2 healthy >= 1", state.why());
        assertTrue(a.director.stateJson().contains("\"why\":\"2/2 healthy >= 1\""), a.director.stateJson());
        assertEquals(1.0, a.director.metrics().value("director_vip_announced", "vip", "198.51.100.10"));

        long start = System.nanoTime();
        a.all(false);
        BgpLab.await(Duration.ofSeconds(5), BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d3"))),
                "A's path gone\n" + lab.logs());
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[bgp] director A's backends fail -> its path gone at the router in " + ms + " ms");
        assertEquals("0/2 healthy < 1", a.director.vipStates().getFirst().why());
        assertEquals(0.0, a.director.metrics().value("director_vip_announced", "vip", "198.51.100.10"));
        assertTrue(b.director.vipStates().getFirst().announced());

        // Back: announced again after the 500 ms hold-down doubled once (one recent withdrawal).
        a.all(true);
        awaitSources(List.of("d2", "d3"), "A back");

        // Maintenance: drain-director withdraws without stopping; resume brings the path back.
        b.director.drainRoutes();
        awaitSources(List.of("d2"), "B drained");
        assertEquals("draining", b.director.vipStates().getFirst().why());
        b.director.resumeRoutes();
        awaitSources(List.of("d2", "d3"), "B resumed");
    }

    @Test
    void aBirdDirectorBesideAnExabgpDirector() throws Exception {
        exabgpDirector("exabgp-a", "127.0.0.2");
        Running b = birdDirector("bird-b", "127.0.0.4");
        awaitSources(List.of("d2", "d4"), "both directors announce");
        for (RouterPath p : lab.routes(PREFIX)) {
            assertEquals("65001", p.asPath(), p.toString());
            assertEquals("10", p.med(), p.toString());
            assertEquals("(65000,100)", p.communities(), p.toString());
        }
        long start = System.nanoTime();
        b.all(false);
        BgpLab.await(Duration.ofSeconds(5), BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d2"))),
                "B's path gone\n" + lab.logs());
        System.out.println("[bgp] BIRD director's backends fail -> its path gone at the router in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertEquals("Established", lab.session("d4"));
    }

    @Test
    void aFlappingBackendDoesNotFlapTheRoute() throws Exception {
        // A hold-down far above scheduling stalls on a loaded machine (4 s after the first withdrawal),
        // so only a backend that really stays up brings the route back.
        Running a = exabgpDirector("exabgp-a", "127.0.0.2",
                CONFIG.replace("bgp hold-down 500ms", "bgp hold-down 2s"));
        awaitSources(List.of("d2"), "announced");
        InetAddress one = InetAddress.getByName("192.0.2.1");
        InetAddress two = InetAddress.getByName("192.0.2.2");
        a.up.put(two, false);
        // The remaining backend flaps every 150 ms for 4 s (faster than the hold-down): the
        // route may go once, and stays gone. The router is polled meanwhile.
        AtomicBoolean flapping = new AtomicBoolean(true);
        Thread flapper = Thread.ofPlatform().start(() -> {
            for (int i = 0; flapping.get(); i++) {
                a.up.put(one, i % 2 == 1);
                try {
                    Thread.sleep(150);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        int changes = 0;
        boolean present = true;
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        while (System.nanoTime() < end) {
            boolean now = lab.sources(PREFIX).contains("d2");
            if (now != present) {
                changes++;
                present = now;
            }
            Thread.sleep(50);
        }
        flapping.set(false);
        flapper.join();
        assertTrue(changes <= 1, "the route changed " + changes + " times while a backend flapped");
        assertFalse(present, "withdrawn at the first failure, and not back while flapping");
        a.up.put(one, true);
        awaitSources(List.of("d2"), "announced again once stable");
    }

    @Test
    void aKilledSpeakerDropsTheSessionAndThePath() throws Exception {
        exabgpDirector("exabgp-a", "127.0.0.2");
        exabgpDirector("exabgp-b", "127.0.0.3");
        awaitSources(List.of("d2", "d3"), "both directors announce");
        Process exabgpA = lab.processes().get(1);
        long start = System.nanoTime();
        exabgpA.descendants().forEach(ProcessHandle::destroyForcibly);
        exabgpA.destroyForcibly();
        BgpLab.await(Duration.ofSeconds(BgpLab.HOLD_SECONDS + 2),
                BgpLab.quietly(() -> lab.sources(PREFIX).equals(List.of("d3"))), "A's path gone\n" + lab.logs());
        System.out.println("[bgp] kill -9 of director A's ExaBGP -> path gone at the router in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertFalse(lab.session("d2").equals("Established"));
    }

    /**
     * The director as ExaBGP runs it in production: a separate JVM that is ExaBGP's process and
     * writes to its standard output. SIGTERM: the path goes while the process still runs (grace
     * 3 s), and the process exits after the grace.
     */
    @Test
    void sigtermWithdrawsBeforeTheDirectorExits() throws Exception {
        Path config = dir.resolve("director.conf");
        Files.writeString(config, CONFIG.replace("check tcp interval 100ms timeout 100ms rise 1 fall 1", "check none"));
        Path pidFile = dir.resolve("director.pid");
        String java = ProcessHandle.current().info().command().orElseThrow();
        String classPath = String.join(":", location(DirectorUnderExabgp.class), location(Director.class),
                location(IpvsState.class), location(dev.ingresskit.maglev.IpvsMhTable.class));
        String command = java + " -cp " + classPath + " " + DirectorUnderExabgp.class.getName() + " " + config + " "
                + pidFile;
        assertFalse(command.contains("\"") || classPath.contains(" "), "ExaBGP splits its run line at blanks");
        lab.startExabgp("exabgp-child", "127.0.0.2", command, false);
        awaitSources(List.of("d2"), "the child director announces");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        ProcessHandle child = ProcessHandle.of(pid).orElseThrow();

        long start = System.nanoTime();
        assertTrue(child.destroy(), "SIGTERM sent");
        BgpLab.await(Duration.ofSeconds(5), BgpLab.quietly(() -> lab.sources(PREFIX).isEmpty()),
                "withdrawn on SIGTERM\n" + lab.logs());
        long withdrawnMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(child.isAlive(), "the path went while the director still ran (grace)");
        child.onExit().get(20, TimeUnit.SECONDS);
        long exitMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("[bgp] SIGTERM -> withdrawn at the router after " + withdrawnMs + " ms, director exited after "
                + exitMs + " ms (grace 3 s)");
        assertTrue(exitMs - withdrawnMs >= 2000, "exited " + (exitMs - withdrawnMs) + " ms after the withdrawal");
        assertEquals("Established", lab.session("d2"), "a withdrawal, not a session drop");
    }
}
