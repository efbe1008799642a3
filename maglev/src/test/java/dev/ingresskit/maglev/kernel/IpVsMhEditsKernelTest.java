package dev.ingresskit.maglev.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.maglev.IpvsMhTable;
import dev.ingresskit.testsupport.Shell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The parts of {@link IpvsMhTable} that depend on the history of a service, against the real kernel:
 * a destination deleted and added again (it becomes the newest, so population order changes), a
 * weight edited to another non-zero value (new turns), and a destination edited to weight 0 (it keeps
 * its slots through {@code last_weight}; clients landing there get no destination, or with
 * mh-fallback are rehashed to another). The model replays the same ipvsadm commands; then UDP clients
 * send one datagram each and {@code ipvsadm -Lnc} must show exactly the predicted choices; where the
 * model says the kernel schedules none, the kernel must drop the datagram (IPVS answers NF_DROP, so the
 * local sender gets EPERM) and show no entry. Runs in the kernel-test VM.
 *
 * <p>Its own addresses (clients 10.88.0.0/16 local on lo, VIP 10.89.0.1, real servers 10.87.0.x
 * behind a dummy), so it cannot see IpVsMhKernelTest's services.
 */
@Tag("kernel")
class IpVsMhEditsKernelTest {
    private static final String VIP = "10.89.0.1";
    private static final Pattern CONNECTION = Pattern.compile(
            "^UDP\\s+\\S+\\s+\\S+\\s+([0-9.]+):(\\d+)\\s+([0-9.]+):(\\d+)\\s+([0-9.]+):(\\d+)\\s*$");

    @BeforeAll
    static void network() {
        Shell.run("ip link add mhe0 type dummy && ip link set mhe0 up && ip addr add 10.87.0.1/24 dev mhe0"
                + " && ip route add local 10.88.0.0/16 dev lo && ip addr add " + VIP + "/32 dev lo");
    }

    @AfterAll
    static void cleanUp() {
        Shell.run("ip link del mhe0; ip route del local 10.88.0.0/16 dev lo; ip addr del " + VIP + "/32 dev lo; true");
    }

    @ParameterizedTest(name = "mh-fallback={0}")
    @ValueSource(booleans = {false, true})
    void historyOfTheServiceDecidesTheTable(boolean fallback) throws IOException {
        int port = fallback ? 6001 : 6000;
        String service = VIP + ":" + port;
        Shell.run("ipvsadm -A -u " + service + " -s mh" + (fallback ? " -b mh-fallback" : ""));
        try {
            IpvsMhTable.Builder model = IpvsMhTable.builder().mhFallback(fallback);
            String[] reals = new String[5];
            int[] weights = {2, 1, 3, 1, 2};
            for (int i = 0; i < reals.length; i++) {
                reals[i] = "10.87.0." + (10 + i) + ":" + port;
                Shell.run("ipvsadm -a -u " + service + " -r " + reals[i] + " -i -w " + weights[i]);
                model.add(reals[i], weights[i]);
            }
            // the oldest goes away and comes back: now the newest, first in the kernel's list
            Shell.run("ipvsadm -d -u " + service + " -r " + reals[0]);
            model.delete(InetAddress.getByName("10.87.0.10"), port);
            Shell.run("ipvsadm -a -u " + service + " -r " + reals[0] + " -i -w 2");
            model.add(reals[0], 2);
            // a new non-zero weight: new turns
            Shell.run("ipvsadm -e -u " + service + " -r " + reals[2] + " -i -w 4");
            model.edit(InetAddress.getByName("10.87.0.12"), port, 4);
            // drained to 0: keeps its slots (last_weight 1), schedules nothing itself
            Shell.run("ipvsadm -e -u " + service + " -r " + reals[3] + " -i -w 0");
            model.edit(InetAddress.getByName("10.87.0.13"), port, 0);
            IpvsMhTable table = model.build();

            Map<String, String> predicted = new HashMap<>(); // client -> real server, or "-" for none
            InetSocketAddress vip = new InetSocketAddress(InetAddress.getByName(VIP), port);
            int landOnDrained = 0;
            List<String> refused = new ArrayList<>();
            for (int a = 0; a < 300; a++) {
                InetAddress client = InetAddress.getByName("10.88." + (a / 200) + "." + (1 + a % 200));
                int clientPort = 30_000 + a;
                if (!send(new InetSocketAddress(client, clientPort), vip)) {
                    refused.add(client.getHostAddress() + ":" + clientPort);
                }
                predicted.put(client.getHostAddress() + ":" + clientPort,
                        table.lookup(client, clientPort).map(d -> d.key()).orElse("-"));
                int first = table.destinationIndexAt(table.slot(client, clientPort));
                if (table.destinations().get(first).weight() == 0) {
                    landOnDrained++;
                }
            }
            assertTrue(landOnDrained >= 10, "the drained server's slots should catch some clients: " + landOnDrained);

            Map<String, String> scheduled = connections(service);
            List<String> wrong = new ArrayList<>();
            Map<String, Integer> perServer = new TreeMap<>();
            for (Map.Entry<String, String> e : predicted.entrySet()) {
                String actual = scheduled.getOrDefault(e.getKey(), "-");
                perServer.merge(actual, 1, Integer::sum);
                if (!e.getValue().equals(actual)) {
                    wrong.add(e.getKey() + " predicted " + e.getValue() + ", kernel " + actual);
                }
            }
            assertEquals(List.of(), wrong, "kernel choices the model did not predict");
            List<String> predictedNone = new ArrayList<>();
            predicted.forEach((client, dest) -> {
                if (dest.equals("-")) {
                    predictedNone.add(client);
                }
            });
            assertEquals(new java.util.TreeSet<>(predictedNone), new java.util.TreeSet<>(refused),
                    "the kernel drops exactly the datagrams the model schedules nowhere");
            assertEquals(fallback ? null : landOnDrained, perServer.get("-"),
                    "clients without a destination: " + perServer);
            System.out.println("mh-fallback=" + fallback + ": 300 clients, " + landOnDrained
                    + " landing on the drained server, all predicted; " + perServer);
        } finally {
            Shell.run("ipvsadm -D -u " + service);
        }
    }

