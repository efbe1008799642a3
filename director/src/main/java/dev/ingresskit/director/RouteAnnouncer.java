package dev.ingresskit.director;

import dev.ingresskit.director.internal.bgp.BirdAnnouncer;
import dev.ingresskit.director.internal.bgp.DryRunAnnouncer;
import dev.ingresskit.director.internal.bgp.ExabgpAnnouncer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The seam to a BGP speaker: the director decides which VIPs to announce, an implementation tells
 * an existing speaker (ExaBGP, BIRD, or an embedding service's own) to announce exactly those.
 *
 * <p>Calls are declarative and complete: every call names the routes to announce now and the
 * routes to keep withdrawn; an implementation does the difference to what it did before. The
 * {@code withdraw} list matters on the first call of a process, when a speaker may still carry
 * routes a previous director process announced. Calls come from one thread at a time.
 */
public interface RouteAnnouncer extends AutoCloseable {

    /**
     * The announcer a {@code bgp speaker} line asks for. For ExaBGP this claims the process's
     * standard output (see {@link #exabgpOnStandardOutput}).
     */
    static RouteAnnouncer of(BgpConfig config) {
        return switch (config.speaker()) {
            case EXABGP -> exabgpOnStandardOutput(config.localAs());
            case BIRD -> bird(config.birdFile(), config.birdSocket(), config.localAs());
        };
    }

    /**
     * ExaBGP's process API on this process's standard output, for a director that ExaBGP runs as
     * its {@code process}. From then on {@code System.out} prints to standard error, so nothing but
     * API lines reaches ExaBGP; ExaBGP's acknowledgements on standard input are read and an
     * {@code error} answer is reported on standard error.
     *
     * @param localAs ExaBGP's {@code local-as}, needed only for prepends; 0 = not known
     */
    static RouteAnnouncer exabgpOnStandardOutput(long localAs) {
        return ExabgpAnnouncer.onStandardStreams(localAs);
    }

    /** ExaBGP's process API on {@code pipe} (for an embedding that wires the pipe itself). */
    static RouteAnnouncer exabgp(OutputStream pipe, long localAs) {
        return new ExabgpAnnouncer(pipe, localAs);
    }

    /**
     * BIRD 2: the director owns {@code includeFile} (bird.conf includes it at the top level and
     * exports through its filter) and reconfigures BIRD over {@code controlSocket}.
     */
    static RouteAnnouncer bird(Path includeFile, Path controlSocket, long localAs) {
        return new BirdAnnouncer(includeFile, controlSocket, localAs);
    }

    /**
     * An announcer that tells no speaker and only remembers the routes (dry runs, one-shot runs).
     *
     * @param wouldBe the speaker a real run would use, for its name ({@code dry-run (exabgp)}), or {@code null}
     */
    static RouteAnnouncer dryRun(String wouldBe) {
        return new DryRunAnnouncer(wouldBe);
    }

    /** A short name for logs and {@code /state}, e.g. {@code exabgp} or {@code bird}. */
    String name();

    /**
     * Announces {@code announce} and withdraws {@code withdraw} (disjoint by address). Returns
     * once the speaker has accepted the change (written to ExaBGP's pipe; BIRD reconfigured).
     *
     * @throws IOException the speaker could not be told; the caller retries on its next round
     */
    void update(List<VipRoute> announce, List<VipRoute> withdraw) throws IOException;

    /** Releases what the announcer holds; does not withdraw anything (a stop withdraws first). */
    @Override
    void close();
}
