package dev.ingresskit.examples.ipvs;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.Subcommand;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationStatus;
import dev.ingresskit.ipvs.Info;
import dev.ingresskit.ipvs.IpvsApplyException;
import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.ipvs.IpvsRequests;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.NetworkNamespace;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.ServiceStatus;
import dev.ingresskit.ipvs.Stats;
import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ipvs VERB ...}: an ipvsadm-like front end of {@link IpvsClient}. Verbs: {@code list},
 * {@code info}, {@code add-service}/{@code edit-service}/{@code delete-service},
 * {@code add-dest}/{@code edit-dest}/{@code delete-dest}, {@code flush}, {@code apply FILE
 * [--dry-run]}; or, instead of the verb, ipvsadm's command option ({@code -A}/{@code --add-service},
 * ...), so that an ipvsadm command line works with only the program's name changed. Without IPVS in
 * the kernel, or without CAP_NET_ADMIN, it says which in one line and exits 1.
 */
public final class IpvsCommand implements Subcommand {
    private static final Options OPTIONS = IpvsadmSyntax.addOptions(Options.builder(
                    "list [-n] [--stats] [--json] | info | add-service|edit-service|delete-service SERVICE"
                            + " | add-dest|edit-dest|delete-dest SERVICE -r RIP[:PORT] [...] | flush"
                            + " | apply FILE [--dry-run]   (SERVICE: -t|-u|--sctp-service VIP:PORT or -f MARK [-6])")
            .flag("-A", "= add-service (ipvsadm's command options select the verb)").alias("-A", "--add-service")
            .flag("-E", "= edit-service").alias("-E", "--edit-service")
            .flag("-D", "= delete-service").alias("-D", "--delete-service")
            .flag("-a", "= add-dest").alias("-a", "--add-server")
            .flag("-e", "= edit-dest").alias("-e", "--edit-server")
            .flag("-d", "= delete-dest").alias("-d", "--delete-server")
            .flag("-L", "= list").alias("-L", "-l", "--list")
            .flag("-C", "= flush").alias("-C", "--clear")
            .flag("-n", "numeric output (always numeric; accepted for ipvsadm habits)").alias("-n", "--numeric")
            .flag("--exact", "list: exact counters (they always are; accepted for ipvsadm habits)")
            .flag("--stats", "list: traffic counters instead of connection counts")
            .flag("--json", "list: JSON instead of text")
            .flag("--dry-run", "apply: print the plan and the exact netlink messages, change nothing")
            .value("--netns", "NAME", "work inside network namespace /run/netns/NAME"))
            .build();

    /** ipvsadm 1.31's command options (ipvsadm(8)) and the verbs they stand for. */
    private static final Map<String, String> COMMAND_OPTIONS = orderedMap(
            "-A", "add-service", "-E", "edit-service", "-D", "delete-service", "-a", "add-dest", "-e", "edit-dest",
            "-d", "delete-dest", "-L", "list", "-C", "flush");

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    @Override
    public String name() {
        return "ipvs";
    }

    @Override
    public String summary() {
        return "program the kernel's IPVS over netlink (ipvsadm-like; apply a desired state with --dry-run)";
    }

    @Override
    public Options options() {
        return OPTIONS;
    }

