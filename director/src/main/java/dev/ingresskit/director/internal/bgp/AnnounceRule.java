package dev.ingresskit.director.internal.bgp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * When one VIP is announced. The VIP is <em>eligible</em> while the director is not draining, its
 * last reconcile succeeded, and at least {@code min-healthy} backends are up.
 *
 * <ul>
 *   <li>An announced VIP is withdrawn at once when it stops being eligible: a director that
 *       cannot serve must stop attracting traffic now.</li>
 *   <li>A withdrawn VIP is announced again only after it has been eligible without a break for the
 *       hold-down; the hold-down doubles for every withdrawal in the last 16 base hold-downs, at
 *       most to 8 times the base. A backend that flaps faster than the hold-down therefore moves
 *       the route once (withdraw) and not again until it is stable, and a slow flapper is damped.
 *       A drain (stop or maintenance) is not counted as a flap.</li>
 * </ul>
 *
 * Pure: time comes in as arguments, nothing is read from a clock. Not thread-safe.
 */
final class AnnounceRule {
    static final int MAX_DOUBLINGS = 3;
    static final int FLAP_WINDOW_HOLD_DOWNS = 16;

    private final Duration holdDown;
    private final Deque<Instant> withdrawals = new ArrayDeque<>();
    private boolean announced;
    private Instant since;
    private Instant eligibleSince;
    private String why = "not evaluated yet";
    private boolean eligible;

    AnnounceRule(Duration holdDown, Instant now) {
        if (holdDown.isNegative()) {
            throw new IllegalArgumentException("hold-down must not be negative, got " + holdDown);
        }
        this.holdDown = holdDown;
        this.since = now;
    }

    /**
     * One evaluation.
     *
     * @param now         the time of the evaluation (never earlier than the previous one)
     * @param eligible    whether the VIP may be announced now (see the class comment)
     * @param reason      the condition in words, e.g. {@code 2/4 healthy >= 1}
     * @param drained     the reason is a drain: a withdrawal then is not a flap
     * @return whether the VIP is announced after this evaluation
     */
    boolean evaluate(Instant now, boolean eligible, String reason, boolean drained) {
        forgetOld(now);
        this.eligible = eligible;
        if (!eligible) {
            eligibleSince = null;
            if (announced) {
                announced = false;
                since = now;
                if (!drained) {
                    withdrawals.addLast(now);
                }
            }
            why = reason;
            return false;
        }
        if (eligibleSince == null) {
            eligibleSince = now;
        }
        if (!announced) {
            Duration wait = currentHoldDown();
            Duration held = Duration.between(eligibleSince, now);
            if (held.compareTo(wait) >= 0) {
                announced = true;
                since = now;
            } else {
                why = reason + ", announcing after " + seconds(wait) + " hold-down (" + seconds(wait.minus(held))
                        + " left)";
                return false;
            }
        }
        why = reason;
        return true;
    }

    /** The hold-down a withdrawn VIP waits now: the base doubled per recent withdrawal, capped. */
    Duration currentHoldDown() {
        return holdDown.multipliedBy(1L << Math.min(withdrawals.size(), MAX_DOUBLINGS));
    }

    /** When a pending announcement would happen if nothing changes, or {@code null} if none is pending. */
    Instant pendingAt() {
        return announced || eligibleSince == null ? null : eligibleSince.plus(currentHoldDown());
    }

    boolean announced() {
        return announced;
    }

    /** Whether the last evaluation found the VIP eligible (announced, or waiting for its hold-down). */
    boolean eligible() {
        return eligible;
    }

    /** When the VIP last changed between announced and withdrawn (or the rule was created). */
    Instant since() {
        return since;
    }

    String why() {
        return why;
    }

    private void forgetOld(Instant now) {
        Instant horizon = now.minus(holdDown.multipliedBy(FLAP_WINDOW_HOLD_DOWNS));
        while (!withdrawals.isEmpty() && !withdrawals.peekFirst().isAfter(horizon)) {
            withdrawals.removeFirst();
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
