package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.VipRoute;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Talks to ExaBGP 4 through its process API: the director runs as an ExaBGP {@code process}, and
 * each change is a text line on the director's standard output, {@code announce route P next-hop
 * self ...} or {@code withdraw route P next-hop self}. ExaBGP keeps announced routes in its own RIB
 * (across session resets), so only changes are written.
 *
 * <p>The stream must carry nothing but these lines: ExaBGP parses every line as a command.
 */
public final class ExabgpAnnouncer implements RouteAnnouncer {
    private final OutputStream out;
    private final long localAs;
    private final Map<InetAddress, VipRoute> announced = new HashMap<>();
    private boolean first = true;

    /**
     * @param out     ExaBGP's pipe (the process's standard output in production)
     * @param localAs the AS ExaBGP speaks as ({@code local-as}); needed only for routes with a
     *                prepend, because ExaBGP sends a given AS path as it is; 0 = not known
     */
    public ExabgpAnnouncer(OutputStream out, long localAs) {
        if (localAs < 0 || localAs > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("exabgp: local AS " + localAs + " is outside 0..4294967295");
        }
        this.out = out;
        this.localAs = localAs;
    }

    private static ExabgpAnnouncer standard;

    /**
     * The announcer on the process's standard output; afterwards {@code System.out} is standard
     * error. ExaBGP answers each command with {@code done} or {@code error} on our standard input
     * (exabgp.api.ack): a daemon thread reads them, so the pipe never fills, and reports errors.
     */
    public static synchronized ExabgpAnnouncer onStandardStreams(long localAs) {
        if (standard == null) {
            PrintStream stdout = System.out;
            System.setOut(System.err);
            standard = new ExabgpAnnouncer(stdout, localAs);
            Thread.ofPlatform().daemon().name("exabgp-acks").start(() -> readAcks(System.in));
        }
        return standard;
    }

    private static void readAcks(java.io.InputStream in) {
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.equals("done")) {
                    System.err.println("exabgp answered: " + line);
                }
            }
        } catch (IOException e) {
            System.err.println("exabgp: reading its answers failed: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return "exabgp";
    }

    @Override
    public synchronized void update(List<VipRoute> announce, List<VipRoute> withdraw) throws IOException {
        StringBuilder lines = new StringBuilder();
        Set<InetAddress> wanted = new HashSet<>();
        for (VipRoute r : announce) {
            wanted.add(r.address());
        }
        Set<InetAddress> gone = new HashSet<>();
        for (VipRoute r : withdraw) {
            if (wanted.contains(r.address())) {
                throw new IllegalArgumentException("exabgp: " + r.prefix() + " is both announced and withdrawn");
            }
            // On the first call a previous process may have left the route in ExaBGP's RIB.
            if (first || announced.containsKey(r.address())) {
                lines.append(withdrawLine(r)).append('\n');
                gone.add(r.address());
            }
        }
        for (VipRoute old : announced.values()) {
            if (!wanted.contains(old.address()) && !gone.contains(old.address())) {
                lines.append(withdrawLine(old)).append('\n');
            }
        }
        for (VipRoute r : announce) {
            if (!r.equals(announced.get(r.address()))) {
                lines.append(announceLine(r)).append('\n');
            }
        }
        if (!lines.isEmpty()) {
            out.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            if (out instanceof PrintStream ps && ps.checkError()) {
                throw new IOException("exabgp: the pipe to ExaBGP is closed (has ExaBGP stopped?)");
            }
        }
        announced.clear();
        for (VipRoute r : announce) {
            announced.put(r.address(), r);
        }
        first = false;
    }

    /** The API line announcing {@code route}. */
    String announceLine(VipRoute route) {
        StringBuilder b = new StringBuilder("announce route ").append(route.prefix()).append(" next-hop self");
        route.med().ifPresent(med -> b.append(" med ").append(med));
        if (!route.communities().isEmpty()) {
            b.append(" community [");
            for (int i = 0; i < route.communities().size(); i++) {
                b.append(i == 0 ? "" : " ").append(route.communities().get(i));
            }
            b.append(']');
        }
        if (route.prepend() > 0) {
            if (localAs == 0) {
                throw new IllegalStateException("exabgp: " + route.prefix() + " asks for prepend " + route.prepend()
                        + " but the local AS is not known (set 'bgp local-as')");
            }
            // An AS path given in the command is sent verbatim (ExaBGP does not add its own AS
            // in front of it), so the path is the local AS 1 + prepend times.
            b.append(" as-path [");
            for (int i = 0; i <= route.prepend(); i++) {
                b.append(i == 0 ? "" : " ").append(localAs);
            }
            b.append(']');
        }
        return b.toString();
    }

    /** The API line withdrawing {@code route}. */
    static String withdrawLine(VipRoute route) {
        return "withdraw route " + route.prefix() + " next-hop self";
    }

    @Override
    public void close() {
        // The pipe belongs to the process (standard output); nothing to release.
    }
}