    /** The IPVS core does not schedule client source port 20 (FTP data); the model says none for it. */
    @org.junit.jupiter.api.Test
    void sourcePort20IsNotScheduled() throws IOException {
        int port = 6020;
        String service = VIP + ":" + port;
        Shell.run("ipvsadm -A -u " + service + " -s mh -b mh-port");
        try {
            IpvsMhTable.Builder model = IpvsMhTable.builder().mhPort(true);
            for (int i = 0; i < 3; i++) {
                String real = "10.87.0." + (20 + i) + ":" + port;
                Shell.run("ipvsadm -a -u " + service + " -r " + real + " -i -w 1");
                model.add(real, 1);
            }
            IpvsMhTable table = model.build();
            InetSocketAddress vip = new InetSocketAddress(InetAddress.getByName(VIP), port);
            Map<String, String> predicted = new HashMap<>();
            for (int a = 0; a < 20; a++) {
                InetAddress client = InetAddress.getByName("10.88.5." + (1 + a));
                for (int clientPort : new int[] {20, 21}) {
                    send(new InetSocketAddress(client, clientPort), vip);
                    predicted.put(client.getHostAddress() + ":" + clientPort,
                            table.lookup(client, clientPort).map(d -> d.key()).orElse("-"));
                }
            }
            Map<String, String> scheduled = connections(service);
            Map<String, String> actual = new HashMap<>();
            predicted.keySet().forEach(client -> actual.put(client, scheduled.getOrDefault(client, "-")));
            assertEquals(new TreeMap<>(predicted), new TreeMap<>(actual));
            assertEquals(20, predicted.values().stream().filter(d -> d.equals("-")).count());
        } finally {
            Shell.run("ipvsadm -D -u " + service);
        }
    }

    /** One datagram; false when the kernel refused it (EPERM: IPVS dropped it, no destination). */
    private static boolean send(InetSocketAddress client, InetSocketAddress vip) throws IOException {
        try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(client);
            channel.send(ByteBuffer.wrap(new byte[] {1}), vip);
            return true;
        } catch (java.net.SocketException e) {
            if ("Operation not permitted".equals(e.getMessage())) {
                return false;
            }
            throw e;
        }
    }

    private static Map<String, String> connections(String service) {
        Map<String, String> result = new HashMap<>();
        for (String line : Shell.run("ipvsadm -Lnc").split("\n")) {
            Matcher m = CONNECTION.matcher(line);
            if (m.matches() && (m.group(3) + ":" + m.group(4)).equals(service)) {
                result.put(m.group(1) + ":" + m.group(2), m.group(5) + ":" + m.group(6));
            }
        }
        return result;
    }
}
