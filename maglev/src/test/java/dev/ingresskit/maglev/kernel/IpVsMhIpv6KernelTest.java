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
import org.junit.jupiter.api.Test;

/**
 * IPv6 services against the real kernel: addresses are XOR-folded to 32 bits before hashing, for the
 * real servers and for the clients. Clients bind addresses of fd88::/64 (a local route on lo, with
 * net.ipv6.ip_nonlocal_bind), the VIP is fd89::1, the real servers sit behind a dummy in fd87::/64.
 * Runs in the kernel-test VM.
 */
@Tag("kernel")
class IpVsMhIpv6KernelTest {
    private static final String VIP = "fd89::1";
    private static final Pattern CONNECTION = Pattern.compile(
            "^UDP\\s+\\S+\\s+\\S+\\s+\\[([0-9a-f:]+)\\]:(\\d+)\\s+\\[([0-9a-f:]+)\\]:(\\d+)\\s+\\[([0-9a-f:]+)\\]:(\\d+)\\s*$");

    @BeforeAll
    static void network() {
        Shell.run("sysctl -w net.ipv6.conf.all.disable_ipv6=0 >/dev/null; sysctl -w net.ipv6.ip_nonlocal_bind=1 >/dev/null"
                + " && ip link add mh6 type dummy && ip link set mh6 up && ip -6 addr add fd87::1/64 dev mh6 nodad"
                + " && ip link set lo up && ip -6 addr add " + VIP + "/128 dev lo nodad"
                + " && ip -6 route add local fd88::/64 dev lo");
    }

    @AfterAll
    static void cleanUp() {
        Shell.run("ip link del mh6; ip -6 route del local fd88::/64 dev lo; ip -6 addr del " + VIP + "/128 dev lo; true");
    }

    @Test
    void ipv6AddressesAreFoldedAsTheKernelFoldsThem() throws IOException {
        int port = 7000;
        String service = "[" + VIP + "]:" + port;
        Shell.run("ipvsadm -A -u " + service + " -s mh -b mh-port");
        try {
            IpvsMhTable.Builder model = IpvsMhTable.builder().mhPort(true);
            int[] weights = {1, 2, 1, 3};
            for (int i = 0; i < weights.length; i++) {
                String real = "[fd87::" + Integer.toHexString(0x10 + i) + ":" + Integer.toHexString(0xbeef * (i + 1) & 0xffff)
                        + "]:" + port;
                Shell.run("ipvsadm -a -u " + service + " -r " + real + " -i -w " + weights[i]);
                model.add(real, weights[i]);
            }
            IpvsMhTable table = model.build();
            assertTrue(table.ipv6Service());

            Map<String, String> predicted = new HashMap<>();
            InetSocketAddress vip = new InetSocketAddress(InetAddress.getByName(VIP), port);
            for (int a = 0; a < 200; a++) {
                // vary all four 32-bit words so the fold matters
                InetAddress client = InetAddress.getByName("fd88::" + Integer.toHexString(a * 7919 & 0xffff) + ":"
                        + Integer.toHexString(a * 31 + 1) + ":" + Integer.toHexString(a) + ":" + Integer.toHexString(a * 13 + 5));
                int clientPort = 40_000 + a;
                try (DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET6)) {
                    channel.bind(new InetSocketAddress(client, clientPort));
                    channel.send(ByteBuffer.wrap(new byte[] {1}), vip);
                }
                predicted.put(new InetSocketAddress(client, clientPort).getAddress().getHostAddress().replaceAll("%.*", "")
                        + "|" + clientPort, table.lookup(client, clientPort).orElseThrow().key());
            }

            Map<String, String> scheduled = new HashMap<>();
            for (String line : Shell.run("ipvsadm -Lnc").split("\n")) {
                Matcher m = CONNECTION.matcher(line.trim());
                if (m.matches() && ("[" + m.group(3) + "]:" + m.group(4)).equals(service)) {
                    String client = InetAddress.getByName(m.group(1)).getHostAddress() + "|" + m.group(2);
                    String real = "[" + m.group(5) + "]:" + m.group(6);
                    scheduled.put(client, real);
                }
            }
            assertEquals(predicted.size(), scheduled.size(), "one entry per client; ipvsadm -Lnc:\n"
                    + Shell.run("ipvsadm -Lnc | head -5"));
            List<String> wrong = new ArrayList<>();
            Map<String, Integer> perServer = new TreeMap<>();
            for (Map.Entry<String, String> e : predicted.entrySet()) {
                String actual = scheduled.get(e.getKey());
                perServer.merge(String.valueOf(actual), 1, Integer::sum);
                if (!e.getValue().equals(actual)) {
                    wrong.add(e.getKey() + " predicted " + e.getValue() + ", kernel " + actual);
                }
            }
            assertEquals(List.of(), wrong, "kernel choices the model did not predict");
            assertTrue(perServer.size() >= 3, perServer.toString());
            System.out.println("IPv6 mh-port: 200 clients, all predicted; " + perServer);
        } finally {
            Shell.run("ipvsadm -D -u " + service);
        }
    }
}