    @Override
    public int run(Arguments a, PrintStream out, PrintStream err) throws Exception {
        List<String> words = a.positionals();
        List<String> commands = COMMAND_OPTIONS.keySet().stream().filter(a::has).toList();
        if (words.isEmpty() && commands.isEmpty()) {
            throw new UsageException("give a verb: list, info, add-service, edit-service, delete-service, add-dest, "
                    + "edit-dest, delete-dest, flush, apply (or ipvsadm's -A, -E, -D, -a, -e, -d, -L, -C; see --help)");
        }
        if (commands.size() + (words.isEmpty() ? 0 : 1) > 1) {
            throw new UsageException("give one command, not " + (words.isEmpty() ? "" : "'" + words.getFirst() + "' and ")
                    + String.join(" and ", commands));
        }
        String verb = words.isEmpty() ? COMMAND_OPTIONS.get(commands.getFirst()) : words.getFirst();
        int first = words.isEmpty() ? 0 : 1;
        if (!verb.equals("apply") && words.size() > first) {
            throw new UsageException(verb + ": unexpected argument '" + words.get(first) + "'");
        }
        // Parse everything before touching the kernel: usage errors never depend on the machine.
        switch (verb) {
            case "list", "info", "flush" -> { }
            case "add-service", "edit-service" -> IpvsadmSyntax.service(a);
            case "delete-service" -> IpvsadmSyntax.serviceKey(a);
            case "add-dest", "edit-dest", "delete-dest" -> IpvsadmSyntax.destination(a, IpvsadmSyntax.serviceKey(a).port());
            case "apply" -> {
                if (words.size() != 2) {
                    throw new UsageException("apply needs exactly one FILE");
                }
                return apply(a, Path.of(words.get(1)), out, err);
            }
            default -> throw new UsageException("unknown verb '" + verb + "' (see --help)");
        }
        try (IpvsClient ipvs = open(a)) {
            switch (verb) {
                case "list" -> list(ipvs, a, out);
                case "info" -> {
                    Info info = ipvs.info();
                    out.println("IP Virtual Server version " + info.version() + " (size=" + info.connectionTableSize()
                            + ")");
                }
                case "flush" -> ipvs.flush();
                case "add-service" -> ipvs.createService(IpvsadmSyntax.service(a));
                case "edit-service" -> ipvs.updateService(IpvsadmSyntax.service(a));
                case "delete-service" -> ipvs.deleteService(IpvsadmSyntax.serviceKey(a));
                case "add-dest", "edit-dest", "delete-dest" -> {
                    ServiceKey key = IpvsadmSyntax.serviceKey(a);
                    Destination d = IpvsadmSyntax.destination(a, key.port());
                    switch (verb) {
                        case "add-dest" -> ipvs.createDestination(key, d);
                        case "edit-dest" -> ipvs.updateDestination(key, d);
                        default -> ipvs.deleteDestination(key, d.key());
                    }
                }
                default -> throw new IllegalStateException(verb);
            }
            return 0;
        } catch (NetlinkException e) {
            err.println("ingresskit ipvs: " + explain(e));
            return 1;
        }
    }

    private static IpvsClient open(Arguments a) throws NetlinkException {
        return a.has("--netns") ? IpvsClient.open(NetworkNamespace.named(a.value("--netns").orElseThrow()))
                : IpvsClient.open();
    }

    /** One line saying what is missing, for the usual cases. */
    static String explain(NetlinkException e) {
        if (e.isPermissionDenied()) {
            return "permission denied (" + e.errnoName() + "): IPVS needs CAP_NET_ADMIN; run as root ("
                    + e.operation() + ")";
        }
        if (e.operation().equals("IPVS") && e.isNotFound()) {
            return "IPVS is not available: the kernel has no Generic Netlink family \"IPVS\" (load the ip_vs "
                    + "module: modprobe ip_vs)";
        }
        return e.getMessage();
    }

