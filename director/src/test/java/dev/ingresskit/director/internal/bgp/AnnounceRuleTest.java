package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.testsupport.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AnnounceRuleTest {
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Duration HOLD = Duration.ofSeconds(10);

    private static Instant at(double seconds) {
        return T0.plusMillis(Math.round(seconds * 1000));
    }

    @Test
    void announcesOnlyAfterTheHoldDownHeldWithoutABreak() {
        AnnounceRule rule = new AnnounceRule(HOLD, T0);
        assertFalse(rule.evaluate(at(0), true, "1/1 healthy >= 1", false));
        assertEquals("1/1 healthy >= 1, announcing after 10s hold-down (10s left)", rule.why());
        assertEquals(at(10), rule.pendingAt());
        assertFalse(rule.evaluate(at(9.9), true, "1/1 healthy >= 1", false));
        assertTrue(rule.evaluate(at(10), true, "1/1 healthy >= 1", false));
        assertEquals(at(10), rule.since());
        assertEquals("1/1 healthy >= 1", rule.why());
        assertNull(rule.pendingAt());
    }

    @Test
    void aBreakRestartsTheHoldDown() {
        AnnounceRule rule = new AnnounceRule(HOLD, T0);
        rule.evaluate(at(0), true, "ok", false);
        rule.evaluate(at(8), false, "0/1 healthy < 1", false);
        assertFalse(rule.evaluate(at(9), true, "ok", false));
        assertFalse(rule.evaluate(at(18.9), true, "ok", false));
        assertTrue(rule.evaluate(at(19), true, "ok", false));
    }

    @Test
    void withdrawsAtOnceAndSaysWhy() {
        AnnounceRule rule = new AnnounceRule(HOLD, T0);
        rule.evaluate(at(0), true, "ok", false);
        assertTrue(rule.evaluate(at(10), true, "ok", false));
        assertFalse(rule.evaluate(at(10.001), false, "0/2 healthy < 1", false));
        assertFalse(rule.announced());
        assertEquals(at(10.001), rule.since());
        assertEquals("0/2 healthy < 1", rule.why());
    }

    @Test
    void aFastFlapMovesTheRouteOnceAndItReturnsOnlyWhenStable() {
        AnnounceRule rule = new AnnounceRule(HOLD, T0);
        rule.evaluate(at(0), true, "ok", false);
        assertTrue(rule.evaluate(at(10), true, "ok", false));
        int changes = 0;
        boolean last = true;
        // Down 1 s, up 1 s, for a minute: faster than the hold-down.
        for (int s = 11; s <= 70; s++) {
            boolean now = rule.evaluate(at(s), s % 2 == 0, s % 2 == 0 ? "ok" : "0/1 healthy < 1", false);
            if (now != last) {
                changes++;
                last = now;
            }
        }
        assertEquals(1, changes, "one withdrawal, no re-announcement while flapping");
        // Stable from 70 s: one recent withdrawal doubles the hold-down to 20 s.
        assertEquals(Duration.ofSeconds(20), rule.currentHoldDown());
        assertFalse(rule.evaluate(at(89.9), true, "ok", false));
        assertTrue(rule.evaluate(at(90), true, "ok", false));
    }

    @Test
    void holdDownDoublesPerRecentWithdrawalUpToEightTimesAndRecovers() {
        AnnounceRule rule = new AnnounceRule(HOLD, T0);
        double t = 0;
        Duration[] expected = {HOLD, HOLD.multipliedBy(2), HOLD.multipliedBy(4), HOLD.multipliedBy(8),
            HOLD.multipliedBy(8)};
        for (Duration wait : expected) {
            assertEquals(wait, rule.currentHoldDown());
            rule.evaluate(at(t), true, "ok", false);
            t += wait.toSeconds();
            assertTrue(rule.evaluate(at(t), true, "ok", false), "announced after " + wait);
            t += 1;
            assertFalse(rule.evaluate(at(t), false, "down", false));
        }
        // 16 base hold-downs after the last withdrawal, none counts any more.
        t += 16 * HOLD.toSeconds();
        rule.evaluate(at(t), true, "ok", false);
        assertEquals(HOLD, rule.currentHoldDown());
    }

    @Test
    void aDrainIsNotAFlap() {
        AnnounceRule rule = new AnnounceRule(HOLD, T0);
        rule.evaluate(at(0), true, "ok", false);
        assertTrue(rule.evaluate(at(10), true, "ok", false));
        assertFalse(rule.evaluate(at(11), false, "draining", true));
        assertEquals("draining", rule.why());
        assertEquals(HOLD, rule.currentHoldDown());
    }

    @Test
    void zeroHoldDownAnnouncesAtTheFirstEligibleEvaluation() {
        AnnounceRule rule = new AnnounceRule(Duration.ZERO, T0);
        assertTrue(rule.evaluate(at(0), true, "ok", false));
    }

    static LongStream seeds() {
        return Seeds.of("announce-rule", 60);
    }

    /**
     * Against random eligibility histories: never announced while ineligible; never announced
     * unless eligible without a break for at least the base hold-down; always announced once
     * eligible without a break for the longest hold-down; at most one change per evaluation.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void invariantsHoldForRandomHistories(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Duration hold = Duration.ofMillis(500 + random.nextInt(5000));
        AnnounceRule rule = new AnnounceRule(hold, T0);
        Instant now = T0;
        Instant eligibleSince = null;
        double pUp = 0.5 + random.nextDouble() * 0.5;
        for (int step = 0; step < 2000; step++) {
            now = now.plusMillis(1 + random.nextInt((int) hold.toMillis() / 2));
            boolean eligible = random.nextDouble() < pUp;
            eligibleSince = eligible ? (eligibleSince == null ? now : eligibleSince) : null;
            boolean announced = rule.evaluate(now, eligible, eligible ? "ok" : "down", false);
            assertEquals(announced, rule.announced());
            if (!eligible) {
                assertFalse(announced, "announced while ineligible at step " + step);
                continue;
            }
            Duration held = Duration.between(eligibleSince, now);
            if (announced && rule.since().equals(now)) {
                assertTrue(held.compareTo(hold) >= 0, "announced after only " + held + " at step " + step);
            }
            if (held.compareTo(hold.multipliedBy(1L << AnnounceRule.MAX_DOUBLINGS)) >= 0) {
                assertTrue(announced, "not announced after " + held + " eligible at step " + step);
            }
        }
    }
}
