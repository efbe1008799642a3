package dev.ingresskit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.maglev.FlowHash;
import dev.ingresskit.maglev.MaglevTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ingresskit maglev}, run through Main as the jar runs it. */
class MaglevCommandTest {
    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void summary() {
        Result r = run("maglev", "--table-size", "65537", "--backend", "a", "--backend", "b=1", "--backend", "c=2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.lines();
        assertEquals("table size (M)   65537", lines.get(1));
        assertEquals("backends (N)     3 (3 own slots)", lines.get(2));
        // exact shares 16384.25, 16384.25, 32768.5 -> 16384, 16384, 32769
        assertEquals("entries min/max  16384/32769", lines.get(3));
        assertTrue(lines.get(4).startsWith("max/mean         1.5000"), lines.get(4));
        assertEquals("  c weight 2 entries 32769 (50.001%)", lines.get(7));
    }

    @Test
    void dumpPrintsEverySlot() {
        Result r = run("maglev", "--table-size", "7", "--backend", "a", "--backend", "b", "--dump");
        assertEquals(0, r.code(), r.err());
        MaglevTable t = MaglevTable.builder().tableSize(7).add("a", 1).add("b", 1).build();
        assertEquals(7, r.lines().size());
        for (int s = 0; s < 7; s++) {
            assertEquals(s + " " + t.backend(t.ownerOfSlot(s)).name(), r.lines().get(s));
        }
    }

    @Test
    void lookupHashesAddressAndPort() throws Exception {
        Result r = run("maglev", "--backend", "a", "--backend", "b", "--backend", "c",
                "--lookup", "198.51.100.7:40000", "--lookup", "[2001:db8::1]:443");
        assertEquals(0, r.code(), r.err());
        MaglevTable t = MaglevTable.builder().add("a", 1).add("b", 1).add("c", 1).build();
        assertEquals(List.of(
                "198.51.100.7:40000 " + t.lookup(FlowHash.ipv4(0xC6336407, 40000)).name(),
                "[2001:db8::1]:443 " + t.lookup(FlowHash.addressPort(InetAddress.getByName("2001:db8::1"), 443)).name()),
                r.lines());
    }

    /** The hand-worked ip_vs_mh case of IpvsMhTableTest in the maglev module. */
    @Test
    void ipvsMhDumpAndLookups() {
        Result dump = run("maglev", "--ipvs-mh", "--table-size", "251",
                "--backend", "10.0.0.1:80", "--backend", "10.0.0.2:80", "--backend", "10.0.0.3:80", "--dump");
        assertEquals(0, dump.code(), dump.err());
        assertEquals(251, dump.lines().size());
        assertEquals("80 10.0.0.3:80", dump.lines().get(80));
        assertEquals("26 10.0.0.2:80", dump.lines().get(26));
        assertEquals("226 10.0.0.1:80", dump.lines().get(226));
        assertEquals("30 10.0.0.1:80", dump.lines().get(30));
        Result lookups = run("maglev", "--ipvs-mh", "--table-size", "251",
                "--backend", "10.0.0.1:80", "--backend", "10.0.0.2:80", "--backend", "10.0.0.3:80",
                "--lookup", "192.168.1.1:40000", "--lookup", "192.168.1.1:20");
        assertEquals(List.of("192.168.1.1:40000 10.0.0.1:80", "192.168.1.1:20 -"), lookups.lines());
    }

    @Test
    void ipvsMhSummary() {
        Result r = run("maglev", "--ipvs-mh", "--mh-port", "--backend", "10.0.0.1:80=1000", "--backend", "10.0.0.2:80=1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("table size (M)   4093\n"), r.out());
        assertTrue(r.out().contains("flags            mh-port\n"), r.out());
        assertTrue(r.out().contains("gcd/rshift       1/4\n"), r.out());
        assertTrue(r.out().contains("  10.0.0.1:80 weight 1000 turns 62 entries 4028"), r.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "maglev",
        "maglev --backend a --table-size 65536",
        "maglev --backend a --table-size x",
        "maglev --backend a=x",
        "maglev --backend a=-1",
        "maglev --backend =1",
        "maglev --backend a --backend a",
        "maglev --backend a=0",
        "maglev --backend a --mh-port",
        "maglev --backend a --lookup 10.0.0.1",
        "maglev --backend a --lookup host:80",
        "maglev --backend a stray",
        "maglev --ipvs-mh --backend a",
        "maglev --ipvs-mh --backend 10.0.0.1:80 --table-size 4099",
        "maglev --ipvs-mh --backend 10.0.0.1:80 --lookup [2001:db8::1]:80",
        "maglev --table-size 3 --backend a --backend b --backend c --backend d",
    })
    void badArgumentsAreOneLineAndExitTwo(String commandLine) {
        Result r = run(commandLine.split(" "));
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ingresskit maglev: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void nonPrimeMessageSuggestsPrimes() {
        Result r = run("maglev", "--backend", "a", "--table-size", "65536");
        assertEquals("ingresskit maglev: table size 65536 is not prime; nearest primes: 65521 and 65537\n", r.err());
    }

    @Test
    void helpExitsZero() {
        Result r = run("maglev", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--ipvs-mh"), r.out());
    }
}
