package dev.ingresskit.maglev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.ReadmeSnippet;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's snippets, compiled and run here; ReadmeSnippet keeps the two identical. */
class ReadmeTest {
    private static final String SOURCE = "src/test/java/dev/ingresskit/maglev/ReadmeTest.java";

    @Test
    void maglevSnippet() throws Exception {
        // snippet: maglev
        MaglevTable table = MaglevTable.builder()
                .tableSize(65_537)                 // prime; the builder suggests primes otherwise
                .add("10.0.0.1:80", 1)
                .add("10.0.0.2:80", 1)
                .add("10.0.0.3:80", 2)             // twice the slots of the others
                .build();

        long flow = FlowHash.fiveTuple(InetAddress.getByName("198.51.100.7"), 40_000,
                InetAddress.getByName("192.0.2.1"), 443, 6);
        Backend backend = table.lookup(flow);      // allocation-free

        MaglevTable drained = table.toBuilder().weight("10.0.0.1:80", 0).build();
        Disruption d = drained.disruption(table);  // d.movedNeedlessly(), d.movedBecauseLeft()
        // end snippet
        assertEquals(65_537, table.size());
        assertTrue(table.backends().contains(backend));
        assertEquals(16_384, table.entries(table.indexOf("10.0.0.1:80")), "1/4 of 65537, rounded");
        assertEquals(0, drained.entries(drained.indexOf("10.0.0.1:80")));
        assertEquals(table.entries(0), d.movedBecauseLeft());
        ReadmeSnippet.assertInSync("README.md", SOURCE, "maglev");
    }

    @Test
    void ipvsMhSnippet() throws Exception {
        // snippet: ipvs-mh
        // The destinations in the order they were added to the kernel (ipvsadm -a ...), oldest first.
        IpvsMhTable kernel = IpvsMhTable.builder()
                .tableSize(IpvsMhTable.DEFAULT_TABLE_SIZE)  // 4093, CONFIG_IP_VS_MH_TAB_INDEX=12
                .mhPort(true)                               // ipvsadm -b mh-port
                .add("10.0.0.1:80", 1)
                .add("10.0.0.2:80", 1)
                .add("10.0.0.3:80", 2)
                .build();

        Optional<IpvsMhDestination> chosen = kernel.lookup(InetAddress.getByName("198.51.100.7"), 40_000);
        chosen.ifPresent(dest -> System.out.println("the kernel sends it to " + dest.key()));
        // end snippet
        assertTrue(chosen.isPresent());
        assertEquals(kernel.destinationAt(kernel.slot(InetAddress.getByName("198.51.100.7"), 40_000)), chosen);
        ReadmeSnippet.assertInSync("README.md", SOURCE, "ipvs-mh");
    }
}
