package dev.ingresskit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.genetlink.GenericNetlinkConnection;
import dev.ingresskit.ipvs.netlink.FakeTransport;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import dev.ingresskit.testsupport.ReadmeSnippet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's usage snippet is this code, and it runs (against the fake kernel on the host). */
class ReadmeTest {
    static String usage(IpvsClient ipvs) throws NetlinkException {
        // snippet: usage
        Service web = Service.builder()
                .tcp("192.0.2.10", 443)
                .scheduler("mh")
                .schedulerFlags(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT)
                .build();
        IpvsState desired = IpvsState.of(VirtualService.of(web,
                Destination.builder("10.0.0.1", 443).tunnel(TunnelType.GUE).tunnelPort(6080).weight(10).build(),
                Destination.builder("10.0.0.2", 443).tunnel(TunnelType.GUE).tunnelPort(6080).weight(10).build()));

        Plan plan = ipvs.plan(desired);          // what would change; touches nothing
        System.out.print(plan);
        ApplyResult result = ipvs.apply(desired); // one dump, then the minimal commands, pipelined

        for (ServiceStatus s : ipvs.services()) { // all services in ONE dump
            System.out.println(s.service() + " conns=" + s.stats().connections());
            for (DestinationStatus d : ipvs.destinations(s.service().key())) {
                System.out.println("  -> " + d.destination() + " active=" + d.activeConnections());
            }
        }
        // end snippet
        return result.toString();
    }

    @Test
    void snippetIsInSyncAndRuns() throws NetlinkException {
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/ipvs/ReadmeTest.java", "usage");
        FakeIpvsKernel kernel = new FakeIpvsKernel();
        try (IpvsClient ipvs = new IpvsClient(new GenericNetlinkConnection(new FakeTransport(kernel).connection()))) {
            assertEquals("applied 3 of 3 change(s)", usage(ipvs));
            assertTrue(ipvs.plan(ipvs.state()).isEmpty());
            assertEquals(List.of(), ipvs.plan(ipvs.state()).changes());
        }
    }
}
