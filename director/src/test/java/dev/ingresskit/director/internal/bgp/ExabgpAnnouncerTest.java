package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.Community;
import dev.ingresskit.director.VipRoute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ExabgpAnnouncerTest {
    private final ByteArrayOutputStream pipe = new ByteArrayOutputStream();
    private final ExabgpAnnouncer exabgp = new ExabgpAnnouncer(pipe, 65001);

    private static VipRoute route(String address) throws IOException {
        return VipRoute.of(InetAddress.getByName(address));
    }

    private String drain() {
        String s = pipe.toString(StandardCharsets.US_ASCII);
        pipe.reset();
        return s;
    }

    @Test
    void linesCarryEveryAttributeInExabgpSyntax() throws IOException {
        VipRoute full = new VipRoute(InetAddress.getByName("198.51.100.10"),
                List.of(Community.parse("65000:100"), Community.parse("65000:200")), OptionalLong.of(50), 2);
        assertEquals("announce route 198.51.100.10/32 next-hop self med 50 community [65000:100 65000:200]"
                + " as-path [65001 65001 65001]", exabgp.announceLine(full));
        assertEquals("announce route 198.51.100.11/32 next-hop self", exabgp.announceLine(route("198.51.100.11")));
        assertEquals("withdraw route 198.51.100.10/32 next-hop self", ExabgpAnnouncer.withdrawLine(full));
    }

    @Test
    void firstCallWithdrawsWhatAnEarlierProcessMayHaveLeftThenOnlyChangesAreWritten() throws IOException {
        VipRoute a = route("198.51.100.10");
        VipRoute b = route("198.51.100.11");
        exabgp.update(List.of(a), List.of(b));
        assertEquals("withdraw route 198.51.100.11/32 next-hop self\n"
                + "announce route 198.51.100.10/32 next-hop self\n", drain());
        exabgp.update(List.of(a), List.of(b));
        assertEquals("", drain(), "nothing changed, nothing written");
        exabgp.update(List.of(a, b), List.of());
        assertEquals("announce route 198.51.100.11/32 next-hop self\n", drain());
        exabgp.update(List.of(b), List.of(a));
        assertEquals("withdraw route 198.51.100.10/32 next-hop self\n", drain());
        // A route that simply disappears (its service left the config) is withdrawn too.
        exabgp.update(List.of(), List.of());
        assertEquals("withdraw route 198.51.100.11/32 next-hop self\n", drain());
    }

    @Test
    void changedAttributesAreAnnouncedAgain() throws IOException {
        VipRoute plain = route("198.51.100.10");
        exabgp.update(List.of(plain), List.of());
        drain();
        VipRoute standby = new VipRoute(plain.address(), List.of(), OptionalLong.empty(), 1);
        exabgp.update(List.of(standby), List.of());
        assertEquals("announce route 198.51.100.10/32 next-hop self as-path [65001 65001]\n", drain());
    }

    @Test
    void ipv6RoutesAreHostRoutes() throws IOException {
        exabgp.update(List.of(route("2001:db8::10")), List.of());
        assertEquals("announce route 2001:db8::10/128 next-hop self\n", drain());
    }

    @Test
    void aClosedPipeIsAnIoException() {
        PrintStream closed = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        });
        ExabgpAnnouncer gone = new ExabgpAnnouncer(closed, 0);
        IOException e = assertThrows(IOException.class, () -> gone.update(List.of(route("198.51.100.10")), List.of()));
        assertTrue(e.getMessage().contains("ExaBGP"), e.getMessage());
    }

    @Test
    void prependWithoutALocalAsIsRefusedNotSentWrong() throws IOException {
        ExabgpAnnouncer noAs = new ExabgpAnnouncer(pipe, 0);
        VipRoute standby = new VipRoute(InetAddress.getByName("198.51.100.10"), List.of(), OptionalLong.empty(), 1);
        assertThrows(IllegalStateException.class, () -> noAs.update(List.of(standby), List.of()));
        assertEquals("", drain());
    }

    @Test
    void aRouteBothAnnouncedAndWithdrawnIsRefused() throws IOException {
        VipRoute a = route("198.51.100.10");
        assertThrows(IllegalArgumentException.class, () -> exabgp.update(List.of(a), List.of(a)));
    }
}
