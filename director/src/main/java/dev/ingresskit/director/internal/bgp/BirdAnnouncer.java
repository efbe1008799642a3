package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.VipRoute;
import dev.ingresskit.director.internal.bgp.BirdReplyReader.BirdException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Announces through BIRD 2: owns the file of static routes that bird.conf includes
 * ({@link BirdRoutesFile}), replaces it atomically when the announced set changes, and asks BIRD
 * to {@code configure} over its control socket. BIRD then re-reads its config and changes only
 * what differs: sessions stay up, routes that left the file are withdrawn.
 */
public final class BirdAnnouncer implements RouteAnnouncer {
    private final Path file;
    private final BirdControl control;
    private final long localAs;
    private String applied;

    /**
     * @param file    the file bird.conf includes; written whole on every change
     * @param socket  BIRD's control socket ({@code bird -s}, Debian: /run/bird/bird.ctl)
     * @param localAs BIRD's own AS, needed only for routes with a prepend; 0 = not known
     */
    public BirdAnnouncer(Path file, Path socket, long localAs) {
        this(file, new BirdControl(socket, Duration.ofSeconds(10)), localAs);
    }

    BirdAnnouncer(Path file, BirdControl control, long localAs) {
        if (localAs < 0 || localAs > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bird: local AS " + localAs + " is outside 0..4294967295");
        }
        this.file = file;
        this.control = control;
        this.localAs = localAs;
    }

    @Override
    public String name() {
        return "bird";
    }

    @Override
    public synchronized void update(List<VipRoute> announce, List<VipRoute> withdraw) throws IOException {
        // The file is the whole truth: a route not in it is withdrawn, whoever announced it before.
        String text = BirdRoutesFile.render(announce, localAs);
        if (text.equals(applied)) {
            return;
        }
        applied = null;
        AtomicFile.replace(file, text.getBytes(StandardCharsets.US_ASCII));
        BirdReply reply = control.command("configure");
        if (!reply.ok()) {
            throw new BirdException("bird " + control.socket() + ": configure refused: "
                    + String.format("%04d ", reply.code()) + reply.message(), reply.code());
        }
        applied = text;
    }

    @Override
    public void close() {
        // One connection per command: nothing stays open.
    }
}
