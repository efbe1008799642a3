package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.HealthCheckConfig.Kind;
import dev.ingresskit.director.ServiceConfig.Forwarding;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.Protocol;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {
    private static final String GOOD = """
            # a director
            http 127.0.0.1:9999
            drain 45s
            check-threads 8
            mh-table-size 251

            service web tcp 192.0.2.1:443     # the VIP
              scheduler mh mh-port mh-fallback
              tunnel gue port 6080 csum remcsum
              check http port 8080 path /healthz expect 204 interval 3s timeout 500ms rise 4 fall 5 source 127.0.0.1
              backend 127.0.0.11 port 8443 weight 3
              backend 127.0.0.12

            service dns udp [2001:db8::53]:53
              forward route
              check none
              backend 2001:db8::1 weight 0

            service marked fwmark 7 inet6
              scheduler wrr
              tunnel gre csum
              check tcp port 22
              backend 127.0.0.21
            """;

    @Test
    void readsEverySetting() throws Exception {
        DirectorConfig c = ConfigParser.parse(GOOD, "good.conf");
        assertEquals(9999, c.http().getPort());
        assertEquals(InetAddress.getByName("127.0.0.1"), c.http().getAddress());
        assertEquals(Duration.ofSeconds(45), c.drain());
        assertEquals(8, c.checkThreads());
        assertEquals(251, c.mhTableSize());
        assertEquals(3, c.services().size());
        assertEquals(4, c.backendCount());

        ServiceConfig web = c.services().get(0);
        assertEquals("web", web.name());
        assertEquals(7, web.line());
        assertEquals(Protocol.TCP, web.service().protocol());
        assertEquals(InetAddress.getByName("192.0.2.1"), web.vip());
        assertEquals(443, web.port());
        assertEquals("mh", web.scheduler());
        assertTrue(web.mhPort());
        assertTrue(web.mhFallback());
        assertEquals(new Forwarding(ForwardingMethod.TUNNEL, TunnelType.GUE, 6080,
                new TunnelFlags(TunnelFlags.CSUM | TunnelFlags.REMCSUM)), web.forwarding());
        HealthCheckConfig check = web.check();
        assertEquals(Kind.HTTP, check.kind());
        assertEquals(8080, check.port());
        assertEquals("/healthz", check.path());
        assertEquals(204, check.expect());
        assertEquals(Duration.ofSeconds(3), check.interval());
        assertEquals(Duration.ofMillis(500), check.timeout());
        assertEquals(4, check.rise());
        assertEquals(5, check.fall());
        assertEquals(InetAddress.getByName("127.0.0.1"), check.source());
        assertEquals(new BackendConfig(InetAddress.getByName("127.0.0.11"), 8443, 3, 11), web.backends().get(0));
        assertEquals(new BackendConfig(InetAddress.getByName("127.0.0.12"), 443, 1, 12), web.backends().get(1));
        assertEquals(443, web.ipvsPort(web.backends().get(0).port()), "tunnel: IPVS stores the service port");
        assertEquals("tcp 192.0.2.1:443", web.identity());

        ServiceConfig dns = c.services().get(1);
        assertEquals(Protocol.UDP, dns.service().protocol());
        assertTrue(dns.ipv6());
        assertEquals(Forwarding.ROUTE, dns.forwarding());
        assertEquals(Kind.NONE, dns.check().kind());
        assertEquals(0, dns.backends().get(0).weight());

        ServiceConfig marked = c.services().get(2);
        assertTrue(marked.isFwmark());
        assertEquals(7, marked.service().fwmark());
        assertTrue(marked.ipv6());
        assertEquals("wrr", marked.scheduler());
        assertFalse(marked.mhPort());
        assertEquals(new Forwarding(ForwardingMethod.TUNNEL, TunnelType.GRE, 0, new TunnelFlags(TunnelFlags.CSUM)),
                marked.forwarding());
        assertEquals(22, marked.check().portFor(marked.backends().get(0)));
        assertEquals("fwmark 7 inet6", marked.identity());
    }

    @Test
    void defaultsAreDocumented() throws Exception {
        DirectorConfig c = ConfigParser.parse("service a tcp 192.0.2.1:80\nbackend 127.0.0.2\n", "d.conf");
        assertEquals(9180, c.http().getPort());
        assertTrue(c.http().getAddress().isLoopbackAddress());
        assertEquals(Duration.ofSeconds(30), c.drain());
        assertEquals(32, c.checkThreads());
        assertEquals(4093, c.mhTableSize());
        ServiceConfig a = c.services().getFirst();
        assertEquals("mh", a.scheduler());
        assertEquals(Forwarding.ROUTE, a.forwarding());
        assertEquals(HealthCheckConfig.DEFAULT, a.check());
        assertEquals(Kind.TCP, a.check().kind());
        assertEquals(Duration.ofSeconds(2), a.check().interval());
        assertEquals(Duration.ofSeconds(1), a.check().timeout());
        assertEquals(2, a.check().rise());
        assertEquals(3, a.check().fall());
        assertEquals(80, a.backends().getFirst().port());
        assertEquals(1, a.backends().getFirst().weight());
    }

    @Test
    void theSampleConfigParses() throws Exception {
        Path sample = Path.of(System.getProperty("ingresskit.project.root", ".."), "examples", "director.conf");
        if (!Files.exists(sample)) {
            sample = Path.of("director.conf");
        }
        DirectorConfig c = ConfigParser.parse(sample);
        assertFalse(c.services().isEmpty());
        for (ServiceConfig s : c.services()) {
            for (BackendConfig b : s.backends()) {
                assertTrue(b.address().isLoopbackAddress(), "sample backends must be loopback: " + b);
            }
        }
        assertTrue(c.http().getAddress().isLoopbackAddress());
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "drain 5s\nservice x tcp 192.0.2.1:80\n  backend 127.0.0.1 weight lots\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(file));
        assertEquals(file.toString(), e.source());
        assertEquals(3, e.line());
        assertEquals("backend weight", e.field());
        assertEquals(file + ":3: backend weight: 'lots' is not a number", e.getMessage());
        Files.write(file, new byte[] {(byte) 0xC3, 0x28});
        ConfigException utf = assertThrows(ConfigException.class, () -> ConfigParser.parse(file));
        assertEquals("file", utf.field());
    }

    /** Each bad input: the line of the config (after a valid prefix), the line number, the field and a word of the problem. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            frobnicate 1                                   | 1 | frobnicate           | unknown keyword
            http localhost:80                              | 1 | http                 | not an IP address
            http 127.0.0.1                                 | 1 | http                 | IP:PORT
            http 127.0.0.1:99999                           | 1 | http port            | 0..65535
            drain 10                                       | 1 | drain                | not a duration
            drain 30d                                      | 1 | drain                | not a duration
            drain                                          | 1 | drain                | missing value
            check-threads 0                                | 1 | check-threads        | 1..10000
            mh-table-size 4096                             | 1 | mh-table-size        | table size
            service                                        | 1 | service              | missing value
            service b@d tcp 192.0.2.1:80                   | 1 | service name         | not a name
            service x icmp 192.0.2.1:80                    | 1 | service protocol     | expected tcp
            service x tcp 192.0.2.1:0                      | 1 | service address      | port 0
            service x tcp 192.0.2.300:80                   | 1 | service address      | not an IPv4
            service x tcp 2001:db8::1:80                   | 1 | service address      | [addr]:port
            service x fwmark 0                             | 1 | service fwmark       | 1..4294967295
            service x fwmark 5 ipx                         | 1 | service family       | inet or inet6
            service x tcp 192.0.2.1:80 extra               | 1 | service              | unexpected 'extra'
            backend 127.0.0.1                              | 1 | backend              | outside a service
            """)
    void topLevelErrors(String line, int lineNumber, String field, String problem) {
        assertError(line + "\n", lineNumber, field, problem);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            drain 5s                                       | 3 | drain                | before the first service
            service web tcp 192.0.2.9:80                   | 3 | service name         | already used on line 1
            service other tcp 192.0.2.1:443                | 3 | service              | already defined on line 1
            scheduler mh                                   | 3 | scheduler            | before the service's backend lines
            tunnel ipip                                    | 3 | tunnel               | before the service's backend lines
            backend 127.0.0.2 port 0                       | 3 | backend port         | 1..65535
            backend 127.0.0.2 weight 70000                 | 3 | backend weight       | 0..65535
            backend 127.0.0.2 weight -1                    | 3 | backend weight       | not a number
            backend 127.0.0.2 weight                       | 3 | backend weight       | missing value
            backend 127.0.0.2 colour red                   | 3 | backend              | unknown option 'colour'
            backend 127.0.0.2 weight 1 weight 2            | 3 | backend weight       | given twice
            backend 127.0.0.1                              | 3 | backend              | already a backend of 'web' (line 2)
            backend 127.0.0.1 port 8080                    | 3 | backend              | service port
            backend 2001:db8::1                            | 3 | backend address      | mixes families only for tunnel
            backend 224.0.0.1                              | 3 | backend address      | not a unicast
            backend 0.0.0.0                                | 3 | backend address      | not a unicast
            backend example.com                            | 3 | backend address      | names are not resolved
            """)
    void errorsInsideAService(String line, int lineNumber, String field, String problem) {
        assertError("service web tcp 192.0.2.1:443\n  backend 127.0.0.1\n  " + line + "\n", lineNumber, field, problem);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            scheduler MH                                   | scheduler            | not a scheduler name
            scheduler rr mh-port                           | scheduler mh-port    | only for scheduler mh
            scheduler mh mh-sideways                       | scheduler            | unknown flag
            forward tunnel                                 | forward              | use a 'tunnel
            forward nat                                    | forward              | expected route or masq
            tunnel vxlan                                   | tunnel               | expected ipip, gue or gre
            tunnel gue                                     | tunnel port          | needs 'port N'
            tunnel gue port 70000                          | tunnel port          | 1..65535
            tunnel ipip port 6080                          | tunnel port          | only gue
            tunnel ipip csum                               | tunnel csum          | no checksum
            tunnel gre remcsum                             | tunnel remcsum       | gue option
            tunnel gue port 6080 fast                      | tunnel               | unknown option 'fast'
            check icmp                                     | check                | expected tcp, http or none
            check none interval 1s                         | check interval       | takes no options
            check tcp path /x                              | check path           | only for 'check http'
            check http path healthz                        | check path           | not a path
            check http expect 99                           | check expect         | 100..599
            check tcp interval 0s                          | check interval       | longer than 0
            check tcp interval 1s timeout 2s               | check timeout        | longer than the interval
            check tcp rise 0                               | check rise           | 1..100
            check tcp fall 101                             | check fall           | 1..100
            check tcp source nowhere                       | check source         | not an IP address
            check tcp port 1 port 2                        | check port           | given twice
            check tcp colour red                           | check                | unknown option 'colour'
            check http host bad/host                       | check host           | not a host name
            """)
    void errorsInServiceSettings(String line, String field, String problem) {
        assertError("service web tcp 192.0.2.1:443\n" + line + "\n", 2, field, problem);
    }

    @Test
    void crossLineRules() {
        assertError("service w tcp 192.0.2.1:80\ntunnel ipip\nforward route\n", 3, "forward", "tunnel line already");
        assertError("service w tcp 192.0.2.1:80\nforward masq\ntunnel ipip\n", 3, "tunnel", "forward line already");
        assertError("service w tcp 192.0.2.1:80\ncheck tcp source 127.0.0.1\nbackend ::1\n", 3, "backend address",
                "IPv6");
        assertError("service w tcp 192.0.2.1:80\ntunnel ipip\ncheck tcp source 127.0.0.1\nbackend ::1\n", 4,
                "backend address", "other family");
        assertError("service w fwmark 9\nbackend 127.0.0.2\n", 2, "backend port", "fwmark service has no port");
        assertError("x\n\n\tservice w tcp 192.0.2.1:80 # ok\n", 1, "x", "unknown keyword");
        assertError("\n# c\nservice w tcp 192.0.2.1:80\nbackend 127.0.0.1\u0007\n", 4, "line", "control character");
    }

    @Test
    void allowedCombinations() throws Exception {
        // masq keys backends by their own port, so one address may serve two ports
        DirectorConfig c = ConfigParser.parse("service w tcp 192.0.2.1:80\nforward masq\nbackend 127.0.0.1 port 81\n"
                + "backend 127.0.0.1 port 82\n", "m.conf");
        assertEquals(82, c.services().getFirst().ipvsPort(c.services().getFirst().backends().get(1).port()));
        // tunnels may carry IPv4 VIP traffic to IPv6 backends
        ConfigParser.parse("service w tcp 192.0.2.1:80\ntunnel ipip\nbackend ::1\n", "t.conf");
        // fwmark with a check port needs no backend port; http binds to any address if asked
        DirectorConfig f = ConfigParser.parse("http 0.0.0.0:9000\nservice w fwmark 9\ncheck tcp port 22\n"
                + "backend 127.0.0.2\n", "f.conf");
        assertTrue(f.http().getAddress().isAnyLocalAddress());
        assertEquals(22, f.services().getFirst().check().portFor(f.services().getFirst().backends().getFirst()));
        DirectorConfig empty = ConfigParser.parse("# nothing\n\n", "e.conf");
        assertTrue(empty.services().isEmpty());
    }

    @Test
    void bracketedIpv6BackendsAreAcceptedAndPortsPointedToTheirOption() throws Exception {
        DirectorConfig c = ConfigParser.parse("service w tcp [2001:db8::10]:443\nbackend [2001:db8::1] weight 2\n",
                "b.conf");
        assertEquals(InetAddress.getByName("2001:db8::1"), c.services().getFirst().backends().getFirst().address());
        assertEquals("[2001:db8::1]:443", c.services().getFirst().backends().getFirst().endpoint());
        assertError("service w tcp [2001:db8::10]:443\nbackend [2001:db8::1]:8443\n", 2, "backend address",
                "write the port as 'port N' (backend [2001:db8::1] port 8443)");
        assertError("service w tcp 192.0.2.1:80\nbackend [192.0.2.2]\n", 2, "backend address",
                "brackets are for IPv6 addresses only");
        assertError("service w tcp 192.0.2.1:80\nbackend 192.0.2.300\n", 2, "backend address",
                "not an IPv4 address (300 > 255)");
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) {
        ConfigException directory = assertThrows(ConfigException.class, () -> ConfigParser.parse(dir));
        assertEquals(dir + ":0: file: is a directory, not a config file", directory.getMessage());
        Path missing = dir.resolve("nope.conf");
        ConfigException absent = assertThrows(ConfigException.class, () -> ConfigParser.parse(missing));
        assertEquals(missing + ":0: file: no such file", absent.getMessage());
    }

    @Test
    void backendsFromASourceAreKeptForTheSourceToCheck() throws Exception {
        DirectorConfig c = ConfigParser.parse("service w tcp 192.0.2.1:80\ncheck none\n"
                + "backends from kubernetes default/web port https\n", "k.conf");
        ServiceConfig w = c.services().getFirst();
        assertEquals(new BackendQuery("kubernetes", java.util.List.of("default/web", "port", "https"), 3),
                w.discovery());
        assertTrue(w.backends().isEmpty());
        assertError("service w tcp 192.0.2.1:80\nbackend 127.0.0.2\nbackends from k8s x\n", 3, "backends from",
                "already has backend lines (line 2)");
        assertError("service w tcp 192.0.2.1:80\nbackends from k8s x\nbackend 127.0.0.2\n", 3, "backend",
                "takes its backends from line 2");
        assertError("service w tcp 192.0.2.1:80\nbackends from k8s x\nbackends from k8s y\n", 3, "backends from",
                "given twice");
        assertError("service w tcp 192.0.2.1:80\nbackends k8s x\n", 2, "backends", "expected 'backends from KIND");
        assertError("service w tcp 192.0.2.1:80\nbackends from\n", 2, "backends from", "missing value");
        assertError("service w tcp 192.0.2.1:80\nbackends from k8s\ncheck none\n", 3, "check",
                "before the service's backend lines");
    }

    @Test
    void ipvsNetlinkValidationBecomesALineError() {
        // ipvs-netlink's Service refuses a scheduler name longer than the kernel's 15 bytes
        assertError("service w tcp 192.0.2.1:80\nscheduler abcdefghijklmnop\n", 2, "scheduler",
                "scheduler name must be 1..15 bytes");
    }

    private static void assertError(String text, int line, String field, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(text, "t.conf"),
                () -> "no error for:\n" + text);
        assertEquals(line, e.line(), e::getMessage);
        assertEquals(field, e.field(), e::getMessage);
        assertTrue(e.problem().contains(problem), () -> "'" + e.problem() + "' lacks '" + problem + "'");
        assertTrue(e.getMessage().startsWith("t.conf:" + line + ": " + field + ": "), e::getMessage);
    }
}
