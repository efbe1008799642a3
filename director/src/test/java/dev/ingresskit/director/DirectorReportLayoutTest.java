package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.maglev.IpvsMhDestination;
import dev.ingresskit.maglev.IpvsMhTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The report pads its columns by hand (one line per backend, hundreds of thousands at scale). Its
 * layout must stay that of the {@code Formatter} patterns it replaced: the number helpers against
 * {@code %6d} and {@code %6.1f%%} on random and rounding-edge values, and the distribution rows
 * against the old patterns filled with the row's own numbers.
 */
class DirectorReportLayoutTest {
    @Test
    void numbersArePaddedAndRoundedAsFormatterDoes() {
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int i = 0; i < 200_000; i++) {
            double share = i < 20_001 ? i / 200.0 : 100 * random.nextDouble(); // every x.x5 edge, then random
            assertEquals(String.format(Locale.ROOT, "%6.1f%%", share),
                    DirectorReport.percent(new StringBuilder(), share).toString(), "share " + share);
            long count = i < 1_000 ? i : random.nextLong(10_000_000);
            assertEquals(String.format(Locale.ROOT, "%6d", count), DirectorReport.right(new StringBuilder(), count, 6)
                    .toString(), "count " + count);
        }
    }

    @Test
    void distributionRowsKeepTheFormatterLayout() throws Exception {
        String config = """
                service web tcp 192.0.2.10:443
                  scheduler mh mh-fallback
                  check none
                  backend 10.0.0.1 weight 100
                  backend 10.0.0.2 weight 50
                  backend 10.0.0.3 weight 1
                service six tcp [2001:db8::10]:443
                  scheduler mh mh-port
                  check none
                  backend 2001:db8::1 weight 7
                  backend 2001:db8::2 weight 3
                """;
        try (Director d = Director.builder(ConfigParser.parse(config, "layout.conf"))
                .kernel(Kernel.model(IpvsState.EMPTY)).build()) {
            d.checkAll();
            d.reconcile();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DirectorReport.distribution(new PrintStream(bytes, true, StandardCharsets.UTF_8), d);
            List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
            int rows = 0;
            for (ServiceConfig s : d.config().services()) {
                IpvsMhTable table = d.mhTable(s).orElseThrow();
                int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("  " + s.name() + " ")).findFirst()
                        .orElseThrow());
                assertEquals(String.format(Locale.ROOT, "    %-24s %6s %6s %7s %7s  | if all healthy: %6s %7s",
                        "backend", "weight", "slots", "slots%", "flows%", "slots", "flows%"), lines.get(header + 1));
                List<IpvsMhDestination> dests = table.destinations();
                for (int i = 0; i < dests.size(); i++) {
                    String line = lines.get(header + 2 + i);
                    String[] w = line.trim().split(" +");
                    IpvsMhDestination dest = dests.get(i);
                    assertEquals(String.format(Locale.ROOT, "    %-24s %6d %6d %6.1f%% %6.1f%%  | %15s %6d %6.1f%%",
                            dest.key(), dest.weight(), table.entries(i), 100.0 * table.entries(i) / table.size(),
                            percent(w[4]), "", Integer.parseInt(w[6]), percent(w[7])), line, s.name() + " row " + i);
                    rows++;
                }
                String none = lines.get(header + 2 + dests.size());
                String[] w = none.trim().split(" +");
                assertEquals(String.format(Locale.ROOT, "    %-24s %6s %6s %7s %6.1f%%  | %15s %6s %6.1f%%",
                        "(no destination)", "", "", "", percent(w[2]), "", "", percent(w[4])), none, s.name() + " last row");
            }
            assertEquals(5, rows);
        }
    }

    private static double percent(String word) {
        assertTrue(word.endsWith("%"), word);
        return Double.parseDouble(word.substring(0, word.length() - 1));
    }
}
