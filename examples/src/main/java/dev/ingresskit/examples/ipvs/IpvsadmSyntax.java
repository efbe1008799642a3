package dev.ingresskit.examples.ipvs;

import dev.ingresskit.examples.Arguments;
import dev.ingresskit.examples.Options;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.ipvs.AddressFamily;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.IpAddresses;
import dev.ingresskit.ipvs.Protocol;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
import dev.ingresskit.ipvs.ServiceKey;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * ipvsadm's option syntax for services and destinations ({@code -t VIP:PORT -s mh -b mh-port},
 * {@code -r RIP:PORT -i --tun-type gue --tun-port 6080 --tun-csum -w 3}), shared by the command line
 * and by the lines of an {@code apply} file (which are {@code ipvsadm -S} lines).
 */
final class IpvsadmSyntax {
    private IpvsadmSyntax() {
    }

    /** ipvsadm's default persistence timeout when {@code -p} has no value (ipvsadm(8)). */
    static final String DEFAULT_PERSISTENT_SECONDS = "300";

    /**
     * The service/destination options, added to a subcommand's or a file line's options, each with
     * ipvsadm 1.31's long name as well (ipvsadm(8): {@code --tcp-service}, {@code --sched-flags}, ...),
     * so that lines of an ipvsadm script work unchanged; {@code --name=value} works too.
     */
    static Options.Builder addOptions(Options.Builder b) {
        return b.value("-t", "VIP:PORT", "TCP service").alias("-t", "--tcp-service")
                .value("-u", "VIP:PORT", "UDP service").alias("-u", "--udp-service")
                .value("--sctp-service", "VIP:PORT", "SCTP service")
                .value("-f", "MARK", "firewall-mark service").alias("-f", "--fwmark-service")
                .flag("-6", "the firewall-mark service is IPv6").alias("-6", "--ipv6")
                .value("-s", "SCHED", "scheduler (default wlc)").alias("-s", "--scheduler")
                .value("-b", "FLAGS", "scheduler flags: mh-fallback,mh-port,sh-fallback,sh-port,flag-1,flag-2,flag-3")
                .alias("-b", "--sched-flags")
                .optionalValue("-p", "SECONDS", DEFAULT_PERSISTENT_SECONDS, "persistent, with this timeout (default "
                        + DEFAULT_PERSISTENT_SECONDS + ")").alias("-p", "--persistent")
                .value("-M", "NETMASK", "persistence netmask: a.b.c.d or a prefix length").alias("-M", "--netmask")
                .flag("-o", "one-packet scheduling (UDP)").alias("-o", "--ops")
                .value("--pe", "NAME", "persistence engine (e.g. sip)")
                .value("-r", "RIP[:PORT]", "real server (port defaults to the service's)").alias("-r", "--real-server")
                .flag("-g", "direct routing (the default)").alias("-g", "--gatewaying")
                .flag("-i", "tunnelling").alias("-i", "--ipip")
                .flag("-m", "masquerading (NAT)").alias("-m", "--masquerading")
                .value("--tun-type", "ipip|gue|gre", "tunnel type (with -i; default ipip)")
                .value("--tun-port", "PORT", "tunnel port (GUE)")
                .flag("--tun-nocsum", "no tunnel checksum (the default)")
                .flag("--tun-csum", "tunnel checksum")
                .flag("--tun-remcsum", "remote checksum offload")
                .value("-w", "WEIGHT", "weight (default 1; 0 drains)").alias("-w", "--weight")
                .value("-x", "N", "upper connection threshold").alias("-x", "--u-threshold")
                .value("-y", "N", "lower connection threshold").alias("-y", "--l-threshold");
    }

    static boolean hasService(Arguments a) {
        return a.has("-t") || a.has("-u") || a.has("--sctp-service") || a.has("-f");
    }

    /** The service key options alone (for delete, add-dest, ...). */
    static ServiceKey serviceKey(Arguments a) throws UsageException {
        return service(a).key();
    }

