package dev.ingresskit.originca;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to try a failed call again: exponential backoff ({@code initialBackoff × 2^(n-1)}, capped at
 * {@code maxBackoff}) with jitter (each delay drawn uniformly from [(1-jitter)·d, d]), at most
 * {@code maxAttempts} requests and at most {@code maxElapsed} from the first request to the start of
 * the last. A 429's {@code Retry-After} replaces the computed delay. Retried: 429, 5xx, API error
 * 1100, and transport failures (for a create only when the request certainly was not sent). Never
 * retried: other 4xx (authentication, validation, not found) and unreadable successful answers.
 *
 * @param maxAttempts    total requests, at least 1 (1 disables retries)
 * @param initialBackoff delay before the second attempt, before jitter
 * @param maxBackoff     cap on any one computed delay
 * @param maxElapsed     budget for the whole call; a wait that would exceed it is not started
 * @param jitter         fraction in [0, 1] of each delay that is randomised
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed,
        double jitter) {
    /** 5 attempts, 1 s doubling to at most 30 s, 2 minutes in all, 50% jitter. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofMinutes(2), 0.5);

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        requirePositive(maxElapsed, "maxElapsed");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], got " + jitter);
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /** One attempt only. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
    }

    /** This policy with another attempt limit. */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, maxElapsed, jitter);
    }

    /** This policy with another total-time budget. */
    public RetryPolicy withMaxElapsed(Duration elapsed) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, elapsed, jitter);
    }

    /** The delay after failed attempt {@code attempt} (1-based), jitter included. */
    Duration backoff(int attempt, RandomGenerator random) {
        long base = initialBackoff.toNanos();
        long cap = maxBackoff.toNanos();
        long delay = base;
        for (int i = 1; i < attempt && delay < cap; i++) {
            delay = delay > cap / 2 ? cap : delay * 2;
        }
        delay = Math.min(delay, cap);
        long jittered = delay - (long) (delay * jitter * random.nextDouble());
        return Duration.ofNanos(jittered);
    }
}
