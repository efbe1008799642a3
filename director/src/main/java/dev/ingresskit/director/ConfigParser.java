package dev.ingresskit.director;

import dev.ingresskit.director.HealthCheckConfig.Kind;
import dev.ingresskit.director.ServiceConfig.Forwarding;
import dev.ingresskit.ipvs.AddressFamily;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.DestinationKey;
import dev.ingresskit.ipvs.ForwardingMethod;
import dev.ingresskit.ipvs.IpAddresses;
import dev.ingresskit.ipvs.Protocol;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;
import dev.ingresskit.maglev.IpvsMhTable;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the director's line-oriented config format (documented in examples/README.md): one
 * statement a line, {@code #} starts a comment, words are separated by blanks. Global settings
 * ({@code http}, {@code drain}, {@code check-threads}, {@code mh-table-size}, {@code bgp ...}) come
 * first; each {@code service} line opens a block that the following {@code scheduler}, {@code forward},
 * {@code tunnel}, {@code check}, {@code announce} and {@code backend} lines belong to (indentation is
 * for people).
 *
 * <p>Every problem is a {@link ConfigException} naming line and field; addresses are IP literals
 * only (no name lookups). Stateless and thread-safe.
 */
public final class ConfigParser {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    private ConfigParser() {
    }

    /**
     * Reads and parses a file; the file name is the source in error messages, including those that
     * say why it could not be read (line 0, field {@code file}).
     */
    public static DirectorConfig parse(Path file) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw new ConfigException(file.toString(), 0, "file", "is a directory, not a config file");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, "file", "no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new ConfigException(file.toString(), 0, "file", "permission denied");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "file", "cannot be read: " + e.getMessage());
        }
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
        private final BgpLines bgp = new BgpLines();
        /** The line of each service's {@code announce}, for errors found once the file is read. */
        private final Map<String, Integer> announceLines = new HashMap<>();
        private final List<ServiceConfig> services = new ArrayList<>();
        private final Map<String, Integer> serviceNames = new HashMap<>();
        private final Map<String, Integer> serviceIdentities = new HashMap<>();
        private ServiceBuilder current;

        Run(String source) {
            this.source = source;
        }

        DirectorConfig parse(String text) throws ConfigException {
            int start = 0;
            for (int i = 0; start <= text.length(); i++) {
                line = i + 1;
                int end = text.indexOf('\n', start);
                if (end < 0) {
                    end = text.length();
                }
                int stop = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end; // a CRLF file
                String content = text.substring(start, stop);
                start = end + 1;
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
                statement(new Words(words(content)));
            }
            finishService();
            BgpConfig bgpConfig = bgp.build();
            checkAnnouncements(bgpConfig);
            line = 0;
            return new DirectorConfig(
                    http != null ? http : new InetSocketAddress(InetAddress.getLoopbackAddress(),
                            DirectorConfig.DEFAULT_HTTP_PORT),
                    drain != null ? drain : DirectorConfig.DEFAULT_DRAIN,
                    checkThreads != null ? checkThreads : DirectorConfig.DEFAULT_CHECK_THREADS,
                    mhTableSize != null ? mhTableSize : IpvsMhTable.DEFAULT_TABLE_SIZE,
                    services, bgpConfig);
        }

        /** The words of a stripped line, separated by runs of blanks and tabs (only those). */
        private static String[] words(String content) {
            List<String> words = new ArrayList<>(8);
            int i = 0;
            while (i < content.length()) {
                int end = i;
                while (end < content.length() && content.charAt(end) != ' ' && content.charAt(end) != '\t') {
                    end++;
                }
                words.add(content.substring(i, end));
                i = end;
                while (i < content.length() && (content.charAt(i) == ' ' || content.charAt(i) == '\t')) {
                    i++;
                }
            }
            return words.toArray(String[]::new);
        }

        /**
         * Checks what needs the whole file: {@code prepend} needs the local AS, and services sharing a
         * VIP share one route, so they must give it the same attributes.
         */
        private void checkAnnouncements(BgpConfig bgpConfig) throws ConfigException {
            Map<InetAddress, ServiceConfig> byVip = new HashMap<>();
            for (ServiceConfig s : services) {
                AnnounceConfig a = s.announce();
                if (a == null) {
                    continue;
                }
                line = announceLines.get(s.name());
                if (a.prepend() > 0 && (bgpConfig == null || bgpConfig.localAs() == 0)) {
                    throw error("announce prepend", "needs the speaker's AS: add a global 'bgp local-as N' line");
                }
                ServiceConfig first = byVip.putIfAbsent(s.vip(), s);
                if (first != null && !(first.announce().communities().equals(a.communities())
                        && first.announce().med().equals(a.med()) && first.announce().prepend() == a.prepend())) {
                    throw error("announce", "service '" + first.name() + "' (line " + announceLines.get(first.name())
                            + ") announces the same VIP with other attributes; one route carries both: give them"
                            + " the same community, med and prepend");
                }
            }
        }

        /** The global {@code bgp} lines as they are read. */
        private final class BgpLines {
            BgpConfig.Speaker speaker;
            Path birdFile;
            Path birdSocket;
            Long localAs;
            Duration grace;
            Duration holdDown;
            int firstLine;

            void statement(Words w) throws ConfigException {
                String what = w.value("bgp");
                String field = "bgp " + what;
                if (firstLine == 0) {
                    firstLine = line;
                }
                switch (what) {
                    case "speaker" -> global(field, () -> {
                        String kind = w.value(field);
                        switch (kind) {
                            case "exabgp" -> speaker = BgpConfig.Speaker.EXABGP;
                            case "bird" -> {
                                speaker = BgpConfig.Speaker.BIRD;
                                birdFile = absolutePath(field + " file", w.value(field + " file"));
                                birdSocket = absolutePath(field + " socket", w.value(field + " socket"));
                            }
                            default -> throw error(field, "'" + kind + "' (expected exabgp, or bird FILE SOCKET)");
                        }
                    }, speaker);
                    case "local-as" -> global(field, () -> localAs = longValue(field, w.value(field), 1, 0xFFFF_FFFFL),
                            localAs);
                    case "grace" -> global(field, () -> grace = duration(field, w.value(field), true), grace);
                    case "hold-down" -> global(field, () -> holdDown = duration(field, w.value(field), true), holdDown);
                    default -> throw error("bgp", "'" + what + "' (expected speaker, local-as, grace or hold-down)");
                }
            }

            private Path absolutePath(String field, String text) throws ConfigException {
                Path p;
                try {
                    p = Path.of(text);
                } catch (java.nio.file.InvalidPathException e) {
                    throw error(field, "'" + text + "' is not a path");
                }
                if (!p.isAbsolute()) {
                    throw error(field, "'" + text + "' is not an absolute path");
                }
                return p;
            }

            BgpConfig build() throws ConfigException {
                if (firstLine == 0) {
                    return null;
                }
                if (speaker == null) {
                    line = firstLine;
                    throw error("bgp", "the bgp lines need a 'bgp speaker exabgp' or 'bgp speaker bird FILE SOCKET'");
                }
                return new BgpConfig(speaker, birdFile, birdSocket, localAs == null ? 0 : localAs,
                        grace != null ? grace : BgpConfig.DEFAULT_GRACE,
                        holdDown != null ? holdDown : BgpConfig.DEFAULT_HOLD_DOWN);
            }
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
                    if (!IpvsMhTable.TABLE_SIZES.contains(m)) {
                        throw error(keyword, m + " is not a kernel ip_vs_mh table size (one of "
                                + IpvsMhTable.TABLE_SIZES + ")");
                    }
                    mhTableSize = m;
                }, mhTableSize);
                case "service" -> service(w);
                case "scheduler" -> inService(keyword).scheduler(w);
                case "forward" -> inService(keyword).forward(w);
                case "tunnel" -> inService(keyword).tunnel(w);
                case "check" -> inService(keyword).check(w);
                case "backend" -> inService(keyword).backend(w);
                case "backends" -> inService(keyword).backendsFrom(w);
                case "bgp" -> bgp.statement(w);
                case "announce" -> inService(keyword).announce(w);
                default -> throw error(keyword, "unknown keyword (expected http, drain, check-threads, "
                        + "mh-table-size, bgp, service, scheduler, forward, tunnel, check, backend, backends or announce)");
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
                    InetSocketAddress vip = endpoint("service address", w.value("service address"), false);
                    if (vip.getPort() == 0) {
                        throw error("service address", "port 0 (give the service's port)");
                    }
                    b.service.address(Protocol.valueOf(proto.toUpperCase(Locale.ROOT)), vip.getAddress(), vip.getPort());
                }
                case "fwmark" -> {
                    long mark = longValue("service fwmark", w.value("service fwmark"), 1, 0xFFFF_FFFFL);
                    String family = w.hasNext() ? w.next() : "inet";
                    AddressFamily f = switch (family) {
                        case "inet" -> AddressFamily.INET;
                        case "inet6" -> AddressFamily.INET6;
                        default -> throw error("service family", "'" + family + "' (expected inet or inet6)");
                    };
                    b.service.fwmark(f, (int) mark);
                }
                default -> throw error("service protocol", "'" + proto + "' (expected tcp, udp, sctp or fwmark)");
            }
            b.built = build("service", b.service);
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
            /** Identity, scheduler (mh unless a scheduler line says otherwise) and flags. */
            final Service.Builder service = Service.builder().scheduler("mh");
            /** The service as built from the lines so far. */
            Service built;
            Forwarding forwarding = Forwarding.ROUTE;
            HealthCheckConfig check;
            BackendQuery discovery;
            AnnounceConfig announce;
            final Set<String> seen = new HashSet<>();
            final List<BackendConfig> backends = new ArrayList<>();
            final Map<DestinationKey, Integer> backendKeys = new HashMap<>();
            /** The service as its backends see it, made at the first backend line. */
            ServiceConfig probe;

            ServiceBuilder(String name, int line) {
                this.name = name;
                this.serviceLine = line;
            }

            String identity() {
                return new ServiceConfig(name, serviceLine, built, forwarding, HealthCheckConfig.DEFAULT, List.of(),
                        null).identity();
            }

            boolean ipv6() {
                return built.family() == AddressFamily.INET6;
            }

            private void once(String keyword) throws ConfigException {
                if (!seen.add(keyword)) {
                    throw error(keyword, "given twice in service '" + name + "'");
                }
                if (!backends.isEmpty() || discovery != null) {
                    throw error(keyword, "put it before the service's backend lines");
                }
            }

            void scheduler(Words w) throws ConfigException {
                once("scheduler");
                String s = w.value("scheduler");
                if (!s.matches("[a-z][a-z0-9_]*")) {
                    throw error("scheduler", "'" + s + "' is not a scheduler name (e.g. mh, wrr, rr)");
                }
                try {
                    service.scheduler(s); // ipvs-netlink checks the kernel's length limit
                } catch (IllegalArgumentException e) {
                    throw error("scheduler", e.getMessage());
                }
                int flags = 0;
                while (w.hasNext()) {
                    String flag = w.next();
                    flags |= switch (flag) {
                        case "mh-port" -> ServiceFlags.MH_PORT;
                        case "mh-fallback" -> ServiceFlags.MH_FALLBACK;
                        default -> throw error("scheduler", "unknown flag '" + flag + "' (expected mh-port or mh-fallback)");
                    };
                    if (!s.equals("mh")) {
                        throw error("scheduler " + flag, "only for scheduler mh, not " + s);
                    }
                }
                if (flags != 0) {
                    service.schedulerFlags(flags);
                }
                built = Run.this.build("scheduler", service);
            }

            void forward(Words w) throws ConfigException {
                if (seen.contains("tunnel")) {
                    throw error("forward", "service '" + name + "' has a tunnel line already (tunnel implies forwarding by tunnel)");
                }
                once("forward");
                String f = w.value("forward");
                forwarding = switch (f) {
                    case "route" -> Forwarding.ROUTE;
                    case "masq" -> new Forwarding(ForwardingMethod.MASQUERADE, null, 0, TunnelFlags.NONE);
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
                TunnelType kind = switch (k) {
                    case "ipip" -> TunnelType.IPIP;
                    case "gue" -> TunnelType.GUE;
                    case "gre" -> TunnelType.GRE;
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
                if (kind == TunnelType.GUE && tunnelPort == 0) {
                    throw error("tunnel port", "a gue tunnel needs 'port N' (the backends' FOU/GUE receive port)");
                }
                if (kind != TunnelType.GUE && tunnelPort != 0) {
                    throw error("tunnel port", "only gue tunnels have a port, not " + k);
                }
                if (kind == TunnelType.IPIP && csum) {
                    throw error("tunnel csum", "ipip has no checksum (gue and gre do)");
                }
                if (kind != TunnelType.GUE && remcsum) {
                    throw error("tunnel remcsum", "remote checksum offload is a gue option, not " + k);
                }
                forwarding = new Forwarding(ForwardingMethod.TUNNEL, kind, tunnelPort,
                        new TunnelFlags((csum ? TunnelFlags.CSUM : 0) | (remcsum ? TunnelFlags.REMCSUM : 0)));
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
                if (discovery != null) {
                    throw error("backend", "service '" + name + "' takes its backends from line " + discovery.line()
                            + " ('" + discovery + "'), not from backend lines");
                }
                String text = w.value("backend address");
                if (text.startsWith("[") && text.contains("]:")) {
                    throw error("backend address", "'" + text + "': write the port as 'port N' ("
                            + "backend " + text.substring(0, text.indexOf("]:") + 1) + " port "
                            + text.substring(text.indexOf("]:") + 2) + ")");
                }
                InetAddress address = address("backend address", text);
                int backendPort = built.port();
                int weight = 1;
                boolean portGiven = false;
                boolean weightGiven = false;
                while (w.hasNext()) {
                    String option = w.next();
                    switch (option) {
                        case "port" -> {
                            if (portGiven) {
                                throw error("backend port", "given twice");
                            }
                            portGiven = true;
                            backendPort = integer("backend port", w.value("backend port"), 1, 65535);
                        }
                        case "weight" -> {
                            if (weightGiven) {
                                throw error("backend weight", "given twice");
                            }
                            weightGiven = true;
                            weight = integer("backend weight", w.value("backend weight"), 0, 65535);
                        }
                        default -> throw error("backend", "unknown option '" + option + "' (expected port or weight)");
                    }
                }
                HealthCheckConfig c = check != null ? check : HealthCheckConfig.DEFAULT;
                if (built.fwmark() != 0 && backendPort == 0 && c.kind() != Kind.NONE && c.port() == 0) {
                    throw error("backend port", "a fwmark service has no port: give the backend 'port N' "
                            + "or the check 'port N' (or 'check none')");
                }
                boolean backendV6 = address instanceof Inet6Address;
                if (backendV6 != ipv6() && forwarding.method() != ForwardingMethod.TUNNEL) {
                    throw error("backend address", IpAddresses.format(address) + " is " + (backendV6 ? "IPv6" : "IPv4")
                            + " but the service is " + (ipv6() ? "IPv6" : "IPv4")
                            + " (the kernel mixes families only for tunnel forwarding)");
                }
                if (c.source() != null && (c.source() instanceof Inet6Address) != backendV6) {
                    throw error("backend address", IpAddresses.format(address)
                            + " cannot be checked from source " + IpAddresses.format(c.source()) + " (other family)");
                }
                if (probe == null) {
                    // Every line that shapes a destination comes before the first backend (once() says so).
                    probe = new ServiceConfig(name, serviceLine, built, forwarding, c, List.of(), null);
                }
                Destination destination;
                try {
                    destination = probe.destination(address, backendPort, weight);
                } catch (IllegalArgumentException e) {
                    throw error("backend", e.getMessage());
                }
                Integer earlier = backendKeys.putIfAbsent(destination.key(), line);
                if (earlier != null) {
                    String key = destination.key().toString();
                    throw error("backend", key + " is already a backend of '" + name + "' (line " + earlier
                            + ")" + (forwarding.method() != ForwardingMethod.MASQUERADE ? "; with " + forwarding
                            + " forwarding IPVS keys backends by address and the service port" : ""));
                }
                backends.add(new BackendConfig(address, backendPort, weight, line));
            }

            void backendsFrom(Words w) throws ConfigException {
                String from = w.value("backends");
                if (!from.equals("from")) {
                    throw error("backends", "'" + from + "' (expected 'backends from KIND ...')");
                }
                if (!backends.isEmpty()) {
                    throw error("backends from", "service '" + name + "' already has backend lines (line "
                            + backends.getFirst().line() + "): use one or the other");
                }
                if (discovery != null) {
                    throw error("backends from", "given twice in service '" + name + "' (line " + discovery.line() + ")");
                }
                String kind = w.value("backends from");
                if (!NAME.matcher(kind).matches()) {
                    throw error("backends from", "'" + kind + "' is not a source kind (e.g. kubernetes)");
                }
                List<String> arguments = new ArrayList<>();
                while (w.hasNext()) {
                    arguments.add(w.next());
                }
                discovery = new BackendQuery(kind, arguments, line);
            }

            /** {@code announce [min-healthy N] [community A:B]... [med N] [prepend N]}. */
            void announce(Words w) throws ConfigException {
                once("announce");
                if (built.fwmark() != 0) {
                    throw error("announce", "a fwmark service has no single VIP to announce");
                }
                int minHealthy = 1;
                List<Community> communities = new ArrayList<>();
                OptionalLong med = OptionalLong.empty();
                int prepend = 0;
                Set<String> given = new HashSet<>();
                while (w.hasNext()) {
                    String option = w.next();
                    String field = "announce " + option;
                    if (!option.equals("community") && !given.add(option)) {
                        throw error(field, "given twice");
                    }
                    switch (option) {
                        case "min-healthy" -> minHealthy = integer(field, w.value(field), 1, 1_000_000);
                        case "community" -> {
                            String text = w.value(field);
                            try {
                                communities.add(Community.parse(text));
                            } catch (IllegalArgumentException e) {
                                throw error(field, "'" + text + "' is not ASN:VALUE (each 0..65535)");
                            }
                        }
                        case "med" -> med = OptionalLong.of(longValue(field, w.value(field), 0, 0xFFFF_FFFFL));
                        case "prepend" -> prepend = integer(field, w.value(field), 0, VipRoute.MAX_PREPEND);
                        default -> throw error("announce", "'" + option
                                + "' (expected min-healthy N, community ASN:VALUE, med N or prepend N)");
                    }
                }
                announce = new AnnounceConfig(minHealthy, communities, med, prepend);
                announceLines.put(name, line);
            }

            ServiceConfig build() throws ConfigException {
                try {
                    return new ServiceConfig(name, serviceLine, built, forwarding,
                            check != null ? check : HealthCheckConfig.DEFAULT, backends, discovery, announce);
                } catch (IllegalArgumentException e) {
                    line = serviceLine;
                    throw error("service", e.getMessage());
                }
            }
        }

        /** Builds an ipvs-netlink service, its validation errors becoming this line's errors. */
        private Service build(String field, Service.Builder service) throws ConfigException {
            try {
                return service.build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw error(field, e.getMessage());
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
                if (!isNumber(text)) {
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

        /** One to ten ASCII digits. */
        private static boolean isNumber(String text) {
            if (text.isEmpty() || text.length() > 10) {
                return false;
            }
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return false;
                }
            }
            return true;
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
            InetAddress a;
            try {
                a = IpAddresses.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(field, e.getMessage());
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
