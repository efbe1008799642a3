package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {
    static LongStream seeds() {
        return Seeds.of("retry.backoffBounds", 100);
    }

    /** Each delay lies in [(1-jitter)·d, d] with d = min(initial·2^(n-1), max). */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void backoffStaysWithinItsBounds(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double jitter = random.nextDouble();
        RetryPolicy policy = new RetryPolicy(50, Duration.ofMillis(100), Duration.ofSeconds(20), Duration.ofHours(1), jitter);
        for (int attempt = 1; attempt < 50; attempt++) {
            long ceiling = Math.min(100L << Math.min(attempt - 1, 30), 20_000L) * 1_000_000L;
            long delay = policy.backoff(attempt, random).toNanos();
            assertTrue(delay <= ceiling && delay >= (long) (ceiling * (1 - jitter)) - 1,
                    "attempt " + attempt + ": " + delay + " vs ceiling " + ceiling + ", jitter " + jitter);
        }
    }

    @Test
    void withoutJitterTheDelaysDouble() {
        RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1), 0);
        SplittableRandom random = new SplittableRandom(1);
        assertEquals(Duration.ofSeconds(1), policy.backoff(1, random));
        assertEquals(Duration.ofSeconds(2), policy.backoff(2, random));
        assertEquals(Duration.ofSeconds(4), policy.backoff(3, random));
        assertEquals(Duration.ofSeconds(5), policy.backoff(4, random));
        assertEquals(Duration.ofSeconds(5), policy.backoff(1000, random));
    }

    @Test
    void validatesEachComponent() {
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withMaxAttempts(0));
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.DEFAULT.withMaxElapsed(Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(1), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), Double.NaN));
        assertEquals(1, RetryPolicy.none().maxAttempts());
    }
}
