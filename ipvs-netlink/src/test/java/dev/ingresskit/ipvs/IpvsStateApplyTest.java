package dev.ingresskit.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.genetlink.GenericNetlinkConnection;
import dev.ingresskit.ipvs.netlink.FakeTransport;
import dev.ingresskit.testsupport.Seeds;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link IpvsState#apply}: the state a plan leaves, in the kernel's destination order. */
class IpvsStateApplyTest {
    static LongStream seeds() {
        return Seeds.of("ipvsStateApply", 200);
    }

    private static final Service WEB = Service.builder().tcp("192.0.2.1", 80).scheduler("mh").build();

    private static Destination d(String address, int weight) {
        return Destination.builder(address, 80).weight(weight).build();
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void applyingAPlanYieldsItsTargetAndAgreesWithTheFakeKernel(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        IpvsState from = RandomStates.draw(random, 5, 6);
        IpvsState to = RandomStates.draw(random, 5, 6);
        Plan plan = Plan.between(from, to);
        IpvsState after = from.apply(plan);
        assertEquals(to, after, "the plan's target (equality ignores order)");
        // The fake kernel (list_add_rcu at the head) must hold the same lists in the same order.
        FakeIpvsKernel kernel = new FakeIpvsKernel();
        try (IpvsClient client = new IpvsClient(new GenericNetlinkConnection(new FakeTransport(kernel).connection()))) {
            client.execute(Plan.between(IpvsState.EMPTY, from));
            IpvsState start = IpvsState.EMPTY.apply(Plan.between(IpvsState.EMPTY, from));
            client.execute(plan);
            IpvsState predicted = start.apply(plan);
            var actual = client.state().byKey();
            for (VirtualService v : predicted.services()) {
                assertEquals(v.destinations(), actual.get(v.service().key()).destinations(), v.service().key()::toString);
            }
        }
    }

    @Test
    void createdDestinationsGoFirstUpdatedOnesKeepTheirPlace() {
        IpvsState s = IpvsState.of(new VirtualService(WEB, List.of(d("10.0.0.2", 1), d("10.0.0.1", 1))));
        IpvsState after = s.apply(new Plan(List.of(
                new Change(Change.Kind.UPDATE_DESTINATION, WEB, d("10.0.0.1", 5), d("10.0.0.1", 1)),
                new Change(Change.Kind.CREATE_DESTINATION, WEB, d("10.0.0.3", 1), null),
                new Change(Change.Kind.DELETE_DESTINATION, WEB, d("10.0.0.2", 1), null),
                new Change(Change.Kind.CREATE_DESTINATION, WEB, d("10.0.0.2", 7), null))));
        assertEquals(List.of(d("10.0.0.2", 7), d("10.0.0.3", 1), d("10.0.0.1", 5)),
                after.services().getFirst().destinations());
        assertTrue(s.services().getFirst().destinations().size() == 2, "the original is unchanged");
    }

    @Test
    void changesTheKernelWouldRefuseAreNamed() {
        IpvsState s = IpvsState.of(new VirtualService(WEB, List.of(d("10.0.0.1", 1))));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> s.apply(new Plan(List.of(
                new Change(Change.Kind.CREATE_DESTINATION, WEB, d("10.0.0.1", 1), null)))));
        assertTrue(twice.getMessage().contains("destination exists (EEXIST)"), twice.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> s.apply(new Plan(List.of(
                new Change(Change.Kind.DELETE_DESTINATION, WEB, d("10.0.0.9", 1), null)))));
        assertTrue(missing.getMessage().contains("no such destination (ENOENT)"), missing.getMessage());
        Service other = Service.builder().udp("192.0.2.1", 53).build();
        IllegalStateException noService = assertThrows(IllegalStateException.class, () -> s.apply(new Plan(List.of(
                new Change(Change.Kind.CREATE_DESTINATION, other, d("10.0.0.1", 1), null)))));
        assertTrue(noService.getMessage().contains("no service udp 192.0.2.1:53"), noService.getMessage());
    }

    @Test
    void destinationKeysOrderByFamilyThenAddressThenPort() {
        List<DestinationKey> keys = new java.util.ArrayList<>(List.of(
                new DestinationKey(IpAddresses.parse("2001:db8::1"), 1),
                new DestinationKey(IpAddresses.parse("10.0.0.10"), 80),
                new DestinationKey(IpAddresses.parse("10.0.0.9"), 80),
                new DestinationKey(IpAddresses.parse("200.0.0.1"), 1),
                new DestinationKey(IpAddresses.parse("10.0.0.9"), 79)));
        keys.sort(null);
        assertEquals("[10.0.0.9:79, 10.0.0.9:80, 10.0.0.10:80, 200.0.0.1:1, [2001:db8::1]:1]", keys.toString());
    }

    @Test
    void addressesParseBracketedAndPrintRfc5952() {
        assertEquals("2001:db8::1", IpAddresses.format(IpAddresses.parse("[2001:DB8:0:0:0:0:0:1]")));
        assertEquals("[2001:db8::1]:443", IpAddresses.format(IpAddresses.parse("2001:db8::1"), 443));
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddresses.format(IpAddresses.parse("2001:db8:0:1:1:1:1:1")),
                "RFC 5952 4.2.2: a single zero group is not shortened");
        assertEquals("2001:0:0:1::1", IpAddresses.format(IpAddresses.parse("2001:0:0:1:0:0:0:1")),
                "RFC 5952 4.2.3: the longer run is shortened");
        assertEquals("2001:db8::1:0:0:1", IpAddresses.format(IpAddresses.parse("2001:db8:0:0:1:0:0:1")),
                "RFC 5952 4.2.3: of equal runs, the first");
        for (String bad : List.of("example.com", "[10.0.0.1]", "10.0.0.256", "::ffff:10.0.0.1", "[]", "1.2.3")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpAddresses.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
