package dev.ingresskit.director.internal;

import dev.ingresskit.director.Health;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ingresskit.testsupport.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class HealthStateTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static HealthState.Transition feed(HealthState s, boolean ok, int second, int rise, int fall) {
        return s.record(ok, ok ? "ok" : "fail", T0.plusSeconds(second), Duration.ofMillis(1), rise, fall);
    }

    @Test
    void firstResultDecides() {
        HealthState up = new HealthState();
        assertEquals(Health.UNKNOWN, up.health());
        HealthState.Transition t = feed(up, true, 0, 3, 3);
        assertEquals(new HealthState.Transition(Health.UNKNOWN, Health.UP, "ok"), t);
        assertEquals(T0, up.since());

        HealthState down = new HealthState();
        assertEquals(Health.DOWN, feed(down, false, 0, 3, 3).to());
        assertEquals(1, down.transitions());
    }

    @Test
    void fallConsecutiveFailuresTakeItDownAndRiseSuccessesBringItBack() {
        HealthState s = new HealthState();
        feed(s, true, 0, 2, 3);
        assertNull(feed(s, false, 1, 2, 3));
        assertNull(feed(s, false, 2, 2, 3));
        assertEquals(Health.UP, s.health());
        assertEquals(2, s.failures());
        HealthState.Transition down = feed(s, false, 3, 2, 3);
        assertNotNull(down);
        assertEquals(Health.DOWN, down.to());
        assertEquals(T0.plusSeconds(3), s.since());
        assertNull(feed(s, true, 4, 2, 3));
        assertEquals(Health.DOWN, s.health());
        assertEquals(1, s.successes());
        assertEquals(Health.UP, feed(s, true, 5, 2, 3).to());
        assertEquals(3, s.transitions());
        assertEquals(T0.plusSeconds(5), s.lastCheck());
    }

    @Test
    void aFailureResetsTheSuccessCount() {
        HealthState s = new HealthState();
        feed(s, false, 0, 3, 1);
        feed(s, true, 1, 3, 1);
        feed(s, true, 2, 3, 1);
        feed(s, false, 3, 3, 1); // breaks the run of successes
        feed(s, true, 4, 3, 1);
        feed(s, true, 5, 3, 1);
        assertEquals(Health.DOWN, s.health());
        assertEquals(Health.UP, feed(s, true, 6, 3, 1).to());
    }

    @Test
    void flappingBackendKeepsItsState() {
        HealthState up = new HealthState();
        feed(up, true, 0, 2, 2);
        HealthState down = new HealthState();
        feed(down, false, 0, 2, 2);
        for (int i = 1; i <= 100; i++) {
            boolean ok = i % 2 == 0;
            assertNull(feed(up, ok, i, 2, 2), "up backend changed at check " + i);
            assertNull(feed(down, ok, i, 2, 2), "down backend changed at check " + i);
        }
        assertEquals(Health.UP, up.health());
        assertEquals(Health.DOWN, down.health());
        assertEquals(1, up.transitions());
    }

    @Test
    void riseAndFallOfOneFollowEveryResult() {
        HealthState s = new HealthState();
        boolean[] results = {true, false, true, true, false, false, true};
        for (int i = 0; i < results.length; i++) {
            feed(s, results[i], i, 1, 1);
            assertEquals(results[i] ? Health.UP : Health.DOWN, s.health());
        }
        assertEquals(5, s.transitions());
    }

    static LongStream seeds() {
        return Seeds.of("director-health", 50);
    }

    /** Against a direct model: state changes exactly when the last rise (fall) results were all successes (failures). */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void matchesTheDefinitionOnRandomSequences(long seed) {
        Random random = new Random(seed);
        int rise = 1 + random.nextInt(4);
        int fall = 1 + random.nextInt(4);
        HealthState s = new HealthState();
        boolean[] history = new boolean[300];
        Health expected = Health.UNKNOWN;
        long transitions = 0;
        for (int i = 0; i < history.length; i++) {
            history[i] = random.nextInt(10) < (random.nextBoolean() ? 3 : 7);
            Health before = expected;
            if (expected == Health.UNKNOWN) {
                expected = history[i] ? Health.UP : Health.DOWN;
            } else if (expected == Health.UP && lastAll(history, i, fall, false)) {
                expected = Health.DOWN;
            } else if (expected == Health.DOWN && lastAll(history, i, rise, true)) {
                expected = Health.UP;
            }
            HealthState.Transition t = feed(s, history[i], i, rise, fall);
            assertEquals(expected, s.health(), "check " + i);
            assertEquals(before != expected, t != null, "transition reported at check " + i);
            transitions += before != expected ? 1 : 0;
        }
        assertEquals(transitions, s.transitions());
    }

    private static boolean lastAll(boolean[] h, int i, int n, boolean value) {
        if (i + 1 < n) {
            return false;
        }
        for (int j = i - n + 1; j <= i; j++) {
            if (h[j] != value) {
                return false;
            }
        }
        return true;
    }
}
