package dev.ingresskit.director;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The global {@code bgp} lines: which speaker announces the VIPs and the timing around it.
 *
 * @param speaker    which adapter talks to the speaker
 * @param birdFile   BIRD only: the file bird.conf includes, owned and replaced by the director
 * @param birdSocket BIRD only: BIRD's control socket
 * @param localAs    the speaker's own AS (needed only for {@code prepend}), 0 = not given
 * @param grace      how long a stopping director keeps serving after withdrawing its VIPs, so
 *                   routers move flows to the other directors first
 * @param holdDown   how long a VIP must be eligible without a break before it is announced again
 *                   (doubled per recent withdrawal, at most 8 times)
 */
public record BgpConfig(Speaker speaker, Path birdFile, Path birdSocket, long localAs, Duration grace,
        Duration holdDown) {

    public enum Speaker {
        /** The director runs as an ExaBGP process and writes API lines to its standard output. */
        EXABGP,
        /** The director owns a file of static routes that BIRD includes and reconfigures BIRD. */
        BIRD
    }

    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HOLD_DOWN = Duration.ofSeconds(10);

    public BgpConfig {
        if (speaker == null) {
            throw new IllegalArgumentException("bgp: a speaker is required");
        }
        if (speaker == Speaker.BIRD && (birdFile == null || birdSocket == null)) {
            throw new IllegalArgumentException("bgp: BIRD needs the include file and the control socket");
        }
        if (localAs < 0 || localAs > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("bgp: local-as " + localAs + " is outside 1..4294967295");
        }
        if (grace.isNegative() || holdDown.isNegative()) {
            throw new IllegalArgumentException("bgp: grace and hold-down must not be negative");
        }
    }
}