    static Service service(Arguments a) throws UsageException {
        int given = (a.has("-t") ? 1 : 0) + (a.has("-u") ? 1 : 0) + (a.has("--sctp-service") ? 1 : 0)
                + (a.has("-f") ? 1 : 0);
        if (given != 1) {
            throw new UsageException("give exactly one of -t, -u, --sctp-service, -f");
        }
        Service.Builder b = Service.builder();
        try {
            if (a.has("-f")) {
                b.fwmark(a.has("-6") ? AddressFamily.INET6 : AddressFamily.INET, parseInt(a.required("-f"), "-f"));
            } else {
                String option = a.has("-t") ? "-t" : a.has("-u") ? "-u" : "--sctp-service";
                Protocol protocol = option.equals("-t") ? Protocol.TCP : option.equals("-u") ? Protocol.UDP
                        : Protocol.SCTP;
                Endpoint e = endpoint(a.required(option), option, -1);
                b.address(protocol, e.address, e.port);
            }
            if (a.has("-s")) {
                b.scheduler(a.required("-s"));
            }
            String scheduler = a.value("-s").orElse(Service.DEFAULT_SCHEDULER);
            if (a.has("-b")) {
                b.schedulerFlags(schedulerFlags(a.required("-b"), scheduler));
            }
            if (a.has("-p")) {
                b.persistent(parseInt(a.required("-p"), "-p"));
            }
            if (a.has("-M")) {
                b.netmask(netmask(a.required("-M")));
            }
            if (a.has("-o")) {
                b.onePacket(true);
            }
            if (a.has("--pe")) {
                b.persistenceEngine(a.required("--pe"));
            }
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static Destination destination(Arguments a, int servicePort) throws UsageException {
        Endpoint e = endpoint(a.required("-r"), "-r", servicePort);
        int methods = (a.has("-g") ? 1 : 0) + (a.has("-i") ? 1 : 0) + (a.has("-m") ? 1 : 0);
        if (methods > 1) {
            throw new UsageException("give at most one of -g, -i, -m");
        }
        try {
            Destination.Builder b = Destination.builder(e.address, e.port);
            if (a.has("-m")) {
                b.forwarding(ForwardingMethod.MASQUERADE);
            } else if (a.has("-i")) {
                b.tunnel(TunnelType.valueOf(a.value("--tun-type").orElse("ipip").toUpperCase(Locale.ROOT)));
                if (a.has("--tun-port")) {
                    b.tunnelPort(parseInt(a.required("--tun-port"), "--tun-port"));
                }
                int flags = (a.has("--tun-csum") ? TunnelFlags.CSUM : 0) | (a.has("--tun-remcsum") ? TunnelFlags.REMCSUM : 0);
                b.tunnelFlags(flags);
            } else if (a.has("--tun-type") || a.has("--tun-port")) {
                throw new UsageException("--tun-type/--tun-port need -i (tunnelling)");
            }
            if (a.has("-w")) {
                b.weight(parseInt(a.required("-w"), "-w"));
            }
            if (a.has("-x") || a.has("-y")) {
                b.thresholds(a.intValue("-y", 0), a.intValue("-x", 0));
            }
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw new UsageException(ex.getMessage());
        }
    }

    static int schedulerFlags(String text, String scheduler) throws UsageException {
        int bits = 0;
        for (String raw : text.split(",")) {
            String f = raw.strip().toLowerCase(Locale.ROOT);
            bits |= switch (f) {
                case "mh-fallback", "sh-fallback", "flag-1" -> ServiceFlags.SCHED1;
                case "mh-port", "sh-port", "flag-2" -> ServiceFlags.SCHED2;
                case "flag-3" -> ServiceFlags.SCHED3;
                default -> throw new UsageException("-b: unknown scheduler flag '" + raw + "'");
            };
            if ((f.startsWith("mh-") || f.startsWith("sh-")) && !f.startsWith(scheduler + "-")) {
                throw new UsageException("-b: " + f + " is a flag of scheduler " + f.substring(0, 2) + ", not "
                        + scheduler);
            }
        }
        return bits;
    }

    static int netmask(String text) throws UsageException {
        if (text.contains(".")) {
            try {
                byte[] b = InetAddress.getByName(text).getAddress();
                int m = ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
                int bits = Integer.bitCount(m);
                if (b.length != 4 || m != (bits == 0 ? 0 : -1 << (32 - bits))) {
                    throw new UsageException("-M: '" + text + "' is not a contiguous netmask");
                }
                return bits;
            } catch (UnknownHostException e) {
                throw new UsageException("-M: not a netmask: '" + text + "'");
            }
        }
        return parseInt(text, "-M");
    }

    record Endpoint(InetAddress address, int port) {
    }

    /** {@code 10.0.0.1:80}, {@code [2001:db8::1]:80}; the port may be omitted when {@code defaultPort >= 0}. */
    static Endpoint endpoint(String text, String option, int defaultPort) throws UsageException {
        String host;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new UsageException(option + ": missing ']' in '" + text + "'");
            }
            host = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') {
                    throw new UsageException(option + ": expected ':PORT' after ']' in '" + text + "'");
                }
                port = text.substring(close + 2);
            }
        } else if (text.chars().filter(c -> c == ':').count() == 1) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        } else {
            host = text;
        }
        InetAddress address;
        try {
            address = IpAddresses.parse(host); // the one literal parser: never DNS
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
        int p;
        if (port == null) {
            if (defaultPort < 0) {
                throw new UsageException(option + ": '" + text + "' needs a port (ADDRESS:PORT)");
            }
            p = defaultPort;
        } else {
            p = parseInt(port, option + " port");
            if (p < 0 || p > 65535) {
                throw new UsageException(option + ": port " + p + " is outside 0..65535");
            }
        }
        return new Endpoint(address, p);
    }

    static int parseInt(String text, String what) throws UsageException {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": not an integer: '" + text + "'");
        }
    }
}
