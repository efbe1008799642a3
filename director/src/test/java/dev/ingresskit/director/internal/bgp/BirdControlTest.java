package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.VipRoute;
import dev.ingresskit.director.internal.bgp.BirdReplyReader.BirdException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control-socket client against a real BIRD, and against local sockets that misbehave. */
class BirdControlTest {
    @TempDir
    Path dir;
    private BgpLab lab;
    private ServerSocketChannel fake;

    @AfterEach
    void stop() throws IOException {
        if (lab != null) {
            lab.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    @Test
    void configureAgainstRealBirdSucceedsAndAFileErrorIsReportedWithItsLine() throws Exception {
        BgpLab.assumeDaemons();
        lab = new BgpLab(dir);
        lab.startRouter();
        Path[] bird = lab.startBirdSpeaker("speaker", "127.0.0.4");
        BirdControl control = new BirdControl(bird[1], Duration.ofSeconds(5));
        BirdReply show = control.command("show status");
        assertTrue(show.ok(), show.toString());
        assertTrue(show.lines().stream().anyMatch(l -> l.startsWith("BIRD 2.")), show.toString());

        BirdAnnouncer announcer = new BirdAnnouncer(bird[0], control, 65001);
        announcer.update(List.of(VipRoute.of(InetAddress.getByName("198.51.100.10"))), List.of());
        BirdReply routes = control.command("show route protocol " + BirdRoutesFile.STATIC4);
        assertTrue(String.join("\n", routes.lines()).contains("198.51.100.10/32"), routes.toString());

        Files.writeString(bird[0], "protocol static broken {\n  ipv4;\n  route nonsense;\n}\n");
        BirdReply refused = control.command("configure");
        assertEquals(8002, refused.code(), refused.toString());
        assertTrue(refused.message().contains(bird[0] + ":3:"), refused.message());
    }

    @Test
    void aMissingSocketSaysWhichAndWhy() {
        BirdControl control = new BirdControl(dir.resolve("absent.ctl"), Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, () -> control.command("configure"));
        assertTrue(e.getMessage().contains("absent.ctl"), e.getMessage());
    }

    private Path fakeBird() throws IOException {
        Path socket = dir.resolve("fake.ctl");
        fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        fake.bind(UnixDomainSocketAddress.of(socket));
        return socket;
    }

    @Test
    void aSilentPeerTimesOut() throws Exception {
        Path socket = fakeBird();
        BirdControl control = new BirdControl(socket, Duration.ofMillis(300));
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> control.command("configure"));
        assertTrue(e.getMessage().contains("no answer within 300 ms"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void aPeerThatIsNotBirdIsAProtocolError() throws Exception {
        Path socket = fakeBird();
        Thread.ofVirtual().start(() -> {
            try (SocketChannel c = fake.accept()) {
                c.write(ByteBuffer.wrap("HTTP/1.1 400 Bad Request\r\n".getBytes(StandardCharsets.US_ASCII)));
                Thread.sleep(1000);
            } catch (IOException | InterruptedException e) {
                // the test is over
            }
        });
        BirdException e = assertThrows(BirdException.class,
                () -> new BirdControl(socket, Duration.ofSeconds(2)).command("configure"));
        assertTrue(e.getMessage().contains("malformed line"), e.getMessage());
    }

    @Test
    void aPeerClosingMidReplyIsReported() throws Exception {
        Path socket = fakeBird();
        Thread.ofVirtual().start(() -> {
            try (SocketChannel c = fake.accept()) {
                c.write(ByteBuffer.wrap("0001 BIRD 2.0.12 ready.\n".getBytes(StandardCharsets.US_ASCII)));
                c.read(ByteBuffer.allocate(100));
                c.write(ByteBuffer.wrap("0002-Reading".getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException e) {
                // the test is over
            }
        });
        IOException e = assertThrows(IOException.class,
                () -> new BirdControl(socket, Duration.ofSeconds(2)).command("configure"));
        assertTrue(e.getMessage().contains("connection closed in the middle of a reply"), e.getMessage());
    }

    @Test
    void aRefusedConfigureIsAnErrorOfTheAnnouncerAndIsRetried() throws Exception {
        Path socket = fakeBird();
        Thread.ofVirtual().start(() -> {
            for (String answer : List.of("8002 bird.conf:9:1 syntax error\n", "0003 Reconfigured\n")) {
                try (SocketChannel c = fake.accept()) {
                    c.write(ByteBuffer.wrap("0001 BIRD 2.0.12 ready.\n".getBytes(StandardCharsets.US_ASCII)));
                    c.read(ByteBuffer.allocate(100));
                    c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    return;
                }
            }
        });
        BirdAnnouncer announcer = new BirdAnnouncer(dir.resolve("vips.conf"),
                new BirdControl(socket, Duration.ofSeconds(2)), 0);
        List<VipRoute> one = List.of(VipRoute.of(InetAddress.getByName("198.51.100.10")));
        BirdException e = assertThrows(BirdException.class, () -> announcer.update(one, List.of()));
        assertEquals(8002, e.code());
        assertTrue(e.getMessage().contains("configure refused: 8002 bird.conf:9:1 syntax error"), e.getMessage());
        announcer.update(one, List.of()); // the same set again: not skipped, since it was never applied
        assertTrue(Files.readString(dir.resolve("vips.conf")).contains("198.51.100.10/32"));
    }
}
