package dev.ingresskit.director;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.testsupport.ReadmeSnippet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library snippet, compiled and run as written, on the sample config. */
class ReadmeTest {
    @TempDir
    Path dir;

    @Test
    void theLibrarySnippetRunsADryRun() throws Exception {
        ReadmeSnippet.assertInSync("README.md", "src/test/java/dev/ingresskit/director/ReadmeTest.java", "director");
        Path sample = Path.of(System.getProperty("ingresskit.project.root", ".."), "examples", "director.conf");
        Files.copy(sample, dir.resolve("director.conf"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            run(dir.resolve("director.conf").toString());
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(9, text.lines().count(), text);
        assertTrue(text.startsWith("+ service tcp 192.0.2.10:443 mh flags=sched1|sched2\n"), text);
        assertTrue(text.lines().toList().getLast().matches("\\{web=[0-9a-f]{16}, dns=[0-9a-f]{16}}"), text);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("event=change kind=create_service service=web"));
    }

    private static void run(String... args) throws Exception {
        // snippet: director
        Path file = Path.of(args[0]);                         // e.g. examples/director.conf
        DirectorConfig config = ConfigParser.parse(file);         // ConfigException: file:line: field: reason
        try (Director director = Director.builder(config).configFile(file)
                .kernel(Kernel.model(IpvsState.EMPTY)).build()) {  // Kernel.live(IpvsClient.open()) for real
            director.checkAll();                                  // one round of health checks
            Director.Run run = director.reconcile();              // backends x health -> plan -> apply
            System.out.print(run.plan());                         // "+ service tcp 192.0.2.10:443 mh ..."
            System.out.println(director.tableFingerprints());     // {web=…, dns=…}: compare across the fleet
        }
        // end snippet
    }
}
