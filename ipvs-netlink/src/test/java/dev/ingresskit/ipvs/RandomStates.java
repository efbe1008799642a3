package dev.ingresskit.ipvs;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random IPVS states drawn from small pools of keys, so two draws overlap (updates, not only
 * creates and deletes). Every state is one the kernel accepts: mixed-family destinations only with
 * tunnels, GUE with a port, the schedulers the test kernel has.
 */
final class RandomStates {
    private static final String[] SCHEDULERS = {"rr", "wrr", "mh", "sh", "wlc"};

    private RandomStates() {
    }

    static IpvsState draw(SplittableRandom random, int maxServices, int maxDestinations) {
        Map<ServiceKey, VirtualService> services = new LinkedHashMap<>();
        int n = random.nextInt(maxServices + 1);
        for (int i = 0; i < n; i++) {
            Service s = service(random);
            List<Destination> dests = new ArrayList<>();
            Map<DestinationKey, Destination> seen = new LinkedHashMap<>();
            int m = random.nextInt(maxDestinations + 1);
            for (int j = 0; j < m; j++) {
                Destination d = destination(random, s);
                seen.putIfAbsent(d.key(), d);
            }
            dests.addAll(seen.values());
            services.putIfAbsent(s.key(), new VirtualService(s, dests));
        }
        return new IpvsState(new ArrayList<>(services.values()));
    }

    static Service service(SplittableRandom random) {
        Service.Builder b = Service.builder();
        switch (random.nextInt(4)) {
            case 0 -> b.tcp("10.0.0." + (1 + random.nextInt(4)), random.nextBoolean() ? 80 : 443);
            case 1 -> b.udp("2001:db8::" + (1 + random.nextInt(2)), 53);
            case 2 -> b.sctp("10.0.1.1", 3868);
            default -> b.fwmark(random.nextBoolean() ? AddressFamily.INET : AddressFamily.INET6, 1 + random.nextInt(3));
        }
        String sched = SCHEDULERS[random.nextInt(SCHEDULERS.length)];
        b.scheduler(sched);
        if ((sched.equals("mh") || sched.equals("sh")) && random.nextBoolean()) {
            b.schedulerFlags(random.nextBoolean() ? ServiceFlags.SCHED1 | ServiceFlags.SCHED2 : ServiceFlags.SCHED2);
        }
        if (random.nextInt(4) == 0) {
            b.persistent(60 + random.nextInt(600));
            Service probe = b.build();
            b.netmask(probe.family() == AddressFamily.INET ? 16 + random.nextInt(17) : 48 + random.nextInt(81));
        }
        if (random.nextInt(6) == 0) {
            b.onePacket(true);
        }
        return b.build();
    }

    static Destination destination(SplittableRandom random, Service service) {
        boolean v6 = random.nextInt(4) == 0 ? service.family() == AddressFamily.INET : service.family() == AddressFamily.INET6;
        InetAddress address = IpAddresses.parse(v6 ? "2001:db8:1::" + (1 + random.nextInt(3))
                : "10.1.0." + (1 + random.nextInt(6)));
        Destination.Builder b = Destination.builder(address, random.nextBoolean() ? 80 : 8080)
                .weight(random.nextInt(0, 100));
        boolean mixed = AddressFamily.of(address) != service.family();
        int kind = mixed ? 3 + random.nextInt(3) : random.nextInt(6);
        switch (kind) {
            case 0 -> b.forwarding(ForwardingMethod.ROUTE);
            case 1 -> b.forwarding(ForwardingMethod.MASQUERADE);
            case 2 -> b.forwarding(ForwardingMethod.LOCAL);
            case 3 -> b.tunnel(TunnelType.IPIP);
            case 4 -> b.tunnel(TunnelType.GUE).tunnelPort(5555 + random.nextInt(3))
                    .tunnelFlags(random.nextInt(3));
            default -> b.tunnel(TunnelType.GRE).tunnelFlags(random.nextInt(2));
        }
        if (random.nextInt(5) == 0) {
            int lower = random.nextInt(50);
            b.thresholds(lower, lower + random.nextInt(100));
        }
        return b.build();
    }
}
