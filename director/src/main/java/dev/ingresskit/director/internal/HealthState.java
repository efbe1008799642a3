package dev.ingresskit.director.internal;

import dev.ingresskit.director.Health;
import java.time.Duration;
import java.time.Instant;

/**
 * The rise/fall state machine of one backend. The first result decides between {@link Health#UP}
 * and {@link Health#DOWN} at once (a new backend is neither sent traffic before it answered nor
 * kept out for {@code rise} intervals); after that a healthy backend goes down after {@code fall}
 * consecutive failures and a down one comes back after {@code rise} consecutive successes, so a
 * backend that flaps (alternating results) keeps its state instead of flapping with it.
 *
 * <p>Not thread-safe: {@link HealthMonitor} serialises the results of one backend.
 */
public final class HealthState {
    private Health health = Health.UNKNOWN;
    private int successes;
    private int failures;
    private long transitions;
    private Instant since;
    private Instant lastCheck;
    private Duration lastLatency = Duration.ZERO;
    private String lastDetail = "not checked yet";

    /** A state change caused by a result. */
    public record Transition(Health from, Health to, String detail) {
    }

    /**
     * Records one check result.
     *
     * @return the transition it caused, or {@code null} when the state stays
     */
    public Transition record(boolean ok, String detail, Instant at, Duration latency, int rise, int fall) {
        lastCheck = at;
        lastLatency = latency;
        lastDetail = detail;
        if (ok) {
            successes++;
            failures = 0;
        } else {
            failures++;
            successes = 0;
        }
        Health next = switch (health) {
            case UNKNOWN -> ok ? Health.UP : Health.DOWN;
            case UP -> failures >= fall ? Health.DOWN : Health.UP;
            case DOWN -> successes >= rise ? Health.UP : Health.DOWN;
        };
        if (next == health) {
            return null;
        }
        Transition t = new Transition(health, next, detail);
        health = next;
        since = at;
        transitions++;
        return t;
    }

    public Health health() {
        return health;
    }

    /** Consecutive successes (0 after a failure). */
    public int successes() {
        return successes;
    }

    /** Consecutive failures (0 after a success). */
    public int failures() {
        return failures;
    }

    /** Number of state changes so far (UNKNOWN → UP/DOWN counts). */
    public long transitions() {
        return transitions;
    }

    /** When the current state began, {@code null} while UNKNOWN. */
    public Instant since() {
        return since;
    }

    public Instant lastCheck() {
        return lastCheck;
    }

    public Duration lastLatency() {
        return lastLatency;
    }

    /** The last result in words: {@code connected}, {@code HTTP 503}, {@code Connection refused}. */
    public String lastDetail() {
        return lastDetail;
    }
}
