package dev.ingresskit.examples.director;

import dev.ingresskit.examples.director.HealthCheckConfig.Kind;
import dev.ingresskit.examples.director.ServiceConfig.Forward;
import dev.ingresskit.examples.director.ServiceConfig.Transport;
import dev.ingresskit.examples.director.ServiceConfig.Tunnel;
import dev.ingresskit.examples.director.ServiceConfig.TunnelKind;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the director's line-oriented config format (documented in examples/README.md): one
 * statement a line, {@code #} starts a comment, words are separated by blanks. Global settings
 * ({@code http}, {@code drain}, {@code check-threads}, {@code mh-table-size}) come first; each
 * {@code service} line opens a block that the following {@code scheduler}, {@code forward},
 * {@code tunnel}, {@code check} and {@code backend} lines belong to (indentation is for people).
 *
 * <p>Every problem is a {@link ConfigException} naming line and field; addresses are IP literals
 * only (no name lookups). Stateless and thread-safe.
 */
public final class ConfigParser {
    /** The kernel's ip_vs_mh table sizes (CONFIG_IP_VS_MH_TAB_INDEX 8..17). */
    private static final Set<Integer> MH_TABLE_SIZES = Set.of(251, 509, 1021, 2039, 4093, 8191, 16381, 32749,
            65521, 131071);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private ConfigParser() {
    }

    /** Reads and parses a file; the file name is the source in error messages. */
    public static DirectorConfig parse(Path file) throws IOException, ConfigException {
        byte[] bytes = Files.readAllBytes(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), 0, "file", "not UTF-8 text");
        }
        return parse(text, file.toString());
    }

    /** Parses config text; {@code source} names it in error messages. */
    public static DirectorConfig parse(String text, String source) throws ConfigException {
        return new Run(source).parse(text);
    }

    /** One parse: the position and the half-built service. */
    private static final class Run {
        private final String source;
        private int line;
        private InetSocketAddress http;
        private Duration drain;
        private Integer checkThreads;
        private Integer mhTableSize;
        private final List<ServiceConfig> services = new ArrayList<>();
        private final Map<String, Integer> serviceNames = new HashMap<>();
        private final Map<String, Integer> serviceIdentities = new HashMap<>();
        private ServiceBuilder current;

        Run(String source) {
            this.source = source;
        }

        DirectorConfig parse(String text) throws ConfigException {
            String[] lines = text.split("\r?\n", -1);
            for (int i = 0; i < lines.length; i++) {
                line = i + 1;
                String content = lines[i];
                int hash = content.indexOf('#');
                if (hash >= 0) {
                    content = content.substring(0, hash);
                }
                content = content.strip();
                if (content.isEmpty()) {
                    continue;
                }
                for (int c = 0; c < content.length(); c++) {
                    char ch = content.charAt(c);
                    if (Character.isISOControl(ch) && ch != '\t') {
                        throw error("line", "control character U+" + String.format("%04X", (int) ch));
                    }
                }
                statement(new Words(content.split("[ \t]+")));
            }
            finishService();
            line = 0;
            return new DirectorConfig(
                    http != null ? http : new InetSocketAddress(InetAddress.getLoopbackAddress(),
                            DirectorConfig.DEFAULT_HTTP_PORT),
                    drain != null ? drain : DirectorConfig.DEFAULT_DRAIN,
                    checkThreads != null ? checkThreads : DirectorConfig.DEFAULT_CHECK_THREADS,
                    mhTableSize != null ? mhTableSize : 4093,
                    services);
        }

        private void statement(Words w) throws ConfigException {
            String keyword = w.next();
            switch (keyword) {
                case "http" -> global(keyword, () -> http = endpoint(keyword, w.value(keyword), true), http);
                case "drain" -> global(keyword, () -> drain = duration(keyword, w.value(keyword), true), drain);
                case "check-threads" -> global(keyword,
                        () -> checkThreads = integer(keyword, w.value(keyword), 1, 10_000), checkThreads);
                case "mh-table-size" -> global(keyword, () -> {
                    int m = integer(keyword, w.value(keyword), 1, Integer.MAX_VALUE);
                    if (!MH_TABLE_SIZES.contains(m)) {
                        throw error(keyword, m + " is not a kernel ip_vs_mh table size (one of "
                                + new java.util.TreeSet<>(MH_TABLE_SIZES) + ")");
                    }
                    mhTableSize = m;
                }, mhTableSize);
                case "service" -> service(w);
                case "scheduler" -> inService(keyword).scheduler(w);
                case "forward" -> inService(keyword).forward(w);
                case "tunnel" -> inService(keyword).tunnel(w);
                case "check" -> inService(keyword).check(w);
                case "backend" -> inService(keyword).backend(w);
                default -> throw error(keyword, "unknown keyword (expected http, drain, check-threads, "
                        + "mh-table-size, service, scheduler, forward, tunnel, check or backend)");
            }
            if (w.hasNext()) {
                throw error(keyword, "unexpected '" + w.next() + "'");
            }
        }

        private interface Action {
            void run() throws ConfigException;
        }

        private void global(String keyword, Action action, Object previous) throws ConfigException {
            if (current != null || !services.isEmpty()) {
                throw error(keyword, "global settings go before the first service");
            }
            if (previous != null) {
                throw error(keyword, "given twice");
            }
            action.run();
        }

        private ServiceBuilder inService(String keyword) throws ConfigException {
            if (current == null) {
                throw error(keyword, "outside a service (put it after a 'service' line)");
            }
            return current;
        }

        private void service(Words w) throws ConfigException {
            finishService();
            String name = w.value("service");
            if (!NAME.matcher(name).matches()) {
                throw error("service name", "'" + name + "' is not a name (letters, digits, _ . -, at most 63)");
            }
            Integer earlier = serviceNames.putIfAbsent(name, line);
            if (earlier != null) {
                throw error("service name", "'" + name + "' is already used on line " + earlier);
            }
            String proto = w.value("service protocol");
            ServiceBuilder b = new ServiceBuilder(name, line);
            switch (proto) {
                case "tcp", "udp", "sctp" -> {
                    b.protocol = Transport.valueOf(proto.toUpperCase(Locale.ROOT));
                    InetSocketAddress vip = endpoint("service address", w.value("service address"), false);
                    if (vip.getPort() == 0) {
                        throw error("service address", "port 0 (give the service's port)");
                    }
                    b.vip = vip.getAddress();
                    b.port = vip.getPort();
                    b.ipv6 = b.vip instanceof Inet6Address;
                }
                case "fwmark" -> {
                    b.protocol = Transport.FWMARK;
                    long mark = longValue("service fwmark", w.value("service fwmark"), 1, 0xFFFF_FFFFL);
                    b.fwmark = (int) mark;
                    String family = w.hasNext() ? w.next() : "inet";
                    switch (family) {
                        case "inet" -> b.ipv6 = false;
                        case "inet6" -> b.ipv6 = true;
                        default -> throw error("service family", "'" + family + "' (expected inet or inet6)");
                    }
                }
                default -> throw error("service protocol", "'" + proto + "' (expected tcp, udp, sctp or fwmark)");
            }
            String identity = b.identity();
            earlier = serviceIdentities.putIfAbsent(identity, line);
            if (earlier != null) {
                throw error("service", identity + " is already defined on line " + earlier);
            }
            current = b;
        }

        private void finishService() throws ConfigException {
            if (current != null) {
                services.add(current.build());
                current = null;
            }
        }

        /** The settings of one service block as they are read. */
        private final class ServiceBuilder {
            final String name;
            final int serviceLine;
            Transport protocol;
            InetAddress vip;
            int port;
            int fwmark;
            boolean ipv6;
            String scheduler;
            boolean mhPort;
            boolean mhFallback;
            Forward forward;
            Tunnel tunnel;
            HealthCheckConfig check;
            final Set<String> seen = new HashSet<>();
            final List<BackendConfig> backends = new ArrayList<>();
            final Map<String, Integer> backendKeys = new LinkedHashMap<>();

            ServiceBuilder(String name, int line) {
                this.name = name;
                this.serviceLine = line;
            }

            String identity() {
                return new ServiceConfig(name, serviceLine, protocol, vip, port, fwmark, ipv6, "mh", false, false,
                        Forward.ROUTE, null, HealthCheckConfig.DEFAULT, List.of()).identity();
            }

            private void once(String keyword) throws ConfigException {
                if (!seen.add(keyword)) {
                    throw error(keyword, "given twice in service '" + name + "'");
                }
                if (!backends.isEmpty()) {
                    throw error(keyword, "put it before the service's backend lines");
                }
            }

            void scheduler(Words w) throws ConfigException {
                once("scheduler");
                String s = w.value("scheduler");
                if (!s.matches("[a-z][a-z0-9_]{0,14}")) {
                    throw error("scheduler", "'" + s + "' is not a scheduler name (e.g. mh, wrr, rr)");
                }
                scheduler = s;
                while (w.hasNext()) {
                    String flag = w.next();
                    switch (flag) {
                        case "mh-port" -> mhPort = true;
                        case "mh-fallback" -> mhFallback = true;
                        default -> throw error("scheduler", "unknown flag '" + flag + "' (expected mh-port or mh-fallback)");
                    }
                    if (!s.equals("mh")) {
                        throw error("scheduler " + flag, "only for scheduler mh, not " + s);
                    }
                }
            }

            void forward(Words w) throws ConfigException {
                if (seen.contains("tunnel")) {
                    throw error("forward", "service '" + name + "' has a tunnel line already (tunnel implies forwarding by tunnel)");
                }
                once("forward");
                String f = w.value("forward");
                forward = switch (f) {
                    case "route" -> Forward.ROUTE;
                    case "masq" -> Forward.MASQ;
                    case "tunnel" -> throw error("forward", "use a 'tunnel ipip|gue|gre ...' line for tunnels");
                    default -> throw error("forward", "'" + f + "' (expected route or masq)");
                };
            }

            void tunnel(Words w) throws ConfigException {
                if (seen.contains("forward")) {
                    throw error("tunnel", "service '" + name + "' has a forward line already");
                }
                once("tunnel");
                String k = w.value("tunnel");
                TunnelKind kind = switch (k) {
                    case "ipip" -> TunnelKind.IPIP;
                    case "gue" -> TunnelKind.GUE;
                    case "gre" -> TunnelKind.GRE;
                    default -> throw error("tunnel", "'" + k + "' (expected ipip, gue or gre)");
                };
                int tunnelPort = 0;
                boolean csum = false;
                boolean remcsum = false;
                while (w.hasNext()) {
                    String option = w.next();
                    switch (option) {
                        case "port" -> tunnelPort = integer("tunnel port", w.value("tunnel port"), 1, 65535);
                        case "csum" -> csum = true;
                        case "remcsum" -> remcsum = true;
                        default -> throw error("tunnel", "unknown option '" + option + "' (expected port, csum or remcsum)");
                    }
                }
                if (kind == TunnelKind.GUE && tunnelPort == 0) {
                    throw error("tunnel port", "a gue tunnel needs 'port N' (the backends' FOU/GUE receive port)");
                }
                if (kind != TunnelKind.GUE && tunnelPort != 0) {
                    throw error("tunnel port", "only gue tunnels have a port, not " + k);
                }
                if (kind == TunnelKind.IPIP && csum) {
                    throw error("tunnel csum", "ipip has no checksum (gue and gre do)");
                }
                if (kind != TunnelKind.GUE && remcsum) {
                    throw error("tunnel remcsum", "remote checksum offload is a gue option, not " + k);
                }
                forward = Forward.TUNNEL;
                tunnel = new Tunnel(kind, tunnelPort, csum, remcsum);
            }

            void check(Words w) throws ConfigException {
                once("check");
                String k = w.value("check");
                Kind kind = switch (k) {
                    case "tcp" -> Kind.TCP;
                    case "http" -> Kind.HTTP;
                    case "none" -> Kind.NONE;
                    default -> throw error("check", "'" + k + "' (expected tcp, http or none)");
                };
                HealthCheckConfig d = HealthCheckConfig.DEFAULT;
                int checkPort = 0;
                String path = null;
                String host = null;
                int expect = 200;
                Duration interval = d.interval();
                Duration timeout = d.timeout();
                int rise = d.rise();
                int fall = d.fall();
                InetAddress src = null;
                Set<String> options = new HashSet<>();
                while (w.hasNext()) {
                    String option = w.next();
                    String field = "check " + option;
                    if (kind == Kind.NONE) {
                        throw error(field, "'check none' takes no options");
                    }
                    if (!options.add(option)) {
                        throw error(field, "given twice");
                    }
                    switch (option) {
                        case "port" -> checkPort = integer(field, w.value(field), 1, 65535);
                        case "interval" -> interval = duration(field, w.value(field), false);
                        case "timeout" -> timeout = duration(field, w.value(field), false);
                        case "rise" -> rise = integer(field, w.value(field), 1, 100);
                        case "fall" -> fall = integer(field, w.value(field), 1, 100);
                        case "source" -> src = address(field, w.value(field));
                        case "path", "expect", "host" -> {
                            if (kind != Kind.HTTP) {
                                throw error(field, "only for 'check http'");
                            }
                            String v = w.value(field);
                            switch (option) {
                                case "path" -> {
                                    if (!v.startsWith("/") || !v.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
                                        throw error(field, "'" + v + "' is not a path (starts with /, printable ASCII)");
                                    }
                                    path = v;
                                }
                                case "expect" -> expect = integer(field, v, 100, 599);
                                default -> {
                                    if (!v.matches("[A-Za-z0-9.:\\[\\]-]+")) {
                                        throw error(field, "'" + v + "' is not a host name");
                                    }
                                    host = v;
                                }
                            }
                        }
                        default -> throw error("check", "unknown option '" + option
                                + "' (expected port, path, expect, host, interval, timeout, rise, fall or source)");
                    }
                }
                if (timeout.compareTo(interval) > 0) {
                    throw error("check timeout", timeout.toMillis() + "ms is longer than the interval "
                            + interval.toMillis() + "ms");
                }
                if (kind == Kind.HTTP && path == null) {
                    path = "/";
                }
                if (kind != Kind.HTTP) {
                    expect = 0;
                }
                check = new HealthCheckConfig(kind, checkPort, path, host, expect, interval, timeout, rise, fall, src);
            }

            void backend(Words w) throws ConfigException {
                InetAddress address = address("backend address", w.value("backend address"));
                int backendPort = port;
                int weight = 1;
                Set<String> options = new HashSet<>();
                while (w.hasNext()) {
                    String option = w.next();
                    String field = "backend " + option;
                    if (!options.add(option)) {
                        throw error(field, "given twice");
                    }
                    switch (option) {
                        case "port" -> backendPort = integer(field, w.value(field), 1, 65535);
                        case "weight" -> weight = integer(field, w.value(field), 0, 65535);
                        default -> throw error("backend", "unknown option '" + option + "' (expected port or weight)");
                    }
                }
                HealthCheckConfig c = check != null ? check : HealthCheckConfig.DEFAULT;
                if (protocol == Transport.FWMARK && backendPort == 0 && c.kind() != Kind.NONE && c.port() == 0) {
                    throw error("backend port", "a fwmark service has no port: give the backend 'port N' "
                            + "or the check 'port N' (or 'check none')");
                }
                boolean backendV6 = address instanceof Inet6Address;
                Forward f = forward != null ? forward : Forward.ROUTE;
                if (backendV6 != ipv6 && f != Forward.TUNNEL) {
                    throw error("backend address", address.getHostAddress() + " is " + (backendV6 ? "IPv6" : "IPv4")
                            + " but the service is " + (ipv6 ? "IPv6" : "IPv4")
                            + " (the kernel mixes families only for tunnel forwarding)");
                }
                if (c.source() != null && (c.source() instanceof Inet6Address) != backendV6) {
                    throw error("backend address", address.getHostAddress()
                            + " cannot be checked from source " + c.source().getHostAddress() + " (other family)");
                }
                int ipvsPort = f == Forward.MASQ ? backendPort : port;
                String key = ServiceConfig.hostPort(address, ipvsPort);
                Integer earlier = backendKeys.putIfAbsent(key, line);
                if (earlier != null) {
                    throw error("backend", key + " is already a backend of '" + name + "' (line " + earlier
                            + ")" + (f != Forward.MASQ ? "; with " + f.name().toLowerCase(Locale.ROOT)
                            + " forwarding IPVS keys backends by address and the service port" : ""));
                }
                backends.add(new BackendConfig(address, backendPort, weight, line));
            }

            ServiceConfig build() {
                return new ServiceConfig(name, serviceLine, protocol, vip, port, fwmark, ipv6,
                        scheduler != null ? scheduler : "mh", mhPort, mhFallback,
                        forward != null ? forward : Forward.ROUTE, tunnel,
                        check != null ? check : HealthCheckConfig.DEFAULT, backends);
            }
        }

        private ConfigException error(String field, String problem) {
            return new ConfigException(source, line, field, problem);
        }

        private int integer(String field, String text, int min, int max) throws ConfigException {
            return (int) longValue(field, text, min, max);
        }

        private long longValue(String field, String text, long min, long max) throws ConfigException {
            long v;
            try {
                if (!text.matches("\\d{1,10}")) {
                    throw new NumberFormatException();
                }
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error(field, "'" + text + "' is not a number");
            }
            if (v < min || v > max) {
                throw error(field, "'" + text + "' is not " + min + ".." + max);
            }
            return v;
        }

        private Duration duration(String field, String text, boolean zeroAllowed) throws ConfigException {
            Matcher m = DURATION.matcher(text);
            if (!m.matches()) {
                throw error(field, "'" + text + "' is not a duration (e.g. 500ms, 2s, 1m, 1h)");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            if (d.isZero() && !zeroAllowed) {
                throw error(field, "must be longer than 0");
            }
            if (d.compareTo(Duration.ofDays(7)) > 0) {
                throw error(field, "'" + text + "' is longer than 7 days");
            }
            return d;
        }

        private InetAddress address(String field, String text) throws ConfigException {
            boolean v4 = IPV4.matcher(text).matches();
            boolean v6 = !v4 && IPV6.matcher(text).matches();
            if (!v4 && !v6) {
                throw error(field, "'" + text + "' is not an IP address (names are not resolved)");
            }
            if (v4) {
                for (String part : text.split("\\.")) {
                    if (Integer.parseInt(part) > 255) {
                        throw error(field, "'" + text + "' is not an IPv4 address");
                    }
                }
            }
            InetAddress a;
            try {
                a = InetAddress.getByName(text);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw error(field, "'" + text + "' is not an IP address");
            }
            if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
                throw error(field, "'" + text + "' is not a unicast address");
            }
            return a;
        }

        private static InetAddress anyAddress(String host) {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@code 1.2.3.4:80} or {@code [2001:db8::1]:80}. */
        private InetSocketAddress endpoint(String field, String text, boolean anyAllowed) throws ConfigException {
            String host;
            String portText;
            if (text.startsWith("[")) {
                int close = text.indexOf("]:");
                if (close < 0) {
                    throw error(field, "'" + text + "' is not [IPv6]:PORT");
                }
                host = text.substring(1, close);
                portText = text.substring(close + 2);
            } else {
                int colon = text.lastIndexOf(':');
                if (colon < 0 || text.indexOf(':') != colon) {
                    throw error(field, "'" + text + "' is not IP:PORT (write IPv6 as [addr]:port)");
                }
                host = text.substring(0, colon);
                portText = text.substring(colon + 1);
            }
            InetAddress a = anyAllowed && (host.equals("0.0.0.0") || host.equals("::")) ? anyAddress(host)
                    : address(field, host);
            int p = integer(field + " port", portText, 0, 65535);
            return new InetSocketAddress(a, p);
        }

        /** The words of one statement, consumed left to right. */
        private final class Words {
            private final String[] words;
            private int next;

            Words(String[] words) {
                this.words = words;
            }

            boolean hasNext() {
                return next < words.length;
            }

            String next() {
                return words[next++];
            }

            /** The next word, which must be there: the value of {@code field}. */
            String value(String field) throws ConfigException {
                if (!hasNext()) {
                    throw error(field, "missing value");
                }
                return next();
            }
        }
    }
}
