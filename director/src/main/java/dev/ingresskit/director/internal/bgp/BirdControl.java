package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.internal.bgp.BirdReplyReader.BirdException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A client of BIRD's control socket (the one {@code birdc} uses), one connection per command:
 * connect, read the {@code 0001} welcome, send the command line, read its reply, close. Every wait
 * is bounded by the timeout, so a wedged BIRD never wedges the director.
 */
final class BirdControl {
    private final Path socket;
    private final Duration timeout;

    BirdControl(Path socket, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("bird: control timeout must be positive, got " + timeout);
        }
        this.socket = socket;
        this.timeout = timeout;
    }

    Path socket() {
        return socket;
    }

    /**
     * Runs one command and returns BIRD's reply, successful or not (the caller judges the code).
     *
     * @throws BirdException the reply broke the protocol
     * @throws IOException   connecting, sending or receiving failed or timed out
     */
    BirdReply command(String command) throws IOException {
        if (command.isEmpty() || command.chars().anyMatch(c -> c < 0x20 || c >= 0x7F)) {
            throw new IllegalArgumentException("bird: a command is one line of printable ASCII");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketChannel connected;
        try {
            connected = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (java.net.SocketException e) {
            throw new IOException("bird " + socket + ": " + e.getMessage() + " (is BIRD running with -s " + socket
                    + "?)", e);
        }
        try (SocketChannel ch = connected; Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            BirdReplyReader reader = new BirdReplyReader();
            BirdReply welcome = read(ch, selector, reader, deadline);
            if (welcome.code() != BirdReply.WELCOME) {
                throw new BirdException("bird " + socket + ": expected the 0001 welcome, got "
                        + String.format("%04d", welcome.code()) + " " + welcome.message(), welcome.code());
            }
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            while (out.hasRemaining()) {
                ch.write(out);
                if (out.hasRemaining()) {
                    await(selector, deadline, "sending '" + command + "'");
                }
            }
            key.interestOps(SelectionKey.OP_READ);
            return read(ch, selector, reader, deadline);
        } catch (java.net.SocketException e) {
            throw new IOException("bird " + socket + ": '" + command + "': " + e.getMessage(), e);
        }
    }

    private BirdReply read(SocketChannel ch, Selector selector, BirdReplyReader reader, long deadline)
            throws IOException {
        SelectionKey key = ch.keyFor(selector);
        if (key == null) {
            ch.register(selector, SelectionKey.OP_READ);
        }
        ByteBuffer in = ByteBuffer.allocate(4096);
        while (true) {
            BirdReply ready = reader.poll();
            if (ready != null) {
                return ready;
            }
            in.clear();
            int n = ch.read(in);
            if (n < 0) {
                throw new IOException("bird " + socket + ": connection closed "
                        + (reader.midReply() ? "in the middle of a reply" : "before a reply"));
            }
            if (n == 0) {
                await(selector, deadline, "a reply");
                continue;
            }
            reader.feed(in.array(), 0, n);
        }
    }

    private void await(Selector selector, long deadline, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("bird " + socket + ": no answer within " + timeout.toMillis() + " ms waiting for "
                    + what);
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }
}
