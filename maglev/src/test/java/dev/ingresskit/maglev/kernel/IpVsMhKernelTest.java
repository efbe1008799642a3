package dev.ingresskit.maglev.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.maglev.IpvsMhDestination;
import dev.ingresskit.maglev.IpvsMhTable;
import dev.ingresskit.testsupport.Shell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kernel's {@code ip_vs_mh} scheduler against {@link IpvsMhTable}: a real IPVS service with the
 * {@code mh} scheduler and real servers of different weights schedules connections from many
 * clients; {@code ipvsadm -Lnc} shows where the kernel sent each one, and the table must have
 * predicted every single choice. Runs inside the kernel-test VM (kernel-tests/).
 *
 * <p>The clients are local: the whole 10.78.0.0/16 is routed {@code local} on lo, so a socket can
 * bind any address in it, and IPVS schedules locally originated traffic to a VIP on lo. The real
 * servers sit behind a dummy interface, where the tunnelled packets are dropped unseen; the
 * connection entries are all this test needs.
 */
@Tag("kernel")
class IpVsMhKernelTest {
    private static final String VIP = "10.79.0.1";
    private static final String REAL_SERVER_NET = "10.77.0";
    /** Weights 1, 2, 3, 5, 1 for real servers .10 to .14, added to the kernel in this order. */
    private static final int[] WEIGHTS = {1, 2, 3, 5, 1};
    private static final Pattern CONNECTION = Pattern.compile(
            "^(TCP|UDP)\\s+\\S+\\s+\\S+\\s+([0-9.]+):(\\d+)\\s+([0-9.]+):(\\d+)\\s+([0-9.]+):(\\d+)\\s*$");

    @BeforeAll
    static void network() {
        Shell.run("ip link add mh0 type dummy && ip link set mh0 up && ip addr add " + REAL_SERVER_NET + ".1/24 dev mh0"
                + " && ip route add local 10.78.0.0/16 dev lo && ip addr add " + VIP + "/32 dev lo");
    }

    @AfterAll
    static void cleanUp() {
        Shell.run("ip link del mh0; ip route del local 10.78.0.0/16 dev lo; ip addr del " + VIP + "/32 dev lo; true");
    }

