package dev.ingresskit.bench.ipvs;

import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsRequests;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;
import dev.ingresskit.ipvs.netlink.NetlinkRequest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building and encoding one IPVS request (what {@code apply} does per change before it goes into a
 * batch datagram): a GUE destination and an {@code mh} service.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IpvsRequestEncodeBenchmark {
    private final IpvsRequests requests = IpvsRequests.dryRun();
    private final Service service = Service.builder().tcp("192.0.2.10", 443).scheduler("mh")
            .schedulerFlags(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT).build();
    private final Destination destination = Destination.builder("10.0.0.1", 443).tunnel(TunnelType.GUE)
            .tunnelPort(6080).tunnelFlags(TunnelFlags.CSUM).weight(10).build();
    private int sequence;

    @Benchmark
    public byte[] createDestination() {
        NetlinkRequest r = requests.createDestination(service.key(), destination);
        return IpvsRequests.encode(r, ++sequence);
    }

    @Benchmark
    public byte[] createService() {
        return IpvsRequests.encode(requests.createService(service), ++sequence);
    }
}
