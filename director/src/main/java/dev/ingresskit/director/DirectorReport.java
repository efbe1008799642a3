package dev.ingresskit.director;

import dev.ingresskit.director.internal.BackendRef;
import dev.ingresskit.director.internal.HealthMonitor;
import dev.ingresskit.ipvs.Change;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.IpAddresses;
import dev.ingresskit.ipvs.DestinationKey;
import dev.ingresskit.ipvs.IpvsRequests;
import dev.ingresskit.maglev.IpvsMhDestination;
import dev.ingresskit.maglev.IpvsMhTable;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What {@code director --once} and {@code --explain} print: health, the plan, the predicted Maglev
 * distribution with each table's fingerprint, the netlink messages, and which backend a client gets.
 * Stateless; reads the director's last run.
 */
public final class DirectorReport {
    /** Flows sampled for the "new flows" share; a fixed seed keeps the output reproducible. */
    static final int SAMPLED_FLOWS = 65_536;

    private DirectorReport() {
    }

    public static void health(PrintStream out, Director d) {
        out.println("health (one round of checks):");
        Map<BackendRef, HealthMonitor.View> views = d.monitor().snapshot();
        if (views.isEmpty()) {
            out.println("  (no backends)");
        }
        // One line per backend, hundreds of thousands at scale: one builder, padded by hand.
        StringBuilder line = new StringBuilder(128);
        for (ServiceConfig s : d.config().services()) {
            String kind = s.check().kind() == HealthCheckConfig.Kind.NONE ? null
                    : s.check().kind().name().toLowerCase(Locale.ROOT);
            for (BackendConfig b : d.backends(s)) {
                HealthMonitor.View v = views.get(BackendRef.of(s, b));
                line.setLength(0);
                left(line.append("  "), s.name(), 8).append(' ');
                int at = line.length();
                pad(IpAddresses.append(line, b.address()), at + 16).append(' ');
                at = line.length();
                if (kind == null) {
                    line.append("no check");
                } else {
                    IpAddresses.append(line.append(kind).append(' '), b.address(), s.check().portFor(b));
                }
                pad(line, at + 22).append(' ');
                left(line, v.health().label(), 7).append(' ').append(v.lastDetail()).append(" (")
                        .append(v.lastLatency().toMillis()).append(" ms)");
                out.println(line);
            }
        }
    }

    /**
     * The VIPs of {@code announce} services: whether they would be announced now (the condition,
     * regardless of the hold-down a running director waits first) and why. Prints nothing without BGP.
     */
    public static void announcements(PrintStream out, Director d) {
        List<VipState> vips = d.vipStates();
        if (vips.isEmpty()) {
            return;
        }
        BgpConfig bgp = d.config().bgp();
        out.println();
        out.println("bgp (" + (bgp == null ? "no speaker configured" : "speaker "
                + bgp.speaker().name().toLowerCase(Locale.ROOT)) + "; this run tells no speaker):");
        Map<java.net.InetAddress, ServiceConfig> byVip = new java.util.HashMap<>();
        for (ServiceConfig s : d.config().services()) {
            if (s.announce() != null) {
                byVip.putIfAbsent(s.vip(), s);
            }
        }
        for (VipState v : vips) {
            VipRoute route = byVip.get(v.vip()).announce().route(v.vip());
            StringBuilder attributes = new StringBuilder();
            route.communities().forEach(c -> attributes.append(" community ").append(c));
            route.med().ifPresent(m -> attributes.append(" med ").append(m));
            if (route.prepend() > 0) {
                attributes.append(" prepend ").append(route.prepend());
            }
            out.printf(Locale.ROOT, "  %-20s %-15s %s%s%n", route.prefix(), v.eligible() ? "would announce" : "would withdraw",
                    v.why().replaceFirst(", announcing after .*", ""), attributes);
        }
    }

    public static void plan(PrintStream out, Director.Run run, boolean dryRun) {
        List<Change> changes = run.changes();
        out.println();
        out.println("plan: " + changes.size() + " change(s)" + (dryRun ? " (dry run: none made)" : "")
                + (changes.isEmpty() ? ", the kernel is as desired" : ""));
        for (Change c : changes) {
            out.println("  " + c);
        }
        if (run.error() != null) {
            out.println("ERROR: " + run.error());
        }
    }

    public static void messages(PrintStream out, Director.Run run, boolean dryRun) {
        List<Change> changes = run.changes();
        if (!changes.isEmpty()) {
            out.println();
            out.println("netlink messages it " + (dryRun ? "would send" : "sent")
                    + " (family id 0xffff stands in for the kernel's IPVS id; sequence numbers from 1):");
            for (IpvsRequests.EncodedRequest r : IpvsRequests.dryRun().encode(run.plan(), 1)) {
                out.println("  # " + r.change());
                for (String line : r.describe().split("\n")) {
                    out.println("  " + line);
                }
            }
        }
    }

