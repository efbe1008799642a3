package dev.ingresskit.director;

import java.io.IOException;
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
