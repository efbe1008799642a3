package dev.ingresskit.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;

/**
 * Keeps a README's usage snippet identical to code that is compiled and run as a test, so the
 * documentation cannot rot.
 *
 * <p>In the README, the fenced block right after {@code <!-- snippet: NAME -->}; in the test source,
 * the lines between {@code // snippet: NAME} and {@code // end snippet}. Both are compared after
 * removing their common indentation.
 */
public final class ReadmeSnippet {
    private ReadmeSnippet() {
    }

    /**
     * Asserts that {@code readme}'s snippet {@code name} equals the marked region of
     * {@code testSource}. Paths are relative to the module directory (the tests' working directory).
     */
    public static void assertInSync(String readme, String testSource, String name) {
        String documented = fromReadme(Path.of(readme), name);
        String compiled = fromSource(Path.of(testSource), name);
        Assertions.assertEquals(compiled, documented,
                "README snippet '" + name + "' in " + readme + " differs from the tested code in " + testSource
                        + "; copy the region between '// snippet: " + name + "' and '// end snippet' into the README");
    }

    /**
     * The README's snippet {@code name} itself (common indentation removed), for a test that feeds it
     * to a tool as it stands (a consumer {@code pom.xml}, a config file) instead of comparing it.
     */
    public static String read(Path readme, String name) {
        return fromReadme(readme, name);
    }

    static String fromReadme(Path readme, String name) {
        List<String> lines = read(readme);
        String marker = "<!-- snippet: " + name + " -->";
        int at = indexOf(lines, marker, 0, readme);
        int open = at + 1;
        while (open < lines.size() && lines.get(open).isBlank()) {
            open++;
        }
        if (open >= lines.size() || !lines.get(open).startsWith("```")) {
            Assertions.fail(readme + ": '" + marker + "' must be followed by a fenced code block");
        }
        int close = indexOf(lines, "```", open + 1, readme);
        return dedent(lines.subList(open + 1, close));
    }

    static String fromSource(Path source, String name) {
        List<String> lines = read(source);
        int start = indexOf(lines, "// snippet: " + name, 0, source);
        int end = indexOf(lines, "// end snippet", start + 1, source);
        return dedent(lines.subList(start + 1, end));
    }

    private static int indexOf(List<String> lines, String marker, int from, Path file) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return Assertions.fail(file + ": no line '" + marker + "' after line " + from);
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream()
                .filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length())
                .min()
                .orElse(0);
        return lines.stream()
                .map(line -> line.isBlank() ? "" : line.substring(indent).stripTrailing())
                .collect(Collectors.joining("\n"));
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