    @ParameterizedTest(name = "{0} mh-port={1}: {2} addresses x {3} ports")
    @CsvSource({
        "UDP, false, 400, 1",     // only the address counts: many addresses
        "UDP, true,  80,  5",     // the port counts too: fewer addresses, several ports each
        "TCP, true,  30,  2",     // TCP SYNs are scheduled the same way
    })
    void kernelSchedulesEveryConnectionWhereTheTablePredicts(String protocol, boolean mhPort, int addresses, int ports)
            throws IOException {
        boolean udp = protocol.equals("UDP");
        int servicePort = 5000 + (udp ? 0 : 100) + (mhPort ? 1 : 0);
        String service = VIP + ":" + servicePort;
        String flag = udp ? "-u" : "-t";
        Shell.run("ipvsadm -A " + flag + " " + service + " -s mh" + (mhPort ? " -b mh-port" : ""));
        try {
            IpvsMhTable.Builder model = IpvsMhTable.builder().mhPort(mhPort);
            for (int i = 0; i < WEIGHTS.length; i++) {
                // -i (tunnel): the kernel stores the service port as the real server's port.
                String real = REAL_SERVER_NET + "." + (10 + i) + ":" + servicePort;
                Shell.run("ipvsadm -a " + flag + " " + service + " -r " + real + " -i -w " + WEIGHTS[i]);
                model.add(real, WEIGHTS[i]);
            }
            IpvsMhTable table = model.build();
            // The same service told in the opposite add order: a table populated oldest-first.
            IpvsMhTable.Builder reversed = IpvsMhTable.builder().mhPort(mhPort);
            for (int i = WEIGHTS.length - 1; i >= 0; i--) {
                reversed.add(REAL_SERVER_NET + "." + (10 + i) + ":" + servicePort, WEIGHTS[i]);
            }
            IpvsMhTable oldestFirst = reversed.build();

            Map<String, String> sent = new HashMap<>();     // client "ip:port" -> predicted real server
            Map<String, String> sentOldestFirst = new HashMap<>();
            InetSocketAddress vip = new InetSocketAddress(InetAddress.getByName(VIP), servicePort);
            for (int a = 0; a < addresses; a++) {
                InetAddress client = InetAddress.getByName("10.78." + (a / 200) + "." + (1 + a % 200));
                for (int p = 0; p < ports; p++) {
                    int clientPort = 20_000 + 97 * a + 1_009 * p;
                    connect(udp, new InetSocketAddress(client, clientPort), vip);
                    IpvsMhDestination predicted = table.lookup(client, clientPort).orElseThrow();
                    sent.put(client.getHostAddress() + ":" + clientPort, predicted.key());
                    sentOldestFirst.put(client.getHostAddress() + ":" + clientPort,
                            oldestFirst.lookup(client, clientPort).orElseThrow().key());
                }
            }

            Map<String, String> scheduled = connections(protocol, service);
            assertEquals(sent.size(), scheduled.size(),
                    "every client should have one connection entry; the kernel shows " + scheduled.size());
            List<String> mispredicted = new ArrayList<>();
            Map<String, Integer> perServer = new TreeMap<>();
            for (Map.Entry<String, String> e : sent.entrySet()) {
                String actual = scheduled.get(e.getKey());
                perServer.merge(String.valueOf(actual), 1, Integer::sum);
                if (!e.getValue().equals(actual)) {
                    mispredicted.add(e.getKey() + " predicted " + e.getValue() + ", kernel chose " + actual);
                }
            }
            assertEquals(List.of(), mispredicted, "kernel choices the ip_vs_mh model did not predict");
            // A test that every server passes with one destination would prove nothing.
            assertTrue(perServer.size() >= 4, "connections should spread over the real servers: " + perServer);
            // These flows are many enough to tell the kernel's newest-first walk from the oldest-first
            // one (about 1% of flows differ): the kernel's own choices refute the wrong order.
            long refuted = sentOldestFirst.entrySet().stream()
                    .filter(e -> !e.getValue().equals(scheduled.get(e.getKey()))).count();
            if (sent.size() >= 400) {
                assertTrue(refuted > 0, "an oldest-first table should mispredict some of " + sent.size() + " flows");
            }
            System.out.println(protocol + " mh-port=" + mhPort + ": " + sent.size()
                    + " connections, all predicted; per real server " + perServer
                    + "; an oldest-first table would mispredict " + refuted);
        } finally {
            Shell.run("ipvsadm -D " + flag + " " + service);
        }
    }

    /** One datagram, or one SYN (a non-blocking connect that never completes), from client to vip. */
    private static void connect(boolean udp, InetSocketAddress client, InetSocketAddress vip) throws IOException {
        if (udp) {
            try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET)) {
                channel.bind(client);
                channel.send(ByteBuffer.wrap(new byte[] {1}), vip);
            }
        } else {
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.INET)) {
                channel.bind(client);
                channel.configureBlocking(false);
                channel.connect(vip);
            }
        }
    }

    /** client "ip:port" -> real server "ip:port", from {@code ipvsadm -Lnc}, for one service. */
    private static Map<String, String> connections(String protocol, String service) {
        Map<String, String> result = new HashMap<>();
        for (String line : Shell.run("ipvsadm -Lnc").split("\n")) {
            Matcher m = CONNECTION.matcher(line);
            if (m.matches() && m.group(1).equals(protocol) && (m.group(4) + ":" + m.group(5)).equals(service)) {
                String previous = result.put(m.group(2) + ":" + m.group(3), m.group(6) + ":" + m.group(7));
                assertEquals(null, previous, "two connection entries for one client: " + line);
            }
        }
        return result;
    }
}
