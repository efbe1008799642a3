package dev.ingresskit.examples.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.examples.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ipvs} subcommand against the real kernel in the VM: apply, list, edit, delete. */
@Tag("kernel")
class IpvsCommandKernelTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainAccess.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void applyListEditDelete() throws Exception {
        Path file = dir.resolve("desired.txt");
        Files.writeString(file, IpvsCommandTest.FILE);
        assertEquals("0", run("ipvs", "flush")[0]);
        String[] applied = run("ipvs", "apply", file.toString());
        assertEquals("0", applied[0], applied[2]);
        assertTrue(applied[1].contains("applied 6 of 6 change(s)"), applied[1]);
        String[] again = run("ipvs", "apply", file.toString());
        assertTrue(again[1].startsWith("(no changes)"), again[1]);

        String[] json = run("ipvs", "list", "--json");
        assertEquals("0", json[0], json[2]);
        assertTrue(json[1].contains("\"scheduler\":\"mh\",\"flags\":[\"mh-fallback\",\"mh-port\"]"), json[1]);
        assertTrue(json[1].contains("\"tunnel\":{\"type\":\"gue\",\"port\":6080,\"flags\":\"csum\"}"), json[1]);

        assertEquals("0", run("ipvs", "edit-dest", "-t", "10.0.0.1:80", "-r", "10.1.0.5:80", "-i", "--tun-type", "gue",
                "--tun-port", "6080", "--tun-csum", "-w", "0")[0]);
        String[] text = run("ipvs", "list", "-n");
        assertTrue(text[1].contains("TCP  10.0.0.1:80 mh (mh-fallback,mh-port)"), text[1]);
        assertTrue(text[1].lines().anyMatch(l -> l.contains("10.1.0.5:80") && l.contains("gue:6080:+c")
                && l.matches(".*\\s0\\s+\\d+\\s+\\d+\\s*$")), text[1]);

        String[] dup = run("ipvs", "add-service", "-t", "10.0.0.1:80", "-s", "rr");
        assertEquals("1", dup[0]);
        assertTrue(dup[2].contains("EEXIST"), dup[2]);
        assertEquals("0", run("ipvs", "delete-service", "-t", "10.0.0.1:80")[0]);
        assertEquals("0", run("ipvs", "flush")[0]);
        assertTrue(run("ipvs", "list", "--json")[1].contains("{\"services\":[]}"));
    }
}
