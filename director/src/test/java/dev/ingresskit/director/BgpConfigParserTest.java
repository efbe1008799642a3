package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.IpvsState;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code bgp} and {@code announce} statements (director/README.md, "Announcing VIPs over BGP"). */
class BgpConfigParserTest {
    private static final String GOOD = """
            bgp speaker bird /etc/bird/ingresskit-vips.conf /run/bird/bird.ctl
            bgp local-as 65001
            bgp grace 15s
            bgp hold-down 20s
            service web tcp 192.0.2.10:443
              announce min-healthy 2 community 65000:100 community 65000:200 med 50 prepend 1
              backend 192.0.2.21
            service plain tcp 192.0.2.10:80
              announce min-healthy 1 community 65000:100 community 65000:200 med 50 prepend 1
              backend 192.0.2.21
            service quiet tcp 192.0.2.11:80
              backend 192.0.2.22
            """;

    @Test
    void readsEveryStatement() throws Exception {
        DirectorConfig c = ConfigParser.parse(GOOD, "good.conf");
        BgpConfig bgp = c.bgp();
        assertEquals(BgpConfig.Speaker.BIRD, bgp.speaker());
        assertEquals(Path.of("/etc/bird/ingresskit-vips.conf"), bgp.birdFile());
        assertEquals(Path.of("/run/bird/bird.ctl"), bgp.birdSocket());
        assertEquals(65001, bgp.localAs());
        assertEquals(Duration.ofSeconds(15), bgp.grace());
        assertEquals(Duration.ofSeconds(20), bgp.holdDown());
        AnnounceConfig a = c.service("web").orElseThrow().announce();
        assertEquals(new AnnounceConfig(2, List.of(new Community(65000, 100), new Community(65000, 200)),
                OptionalLong.of(50), 1), a);
        assertEquals("192.0.2.10/32", a.route(InetAddress.getByName("192.0.2.10")).prefix());
        assertNull(c.service("quiet").orElseThrow().announce());
    }

    @Test
    void defaults() throws Exception {
        DirectorConfig c = ConfigParser.parse("bgp speaker exabgp\nservice w tcp 192.0.2.10:80\n announce\n"
                + " backend 192.0.2.21\n", "t.conf");
        assertEquals(new BgpConfig(BgpConfig.Speaker.EXABGP, null, null, 0, Duration.ofSeconds(10),
                Duration.ofSeconds(10)), c.bgp());
        assertEquals(AnnounceConfig.DEFAULT, c.services().getFirst().announce());
        assertNull(ConfigParser.parse("service w tcp 192.0.2.10:80\n backend 192.0.2.21\n", "t.conf").bgp());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "bgp speaker gobgp | 1 | bgp speaker | 'gobgp' (expected exabgp, or bird FILE SOCKET)",
        "bgp speaker bird /etc/bird/v.conf | 1 | bgp speaker socket | missing value",
        "bgp speaker bird etc/v.conf /run/bird.ctl | 1 | bgp speaker file | not an absolute path",
        "bgp local-as 0 | 1 | bgp local-as | is not 1..4294967295",
        "bgp local-as 4294967296 | 1 | bgp local-as | is not 1..4294967295",
        "bgp grace soon | 1 | bgp grace | is not a duration",
        "bgp hold-down | 1 | bgp hold-down | missing value",
        "bgp neighbor 192.0.2.1 | 1 | bgp | 'neighbor' (expected speaker, local-as, grace or hold-down)",
        "bgp local-as 65001 | 1 | bgp | need a 'bgp speaker exabgp' or 'bgp speaker bird FILE SOCKET'",
    })
    void badBgpLines(String text, int line, String field, String problem) {
        assertError(text + "\n", line, field, problem);
    }

    @Test
    void bgpLinesAreGlobalAndOnce() {
        assertError("bgp speaker exabgp\nbgp speaker exabgp\n", 2, "bgp speaker", "given twice");
        assertError("service w tcp 192.0.2.10:80\n backend 192.0.2.21\nbgp speaker exabgp\n", 3, "bgp speaker",
                "global settings go before the first service");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "announce min-healthy 0 | announce min-healthy | is not 1..1000000",
        "announce community 65536:1 | announce community | '65536:1' is not ASN:VALUE",
        "announce community x | announce community | 'x' is not ASN:VALUE",
        "announce med -1 | announce med | is not a number",
        "announce med 4294967296 | announce med | is not 0..4294967295",
        "announce prepend 17 | announce prepend | is not 0..16",
        "announce med 1 med 2 | announce med | given twice",
        "announce weight 3 | announce | 'weight' (expected min-healthy N, community ASN:VALUE, med N or prepend N)",
    })
    void badAnnounceLines(String announce, String field, String problem) {
        assertError("bgp speaker exabgp\nbgp local-as 65001\nservice w tcp 192.0.2.10:80\n " + announce
                + "\n backend 192.0.2.21\n", 4, field, problem);
    }

    @Test
    void crossLineRules() {
        assertError("bgp speaker exabgp\nservice w tcp 192.0.2.10:80\n announce prepend 2\n backend 192.0.2.21\n",
                3, "announce prepend", "add a global 'bgp local-as N' line");
        assertError("bgp speaker exabgp\nservice m fwmark 7\n announce\n backend 192.0.2.21\n", 3, "announce",
                "a fwmark service has no single VIP to announce");
        assertError("service w tcp 192.0.2.10:80\n backend 192.0.2.21\n announce\n", 3, "announce",
                "put it before the service's backend lines");
        assertError("""
                bgp speaker exabgp
                service a tcp 192.0.2.10:80
                  announce med 10
                  backend 192.0.2.21
                service b tcp 192.0.2.10:443
                  announce med 20
                  backend 192.0.2.21
                """, 6, "announce", "service 'a' (line 3) announces the same VIP with other attributes");
    }

    @Test
    void announceWithoutAnySpeakerIsRefusedWhenTheDirectorIsBuiltForReal() throws Exception {
        DirectorConfig c = ConfigParser.parse("service w tcp 192.0.2.10:80\n announce\n backend 192.0.2.21\n",
                "t.conf");
        Kernel notDry = new Kernel() {
            @Override
            public IpvsState state() {
                return IpvsState.EMPTY;
            }

            @Override
            public dev.ingresskit.ipvs.ApplyResult execute(dev.ingresskit.ipvs.Plan plan) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean dryRun() {
                return false;
            }

            @Override
            public void close() {
            }
        };
        ConfigException e = assertThrows(ConfigException.class, () -> Director.builder(c).kernel(notDry).build());
        assertEquals(1, e.line(), "the line of the service that announces");
        assertTrue(e.problem().contains("no speaker is set"), e.getMessage());
        // A dry run may show what it would announce without one.
        try (Director d = Director.builder(c).kernel(Kernel.model(IpvsState.EMPTY)).build()) {
            d.reconcile();
            assertEquals(1, d.vipStates().size());
        }
    }

    private static void assertError(String text, int line, String field, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(text, "t.conf"),
                () -> "no error for:\n" + text);
        assertEquals(line, e.line(), e::getMessage);
        assertEquals(field, e.field(), e::getMessage);
        assertTrue(e.problem().contains(problem), () -> "'" + e.problem() + "' lacks '" + problem + "'");
    }
}
