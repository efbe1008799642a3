package dev.ingresskit.bench.push;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A corpus of real documentation pages that a distribution package installs, so that the scanner is
 * measured on HTML nobody here generated: by default Python's HTML documentation from the Debian
 * package {@code python3-doc} ({@value #DEFAULT_DIRECTORY}; bookworm's python3.11-doc 3.11.2: 530
 * pages, 50.7 MB). {@code -Dingresskit.corpus=DIR} points at any other directory of {@code *.html}.
 * When the corpus is absent, loading fails with a message saying how to install it: a benchmark over
 * nothing must not report a figure.
 */
record RealPages(Path directory, List<String> pages, List<byte[]> utf8, long bytes) {
    static final String PROPERTY = "ingresskit.corpus";
    static final String DEFAULT_DIRECTORY = "/usr/share/doc/python3/html";

    static RealPages load() {
        Path dir = Path.of(System.getProperty(PROPERTY, DEFAULT_DIRECTORY));
        List<Path> files;
        // Debian installs the directory as a symbolic link (python3/html -> python3.11/html)
        try (Stream<Path> walk = Files.isDirectory(dir) ? Files.walk(dir.toRealPath(), FileVisitOption.FOLLOW_LINKS)
                : Stream.empty()) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(".html") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the corpus under " + dir, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("the real-page corpus is absent: no *.html under " + dir
                    + ". Install it with 'apt-get install python3-doc' (Debian), or run with -D" + PROPERTY
                    + "=DIR (JMH: -jvmArgsAppend -D" + PROPERTY + "=DIR) pointing at a directory of real HTML pages");
        }
        try {
            List<byte[]> utf8 = files.stream().map(RealPages::read).toList();
            List<String> pages = utf8.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
            long bytes = utf8.stream().mapToLong(b -> b.length).sum();
            return new RealPages(dir, pages, utf8, bytes);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("the corpus under " + dir + " could not be read: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }

    String describe() {
        return directory + ": " + pages.size() + " pages, " + bytes + " bytes";
    }
}
