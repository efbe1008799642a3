package dev.ingresskit.examples.maglev;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.maglev.Endpoint;
import dev.ingresskit.maglev.EntryStats;
import dev.ingresskit.maglev.FlowHash;
import dev.ingresskit.maglev.IpvsMhTable;
import dev.ingresskit.maglev.MaglevTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ingresskit maglev}: builds a Maglev table — or the kernel's ip_vs_mh table with
 * {@code --ipvs-mh} — and prints its summary, its slots, or where given flows go.
 */
public final class MaglevCommand implements Subcommand {
    private static final Options OPTIONS = Options.builder(
                    "--backend KEY[=WEIGHT] ... [--table-size M] [--ipvs-mh [--mh-port] [--mh-fallback]] "
                            + "[--dump] [--lookup ADDR:PORT ...]")
            .value("--table-size", "M", "table size, a prime (default 65537; with --ipvs-mh one of the kernel's "
                    + "sizes, default 4093)")
            .values("--backend", "KEY[=WEIGHT]", "a backend and its weight (default 1, 0 drains); repeatable. "
                    + "With --ipvs-mh: IP:PORT or [IPv6]:PORT, in the order they were added to the kernel")
            .flag("--ipvs-mh", "build the Linux kernel's ip_vs_mh table instead (predicts the kernel's choices)")
            .flag("--mh-port", "with --ipvs-mh: the service flag mh-port (hash the client's source port)")
            .flag("--mh-fallback", "with --ipvs-mh: the service flag mh-fallback")
            .flag("--dump", "print every slot: SLOT BACKEND_KEY ('-' for an empty slot)")
            .values("--lookup", "ADDR:PORT", "print where this flow goes: ADDR:PORT BACKEND_KEY ('-' for none); "
                    + "repeatable. Maglev: hashes address+port with FlowHash; --ipvs-mh: the client's source "
                    + "address and port")
            .build();

    @Override
    public String name() {
        return "maglev";
    }

    @Override
    public String summary() {
        return "build a Maglev (or kernel ip_vs_mh) table; print its spread, its slots, or flow lookups";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments args, PrintStream out, PrintStream err) throws UsageException {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positionals().getFirst() + "'");
        }
        List<String[]> backends = new ArrayList<>();
        for (String spec : args.values("--backend")) {
            backends.add(parseBackend(spec));
        }
        if (backends.isEmpty()) {
            throw new UsageException("give at least one --backend KEY[=WEIGHT]");
        }
        List<Endpoint> lookups = new ArrayList<>();
        for (String flow : args.values("--lookup")) {
            try {
                lookups.add(Endpoint.parse(flow));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--lookup: " + e.getMessage());
            }
        }
        boolean ipvs = args.has("--ipvs-mh");
        if (!ipvs && (args.has("--mh-port") || args.has("--mh-fallback"))) {
            throw new UsageException("--mh-port and --mh-fallback need --ipvs-mh");
        }
        return ipvs ? runIpvs(args, backends, lookups, out) : runMaglev(args, backends, lookups, out);
    }

    private static int runMaglev(Arguments args, List<String[]> backends, List<Endpoint> lookups, PrintStream out)
            throws UsageException {
        MaglevTable table;
        try {
            MaglevTable.Builder b = MaglevTable.builder()
                    .tableSize(args.intValue("--table-size", MaglevTable.DEFAULT_TABLE_SIZE));
            for (String[] backend : backends) {
                b.add(backend[0], Integer.parseInt(backend[1]));
            }
            table = b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
        if (args.has("--dump")) {
            int[] owners = table.ownersSnapshot();
            for (int s = 0; s < owners.length; s++) {
                out.println(s + " " + table.backend(owners[s]).name());
            }
        } else if (lookups.isEmpty()) {
            summary(out, "maglev", table.size(), table.backendCount(), table.entryStats());
            for (int i = 0; i < table.backendCount(); i++) {
                out.printf(Locale.ROOT, "  %s weight %d entries %d (%.3f%%)%n", table.backend(i).name(),
                        table.backend(i).weight(), table.entries(i), 100.0 * table.entries(i) / table.size());
            }
        }
        for (Endpoint flow : lookups) {
            out.println(flow + " " + table.lookup(FlowHash.addressPort(flow.address(), flow.port())).name());
        }
        return 0;
    }

    private static int runIpvs(Arguments args, List<String[]> backends, List<Endpoint> lookups, PrintStream out)
            throws UsageException {
        IpvsMhTable table;
        try {
            IpvsMhTable.Builder b = IpvsMhTable.builder()
                    .tableSize(args.intValue("--table-size", IpvsMhTable.DEFAULT_TABLE_SIZE))
                    .mhPort(args.has("--mh-port"))
                    .mhFallback(args.has("--mh-fallback"));
            for (String[] backend : backends) {
                b.add(backend[0], Integer.parseInt(backend[1]));
            }
            table = b.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (args.has("--dump")) {
            for (int s = 0; s < table.size(); s++) {
                int d = table.destinationIndexAt(s);
                out.println(s + " " + (d < 0 ? "-" : table.destinations().get(d).key()));
            }
        } else if (lookups.isEmpty()) {
            summary(out, "ip_vs_mh", table.size(), table.destinations().size(), table.entryStats());
            out.printf(Locale.ROOT, "flags            %s%n", flags(table));
            out.printf(Locale.ROOT, "gcd/rshift       %d/%d%n", table.gcd(), table.rshift());
            for (int i = 0; i < table.destinations().size(); i++) {
                var d = table.destinations().get(i);
                out.printf(Locale.ROOT, "  %s weight %d turns %d entries %d (%.3f%%)%n", d.key(), d.weight(),
                        table.turns(i), table.entries(i), 100.0 * table.entries(i) / table.size());
            }
        }
        for (Endpoint flow : lookups) {
            try {
                out.println(flow + " " + table.lookup(flow.address(), flow.port())
                        .map(d -> d.key()).orElse("-"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--lookup " + flow + ": " + e.getMessage());
            }
        }
        return 0;
    }

    private static String flags(IpvsMhTable table) {
        List<String> flags = new ArrayList<>();
        if (table.mhPort()) {
            flags.add("mh-port");
        }
        if (table.mhFallback()) {
            flags.add("mh-fallback");
        }
        return flags.isEmpty() ? "-" : String.join(",", flags);
    }

    private static void summary(PrintStream out, String kind, int m, int n, EntryStats s) {
        out.printf(Locale.ROOT, "table            %s%n", kind);
        out.printf(Locale.ROOT, "table size (M)   %d%n", m);
        out.printf(Locale.ROOT, "backends (N)     %d (%d own slots)%n", n, s.serving());
        out.printf(Locale.ROOT, "entries min/max  %d/%d%n", s.min(), s.max());
        out.printf(Locale.ROOT, "max/mean         %.4f (mean %.2f)%n", s.maxOverMean(), s.mean());
    }

    /** {@code KEY[=WEIGHT]} → {key, weight}. The weight is after the last '='. */
    static String[] parseBackend(String spec) throws UsageException {
        int eq = spec.lastIndexOf('=');
        String key = eq < 0 ? spec : spec.substring(0, eq);
        String weight = eq < 0 ? "1" : spec.substring(eq + 1);
        if (key.isEmpty()) {
            throw new UsageException("--backend '" + spec + "': empty key");
        }
        try {
            int w = Integer.parseInt(weight);
            if (w < 0) {
                throw new UsageException("--backend '" + spec + "': weight must be ≥ 0");
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--backend '" + spec + "': weight '" + weight + "' is not an integer");
        }
        return new String[] {key, weight};
    }
}
