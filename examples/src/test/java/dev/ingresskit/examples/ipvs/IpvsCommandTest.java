package dev.ingresskit.examples.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.examples.MainAccess;
import dev.ingresskit.examples.UsageException;
import dev.ingresskit.ipvs.Destination;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Service;
import dev.ingresskit.ipvs.ServiceFlags;
import dev.ingresskit.ipvs.TunnelFlags;
import dev.ingresskit.ipvs.TunnelType;
import dev.ingresskit.ipvs.VirtualService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code ipvs} subcommand on the build host, which has no IPVS: usage errors, the one-line
 * failure, and {@code apply --dry-run}. The same verbs against a real IPVS run in the VM.
 */
class IpvsCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainAccess.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final String FILE = """
            # desired state, in ipvsadm -S syntax
            -A -t 10.0.0.1:80 -s mh -b mh-fallback,mh-port
            -a -t 10.0.0.1:80 -r 10.1.0.5:80 -i -w 3 --tun-type gue --tun-port 6080 --tun-csum
            -a -t 10.0.0.1:80 -r [2001:db8:1::2] -i --tun-type gre --tun-remcsum

            -A -u [2001:db8::1]:53 -s wrr
            -a -u [2001:db8::1]:53 -r [2001:db8:1::1]:53 -m -x 100 -y 10
            -A -f 7 -s rr -p 300 -M 255.255.255.0
            """;

    @Test
    void fileParsesToTheStateIpvsadmWouldCreate() throws UsageException {
        Service web = Service.builder().tcp("10.0.0.1", 80).scheduler("mh")
                .schedulerFlags(ServiceFlags.MH_FALLBACK | ServiceFlags.MH_PORT).build();
        IpvsState expected = IpvsState.of(
                VirtualService.of(web,
                        Destination.builder("10.1.0.5", 80).tunnel(TunnelType.GUE).tunnelPort(6080)
                                .tunnelFlags(TunnelFlags.CSUM).weight(3).build(),
                        Destination.builder("2001:db8:1::2", 80).tunnel(TunnelType.GRE)
                                .tunnelFlags(TunnelFlags.REMCSUM).build()),
                VirtualService.of(Service.builder().udp("2001:db8::1", 53).scheduler("wrr").build(),
                        Destination.builder("2001:db8:1::1", 53).forwarding(
                                dev.ingresskit.ipvs.ForwardingMethod.MASQUERADE).thresholds(10, 100).build()),
                VirtualService.of(Service.builder().fwmark(dev.ingresskit.ipvs.AddressFamily.INET, 7).scheduler("rr")
                        .persistent(300).netmask(24).build()));
        assertEquals(expected, DesiredStateFile.parse(FILE, "f"));
    }

    @Test
    void fileErrorsNameTheLine() {
        UsageException e = assertThrows(UsageException.class,
                () -> DesiredStateFile.parse("-A -t 10.0.0.1:80\n-a -t 10.0.0.2:80 -r 10.1.0.1\n", "desired.txt"));
        assertEquals("desired.txt:2: destination for service tcp 10.0.0.2:80, which no earlier -A line adds",
                e.getMessage());
        UsageException bad = assertThrows(UsageException.class,
                () -> DesiredStateFile.parse("-A -t 10.0.0.1:80 -s mh -b sh-port\n", "d"));
        assertEquals("d:1: -b: sh-port is a flag of scheduler sh, not mh", bad.getMessage());
        UsageException noPort = assertThrows(UsageException.class, () -> DesiredStateFile.parse("-A -t 10.0.0.1\n", "d"));
        assertTrue(noPort.getMessage().startsWith("d:1: -t: '10.0.0.1' needs a port"), noPort.getMessage());
    }

    @Test
    void dryRunPrintsPlanAndMessagesWithoutAKernel() throws Exception {
        Path file = dir.resolve("desired.txt");
        Files.writeString(file, FILE);
        Result r = run("ipvs", "apply", file.toString(), "--dry-run");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("+ service tcp 10.0.0.1:80 mh flags=sched1|sched2"), r.out());
        assertTrue(r.out().contains("+ dest tcp 10.0.0.1:80 -> 10.1.0.5:80 tunnel w=3 tun=gue:6080 csum"), r.out());
        assertTrue(r.out().contains("genlmsghdr cmd=NEW_SERVICE(1) version=1"), r.out());
        assertTrue(r.out().contains("TUN_PORT = 6080 (be16)"), r.out());
        assertEquals(6, r.out().lines().filter(l -> l.startsWith("nlmsghdr ")).count(), "one message per change");
    }

    /** ipvsadm 1.31's long options (ipvsadm(8), Debian's 1:1.31-1), spaced and with '=', parse as the short ones. */
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "-A -t 10.0.0.1:80 -s mh -b mh-fallback,mh-port"
                    + " | --add-service --tcp-service 10.0.0.1:80 --scheduler mh --sched-flags mh-fallback,mh-port",
            "-A -t 10.0.0.1:80 -s mh -b mh-port | --add-service --tcp-service=10.0.0.1:80 --scheduler=mh --sched-flags=mh-port",
            "-A -u [2001:db8::1]:53 -s rr -p 600 -M 24 -o"
                    + " | --add-service --udp-service [2001:db8::1]:53 --scheduler rr --persistent 600 --netmask 24 --ops",
            "-A -f 7 -6 -s sh -b sh-port -p 300 | --add-service --fwmark-service=7 --ipv6 --scheduler=sh --sched-flags=sh-port --persistent",
            "-A -f 7 -s rr -p 300 -M 255.255.255.0 | -A -f 7 -s rr -p -M 255.255.255.0",
            "-A --sctp-service 10.0.0.1:9 -s wlc --pe sip -p 60 | --add-service --sctp-service=10.0.0.1:9 --pe=sip --persistent=60",
    })
    void longServiceOptionsParseLikeShortOnes(String shortForm, String longForm) throws UsageException {
        assertEquals(DesiredStateFile.parse(shortForm + "\n", "short"), DesiredStateFile.parse(longForm + "\n", "long"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "-a -t 10.0.0.1:80 -r 10.1.0.5:80 -i -w 3 --tun-type gue --tun-port 6080 --tun-csum"
                    + " | --add-server --tcp-service 10.0.0.1:80 --real-server 10.1.0.5:80 --ipip --weight 3"
                    + " --tun-type=gue --tun-port=6080 --tun-csum",
            "-a -t 10.0.0.1:80 -r 10.1.0.5 -i --tun-type gue --tun-port 6080 --tun-remcsum"
                    + " | --add-server --tcp-service=10.0.0.1:80 --real-server=10.1.0.5 --ipip --tun-type gue"
                    + " --tun-port 6080 --tun-remcsum",
            "-a -t 10.0.0.1:80 -r 10.1.0.6 -g -w 0 | --add-server --tcp-service=10.0.0.1:80 --real-server=10.1.0.6 --gatewaying --weight=0",
            "-a -t 10.0.0.1:80 -r 10.1.0.7:8080 -m -x 100 -y 10"
                    + " | --add-server -t 10.0.0.1:80 --real-server 10.1.0.7:8080 --masquerading --u-threshold 100 --l-threshold=10",
            "-a -t 10.0.0.1:80 -r 10.1.0.8 -i --tun-type gre --tun-nocsum | -a -t 10.0.0.1:80 -r 10.1.0.8 --ipip --tun-type=gre --tun-nocsum",
    })
    void longDestinationOptionsParseLikeShortOnes(String shortForm, String longForm) throws UsageException {
        String service = "-A -t 10.0.0.1:80 -s mh\n";
        assertEquals(DesiredStateFile.parse(service + shortForm + "\n", "short"),
                DesiredStateFile.parse(service + longForm + "\n", "long"));
    }

    /**
     * ipvsadm's command options select the verb: here, without IPVS, each form ends in the same
     * one-line failure (so it parsed), and a bad value in the same usage error.
     */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "add-service -t 10.0.0.1:80 -s mh | -A -t 10.0.0.1:80 -s mh | --add-service --tcp-service=10.0.0.1:80 --scheduler=mh",
            "edit-service -t 10.0.0.1:80 -s rr | -E -t 10.0.0.1:80 -s rr | --edit-service --tcp-service 10.0.0.1:80 --scheduler rr",
            "delete-service -u 10.0.0.1:53 | -D -u 10.0.0.1:53 | --delete-service --udp-service=10.0.0.1:53",
            "add-dest -t 10.0.0.1:80 -r 10.1.0.1 -i | -a -t 10.0.0.1:80 -r 10.1.0.1 -i | --add-server --tcp-service 10.0.0.1:80 --real-server 10.1.0.1 --ipip",
            "edit-dest -f 9 -r 10.1.0.1:80 -w 5 | -e -f 9 -r 10.1.0.1:80 -w 5 | --edit-server --fwmark-service 9 --real-server 10.1.0.1:80 --weight 5",
            "delete-dest -t 10.0.0.1:80 -r 10.1.0.1 | -d -t 10.0.0.1:80 -r 10.1.0.1 | --delete-server --tcp-service 10.0.0.1:80 --real-server 10.1.0.1",
            "list -n | -L -n | --list --numeric",
            "list --stats | -l --stats | --list --stats --exact",
            "flush | -C | --clear",
            "add-service -t 10.0.0.1:80 -s mh -b sh-port | -A -t 10.0.0.1:80 -s mh -b sh-port | --add-service --tcp-service 10.0.0.1:80 --scheduler mh --sched-flags=sh-port",
    })
    void ipvsadmCommandOptionsWorkLikeTheVerbs(String verbForm, String shortForm, String longForm) {
        Result verb = run(("ipvs " + verbForm).split(" "));
        assertTrue(verb.code() == 1 || verb.code() == 2, verb.toString());
        assertEquals(verb, run(("ipvs " + shortForm).split(" ")));
        assertEquals(verb, run(("ipvs " + longForm).split(" ")));
    }

    @Test
    void oneCommandAtATime() {
        Result both = run("ipvs", "-A", "-a", "-t", "10.0.0.1:80", "-r", "10.1.0.1");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("one command"), both.err());
        Result verbAndOption = run("ipvs", "list", "--clear");
        assertEquals(2, verbAndOption.code());
        assertTrue(verbAndOption.err().contains("one command"), verbAndOption.err());
    }

    @Test
    void withoutIpvsItSaysSoInOneLineAndExitsOne() {
        Result r = run("ipvs", "list", "-n");
        assertEquals(1, r.code());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("ingresskit ipvs: IPVS is not available"), r.err());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run("ipvs").code());
        assertEquals(2, run("ipvs", "frobnicate").code());
        Result noPort = run("ipvs", "add-service", "-t", "10.0.0.1");
        assertEquals(2, noPort.code());
        assertTrue(noPort.err().contains("needs a port"), noPort.err());
        assertEquals(2, run("ipvs", "add-dest", "-t", "10.0.0.1:80", "-r", "10.1.0.1", "-g", "-m").code());
        assertEquals(2, run("ipvs", "add-service", "-t", "10.0.0.1:80", "-u", "10.0.0.1:53").code());
        assertEquals(2, run("ipvs", "add-dest", "-t", "10.0.0.1:80", "-r", "10.1.0.1", "--tun-port", "6080").code());
    }

    @Test
    void missingCapabilityIsExplainedInOneLine() {
        String line = IpvsCommand.explain(new dev.ingresskit.ipvs.netlink.NetlinkException(
                "IPVS create service tcp 10.0.0.1:80", 1, null, -1, 7, null));
        assertEquals("permission denied (EPERM): IPVS needs CAP_NET_ADMIN; run as root "
                + "(IPVS create service tcp 10.0.0.1:80)", line);
        String other = IpvsCommand.explain(new dev.ingresskit.ipvs.netlink.NetlinkException(
                "IPVS create service tcp 10.0.0.1:80", 17, "Service exists", -1, 7, null));
        assertTrue(other.contains("EEXIST") && other.contains("Service exists"), other);
    }

    @Test
    void tunnelInfoLooksLikeIpvsadms() {
        Destination gue = Destination.builder("10.1.0.5", 80).tunnel(TunnelType.GUE).tunnelPort(6080)
                .tunnelFlags(TunnelFlags.CSUM | TunnelFlags.REMCSUM).build();
        assertEquals("gue:6080:r+c", IpvsCommand.tunnel(gue));
        assertEquals("n/a", IpvsCommand.tunnel(Destination.builder("10.1.0.5", 80).build()));
        assertEquals("Tunnel", IpvsCommand.forward(gue));
    }
}
