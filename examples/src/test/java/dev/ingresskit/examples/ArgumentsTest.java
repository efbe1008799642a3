package dev.ingresskit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
    private final Options options = Options.builder("[options] FILE")
            .flag("--dump", "print every slot")
            .value("--table-size", "M", "table size")
            .values("--backend", "KEY", "a backend")
            .build();

    @Test
    void parsesFlagsValuesRepeatsAndPositionals() throws UsageException {
        Arguments a = Arguments.parse(options,
                List.of("--table-size", "7", "--backend=a", "--backend", "b=2", "--dump", "file", "--", "--x"));
        assertEquals(7, a.intValue("--table-size", 0));
        assertEquals(List.of("a", "b=2"), a.values("--backend"));
        assertTrue(a.has("--dump"));
        assertEquals(List.of("file", "--x"), a.positionals());
        assertFalse(a.helpRequested());
    }

    @Test
    void rejectsUnknownMissingRepeatedAndMalformed() {
        assertEquals("unknown option --nope (see --help)",
                assertThrows(UsageException.class, () -> Arguments.parse(options, List.of("--nope"))).getMessage());
        assertEquals("option --table-size needs a value M",
                assertThrows(UsageException.class, () -> Arguments.parse(options, List.of("--table-size"))).getMessage());
        assertEquals("option --table-size given more than once",
                assertThrows(UsageException.class,
                        () -> Arguments.parse(options, List.of("--table-size", "1", "--table-size=2"))).getMessage());
        assertEquals("option --dump takes no value",
                assertThrows(UsageException.class, () -> Arguments.parse(options, List.of("--dump=yes"))).getMessage());
        assertEquals("--table-size: not an integer: 'x'",
                assertThrows(UsageException.class,
                        () -> Arguments.parse(options, List.of("--table-size", "x")).intValue("--table-size", 0))
                        .getMessage());
    }

    @Test
    void helpListsEveryOption() throws UsageException {
        assertTrue(Arguments.parse(options, List.of("--help")).helpRequested());
        String help = options.help("demo", "A demo.");
        for (String expected : List.of("usage: ingresskit demo [options] FILE", "--dump", "--table-size M", "--backend KEY", "--help")) {
            assertTrue(help.contains(expected), () -> "help lacks '" + expected + "':\n" + help);
        }
    }
}