    private static int apply(Arguments a, Path file, PrintStream out, PrintStream err) throws Exception {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IOException("no such file: " + file);
        }
        IpvsState desired = DesiredStateFile.parse(text, file.toString());
        if (a.has("--dry-run")) {
            return dryRun(a, desired, out, err);
        }
        try (IpvsClient ipvs = open(a)) {
            try {
                ApplyResult result = ipvs.apply(desired);
                out.print(result.plan());
                out.println(result);
                return 0;
            } catch (IpvsApplyException e) {
                out.print(e.result().plan());
                err.println("ingresskit ipvs: " + e.result());
                return 1;
            }
        } catch (NetlinkException e) {
            err.println("ingresskit ipvs: " + explain(e));
            return 1;
        }
    }

    private static int dryRun(Arguments a, IpvsState desired, PrintStream out, PrintStream err) {
        Plan plan;
        IpvsRequests requests;
        try (IpvsClient ipvs = open(a)) {
            plan = ipvs.plan(desired);
            requests = ipvs.requests();
            out.println("# dry run against the kernel's current state: " + plan.size() + " change(s)");
        } catch (NetlinkException e) {
            // No IPVS here (or no permission): show what would be sent to an empty IPVS.
            plan = Plan.between(IpvsState.EMPTY, desired);
            requests = IpvsRequests.dryRun();
            out.println("# dry run against an EMPTY IPVS (" + explain(e) + "); family id shown as 0x"
                    + Integer.toHexString(requests.family().id()) + ": " + plan.size() + " change(s)");
        }
        out.print(plan);
        for (IpvsRequests.EncodedRequest r : requests.encode(plan, 1)) {
            out.println();
            out.println("# " + r.change());
            out.print(r.describe());
        }
        return 0;
    }

    private static void list(IpvsClient ipvs, Arguments a, PrintStream out) throws NetlinkException {
        boolean stats = a.has("--stats");
        List<ServiceStatus> services = ipvs.services();
        if (a.has("--json")) {
            out.println(Json.services(ipvs, services));
            return;
        }
        Info info = ipvs.info();
        out.println("IP Virtual Server version " + info.version() + " (size=" + info.connectionTableSize() + ")");
        if (stats) {
            out.println("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes");
            out.println("  -> RemoteAddress:Port");
        } else {
            out.println("Prot LocalAddress:Port Scheduler Flags");
            out.println("  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn");
        }
        for (ServiceStatus s : services) {
            Service svc = s.service();
            String head = svc.fwmark() != 0 ? String.format("FWM  %d%s", Integer.toUnsignedLong(svc.fwmark()),
                    svc.family() == dev.ingresskit.ipvs.AddressFamily.INET6 ? " IPv6" : "")
                    : String.format("%-4s %s", svc.protocol().name(), svc.key().toString().substring(
                            svc.protocol().name().length() + 1));
            if (stats) {
                out.printf("%-33s %s%n", head, counters(s.stats()));
            } else {
                StringBuilder line = new StringBuilder(head).append(' ').append(svc.scheduler());
                List<String> flags = svc.flags().schedulerFlagNames(svc.scheduler());
                if (!flags.isEmpty()) {
                    line.append(" (").append(String.join(",", flags)).append(')');
                }
                if (svc.persistent()) {
                    line.append(" persistent ").append(svc.timeoutSeconds());
                }
                if (svc.flags().has(dev.ingresskit.ipvs.ServiceFlags.ONE_PACKET)) {
                    line.append(" ops");
                }
                out.println(line);
            }
            for (DestinationStatus d : ipvs.destinations(svc.key())) {
                Destination dest = d.destination();
                String rip = dest.key().toString();
                if (stats) {
                    out.printf("  -> %-29s %s%n", rip, counters(d.stats()));
                } else {
                    out.printf("  -> %-28s %-7s %-13s %-6d %-10d %d%n", rip, forward(dest), tunnel(dest),
                            dest.weight(), d.activeConnections(), d.inactiveConnections());
                }
            }
        }
    }

    private static String counters(Stats s) {
        return String.format("%8d %8d %8d %8d %8d", s.connections(), s.inPackets(), s.outPackets(), s.inBytes(),
                s.outBytes());
    }

    static String forward(Destination d) {
        return switch (d.forwarding()) {
            case MASQUERADE -> "Masq";
            case LOCAL -> "Local";
            case TUNNEL -> "Tunnel";
            case ROUTE -> "Route";
            case BYPASS -> "Bypass";
        };
    }

    static String tunnel(Destination d) {
        if (d.tunnelType() == null) {
            return "n/a";
        }
        String type = d.tunnelType().name().toLowerCase(Locale.ROOT);
        String flags = (d.tunnelFlags().has(dev.ingresskit.ipvs.TunnelFlags.REMCSUM) ? "r" : "")
                + (d.tunnelFlags().has(dev.ingresskit.ipvs.TunnelFlags.CSUM) ? "+c" : "");
        String port = d.tunnelType() == dev.ingresskit.ipvs.TunnelType.GUE ? ":" + d.tunnelPort() : "";
        return type + port + (flags.isEmpty() ? "" : ":" + flags);
    }
}