    public static void distribution(PrintStream out, Director d) {
        DirectorConfig cfg = d.config();
        out.println();
        out.println("predicted Maglev distribution (ip_vs_mh, table size " + cfg.mhTableSize()
                + "; 'flows' = share of new flows, of " + SAMPLED_FLOWS + " sampled clients where a slot's backend"
                + " takes none, else exact):");
        boolean any = false;
        for (ServiceConfig s : cfg.services()) {
            Optional<IpvsMhTable> now = d.mhTable(s);
            if (now.isEmpty()) {
                if (!s.scheduler().equals("mh")) {
                    out.println("  " + s.name() + " " + s.identity() + ": scheduler " + s.scheduler()
                            + ", not predicted");
                }
                continue;
            }
            any = true;
            IpvsMhTable table = now.get();
            IpvsMhTable healthy = allHealthy(d, s, table);
            out.println("  " + s.name() + " " + s.identity() + " (mh" + (s.mhPort() ? " mh-port" : "")
                    + (s.mhFallback() ? " mh-fallback" : "") + ") table " + table.fingerprint());
            out.println(COLUMNS);
            double[] flowsNow = sample(table);
            double[] flowsHealthy = healthy.fingerprint().equals(table.fingerprint()) ? flowsNow : sample(healthy);
            List<IpvsMhDestination> dests = table.destinations();
            StringBuilder line = new StringBuilder(128);
            for (int i = 0; i < dests.size(); i++) {
                IpvsMhDestination dest = dests.get(i);
                line.setLength(0);
                int at = line.append("    ").length();
                pad(IpAddresses.append(line, dest.address(), dest.port()), at + 24).append(' ');
                right(line, dest.weight(), 6).append(' ');
                right(line, table.entries(i), 6).append(' ');
                percent(line, 100.0 * table.entries(i) / table.size()).append(' ');
                percent(line, 100 * flowsNow[i]).append("  | ").append(UNDER_IF_ALL_HEALTHY);
                right(line, healthy.entries(i), 6).append(' ');
                percent(line, 100 * flowsHealthy[i]);
                out.println(line);
            }
            line.setLength(0);
            percent(line.append(NONE_ROW), 100 * flowsNow[dests.size()]).append("  | ").append(UNDER_IF_ALL_HEALTHY);
            percent(line.append(NO_SLOTS), 100 * flowsHealthy[dests.size()]);
            out.println(line);
        }
        if (!any && cfg.services().stream().noneMatch(s -> !s.scheduler().equals("mh"))) {
            out.println("  (no mh services)");
        }
    }

    private static final String COLUMNS = String.format(Locale.ROOT, "    %-24s %6s %6s %7s %7s  | if all healthy: %6s %7s",
            "backend", "weight", "slots", "slots%", "flows%", "slots", "flows%");
    /** The last row's start: no address, weight, slots or slot share. */
    private static final String NONE_ROW = String.format(Locale.ROOT, "    %-24s %6s %6s %7s ", "(no destination)", "",
            "", "");

    /** The blank under the header's "if all healthy: ", before the healthy table's columns. */
    private static final String UNDER_IF_ALL_HEALTHY = " ".repeat("if all healthy: ".length());
    /** A blank slots column and the space after it, in the "(no destination)" row. */
    private static final String NO_SLOTS = " ".repeat(6 + 1);

    private static StringBuilder left(StringBuilder line, String text, int width) {
        return pad(line.append(text), line.length() - text.length() + width);
    }

    /** Blanks up to length {@code column} (none when the line is already that long). */
    private static StringBuilder pad(StringBuilder line, int column) {
        while (line.length() < column) {
            line.append(' ');
        }
        return line;
    }

    static StringBuilder right(StringBuilder line, long value, int width) {
        for (int i = digits(value); i < width; i++) {
            line.append(' ');
        }
        return line.append(value);
    }

    /** The digits of {@code value} ≥ 0: every column here is a count, a weight or a share. */
    private static int digits(long value) {
        int n = 1;
        for (long v = value; v >= 10; v /= 10) {
            n++;
        }
        return n;
    }

    /** {@code %6.1f%%}: one decimal, rounded half up, right-aligned in 6. */
    static StringBuilder percent(StringBuilder line, double value) {
        long tenths = Math.round(value * 10);
        return right(line, tenths / 10, 4).append('.').append(tenths % 10).append('%');
    }

