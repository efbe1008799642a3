package dev.ingresskit.ipvs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ipvsadm comparison, run inside the kernel-test VM (it needs IPVS): builds N services with M
 * destinations each, then times, on the same kernel, (1) {@code ipvsadm -R} restoring that
 * configuration and {@code ipvsadm -Sn} saving it, (2) {@link IpvsClient#apply} creating it and
 * {@link IpvsClient#state()} listing it. Wall-clock, one run each after one warm-up round, the
 * configuration flushed between. A measurement tool, not a test: see bench/README.md (ipvs section)
 * for the command and the recorded figures.
 */
public final class IpvsVmBenchmark {
    private IpvsVmBenchmark() {
    }

    /** N TCP services 10.x.y.z:80 (rr) with M direct-routing destinations each. */
    static IpvsState config(int services, int destinations) {
        List<VirtualService> out = new ArrayList<>(services);
        for (int i = 0; i < services; i++) {
            Service s = Service.builder().address(Protocol.TCP, IpAddresses.parse(
                    "10." + (100 + i / 65536) + "." + ((i / 256) % 256) + "." + (i % 256)), 80).scheduler("rr").build();
            List<Destination> ds = new ArrayList<>(destinations);
            for (int j = 0; j < destinations; j++) {
                ds.add(Destination.builder(IpAddresses.parse("172.16." + (j / 256) + "." + (1 + j % 250)), 80)
                        .weight(1 + j).build());
            }
            out.add(new VirtualService(s, ds));
        }
        return new IpvsState(out);
    }

    static String restoreFile(IpvsState state) {
        StringBuilder text = new StringBuilder();
        for (VirtualService s : state.services()) {
            String key = s.service().address().getHostAddress() + ":" + s.service().port();
            text.append("-A -t ").append(key).append(" -s rr\n");
            for (Destination d : s.destinations()) {
                text.append("-a -t ").append(key).append(" -r ").append(d.address().getHostAddress()).append(':')
                        .append(d.port()).append(" -g -w ").append(d.weight()).append('\n');
            }
        }
        return text.toString();
    }

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int destinations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        IpvsState state = config(services, destinations);
        Path file = Files.createTempFile("ipvs-restore", ".txt");
        Files.writeString(file, restoreFile(state));
        System.out.printf("config: %d services x %d destinations = %d commands%n", services, destinations,
                services * (1 + destinations));
        try (IpvsClient ipvs = IpvsClient.open()) {
            for (int round = 1; round <= rounds; round++) {
                ipvs.flush();
                long t0 = System.nanoTime();
                sh("ipvsadm -R < " + file);
                long t1 = System.nanoTime();
                sh("ipvsadm -Sn > /dev/null");
                long t2 = System.nanoTime();
                int seen = ipvs.services().size();
                ipvs.flush();
                long t3 = System.nanoTime();
                ApplyResult r = ipvs.apply(state);
                long t4 = System.nanoTime();
                IpvsState read = ipvs.state();
                long t5 = System.nanoTime();
                int dests = read.services().stream().mapToInt(s -> s.destinations().size()).sum();
                ipvs.flush();
                System.out.printf("round %d: ipvsadm -R %.2f s, ipvsadm -Sn %.2f s (%d services) | "
                        + "apply %.2f s (%d changes), state() %.2f s (%d services, %d destinations) | "
                        + "create ratio %.2f, list ratio %.2f%n", round, sec(t1 - t0), sec(t2 - t1), seen,
                        sec(t4 - t3), r.applied().size(), sec(t5 - t4), read.services().size(), dests,
                        (double) (t4 - t3) / (t1 - t0), (double) (t5 - t4) / (t2 - t1));
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double sec(long nanos) {
        return nanos / 1e9;
    }

    private static void sh(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/stderr"))).start();
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed");
        }
    }
}
