package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidityTest {
    @ParameterizedTest(name = "{0} -> {1} days")
    @CsvSource({
            "PT1H, 7", "P1D, 7", "P7D, 7", "P18D, 7", "PT444H, 7", /* 18.5 d: a tie goes to the shorter */
            "PT445H, 30", "P30D, 30", "P60D, 30", "P61D, 90", "P90D, 90", "P227D, 90", "P228D, 365",
            "P365D, 365", "P366D, 365", "P730D, 730", "P912D, 730", "P913D, 1095", "P3285D, 1095", "P3286D, 5475",
            "P20000D, 5475"})
    void nearestAllowedValue(String requested, int days) {
        Validity.Choice choice = Validity.nearest(Duration.parse(requested));
        assertEquals(days, choice.chosen().days());
        assertEquals(Duration.parse(requested), choice.requested());
        assertEquals(Duration.ofDays(days).minus(Duration.parse(requested)), choice.adjustment());
    }

    @Test
    void theMappingIsVisible() {
        Validity.Choice exact = Validity.nearest(Duration.ofDays(90));
        assertTrue(exact.exact());
        assertEquals("90 days", exact.toString());
        Validity.Choice adjusted = Validity.nearest(Duration.ofDays(100));
        assertFalse(adjusted.exact());
        assertEquals(Duration.ofDays(-10), adjusted.adjustment());
        assertEquals("90 days (nearest allowed to the requested PT2400H)", adjusted.toString());
    }

    @Test
    void exactDaysOnly() {
        assertEquals(Validity.DAYS_1095, Validity.ofDays(1095));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Validity.ofDays(100));
        assertTrue(e.getMessage().contains("7, 30, 90, 365, 730, 1095, 5475"));
        assertThrows(IllegalArgumentException.class, () -> Validity.nearest(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Validity.nearest(Duration.ofDays(-1)));
    }
}