    /** The same destinations, same order, at their configured weights. */
    private static IpvsMhTable allHealthy(Director director, ServiceConfig s, IpvsMhTable table) {
        Map<DestinationKey, Integer> configured = new HashMap<>();
        for (BackendConfig b : director.backends(s)) {
            configured.put(new DestinationKey(b.address(), s.ipvsPort(b.port())), b.weight());
        }
        boolean same = true;
        for (IpvsMhDestination d : table.destinations()) {
            int w = configured.getOrDefault(new DestinationKey(d.address(), d.port()), 0);
            same &= d.weight() == w && d.lastWeight() == w;
        }
        if (same) {
            return table; // every backend already at its configured weight: the very same table
        }
        IpvsMhTable.Builder b = IpvsMhTable.builder().tableSize(table.size()).mhPort(table.mhPort())
                .mhFallback(table.mhFallback()).ipv6Service(table.ipv6Service());
        for (IpvsMhDestination d : table.destinations()) {
            b.add(d.address(), d.port(), configured.getOrDefault(new DestinationKey(d.address(), d.port()), 0));
        }
        return b.build();
    }

    /** Share of sampled IPv4 flows per destination index; the last element: flows with no destination. */
    static double[] sample(IpvsMhTable table) {
        int n = table.destinations().size();
        if (everySlotTakesFlows(table)) {
            // Every lookup ends at its slot's destination (no fallback, no empty slot): the share of
            // flows is the share of slots, exactly, with no sampling.
            double[] shares = new double[n + 1];
            for (int i = 0; i < n; i++) {
                shares[i] = (double) table.entries(i) / table.size();
            }
            return shares;
        }
        long[] counts = new long[n + 1];
        SplittableRandom random = new SplittableRandom(20_260_101L);
        for (int i = 0; i < SAMPLED_FLOWS; i++) {
            int address = random.nextInt();
            int port = 1024 + random.nextInt(65536 - 1024);
            int index = table.lookupIndexIpv4(address, port);
            counts[index < 0 ? n : index]++;
        }
        double[] shares = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            shares[i] = (double) counts[i] / SAMPLED_FLOWS;
        }
        return shares;
    }

    private static boolean everySlotTakesFlows(IpvsMhTable table) {
        int held = 0;
        List<IpvsMhDestination> dests = table.destinations();
        for (int i = 0; i < dests.size(); i++) {
            if (table.entries(i) > 0) {
                if (dests.get(i).weight() == 0) {
                    return false;
                }
                held += table.entries(i);
            }
        }
        return held == table.size();
    }

    public static void explain(PrintStream out, Director d, InetAddress client, int port, String basis) {
        out.println("client " + IpAddresses.format(client, port) + " (" + basis + "):");
        for (ServiceConfig s : d.config().services()) {
            String head = "  " + s.name() + " " + s.identity() + ": ";
            if (!s.scheduler().equals("mh")) {
                out.println(head + "scheduler " + s.scheduler() + ", the kernel's choice is not predicted");
                continue;
            }
            Optional<IpvsMhTable> t = d.mhTable(s);
            if (t.isEmpty()) {
                out.println(head + "not in IPVS");
                continue;
            }
            IpvsMhTable table = t.get();
            explainOne(out, head, s, table, client, port);
            explainOne(out, "  " + " ".repeat(s.name().length() + s.identity().length() + 1) + "  if all healthy: ",
                    s, allHealthy(d, s, table), client, port);
        }
    }

    private static void explainOne(PrintStream out, String head, ServiceConfig s, IpvsMhTable table, InetAddress client,
            int port) {
        {
            int slot = table.slot(client, port);
            Optional<IpvsMhDestination> chosen = table.lookup(client, port);
            String portNote = s.mhPort() ? "" : " (no mh-port: the client port does not matter)";
            if (chosen.isPresent()) {
                IpvsMhDestination dest = chosen.get();
                ServiceConfig.Forwarding f = s.forwarding();
                String tunnel = f.method() != ForwardingMethod.TUNNEL ? f.toString()
                        : f.tunnelType().name().toLowerCase(Locale.ROOT)
                                + (f.tunnelPort() != 0 ? " to UDP port " + f.tunnelPort() : "");
                out.println(head + "slot " + slot + " -> " + dest.key() + " (weight " + dest.weight() + ", " + tunnel
                        + ")" + portNote);
            } else {
                out.println(head + "slot " + slot + " -> no destination: the kernel refuses the connection"
                        + (port == IpvsMhTable.FTP_DATA_PORT ? " (source port 20 is never scheduled)"
                                : s.mhFallback() ? " (no backend has weight > 0)"
                                        : " (the slot's backend has weight 0 and mh-fallback is off)")
                        + portNote);
            }
        }
    }
}
