package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir
    Path dir;

    /** Versions of very different lengths, so a torn or half-written read would show. */
    private static byte[] version(int i) {
        char c = (char) ('a' + i % 26);
        return (String.valueOf(c).repeat(1 + (i * 7919) % 50_000) + "\nend " + i + "\n").getBytes();
    }

    @Test
    void aReaderNeverSeesAPartialFileWhileTheWriterRewritesIt() throws Exception {
        Path file = dir.resolve("vips.conf");
        int versions = 150;
        Set<String> written = new HashSet<>();
        AtomicFile.replace(file, version(0));
        written.add(new String(version(0)));
        for (int i = 1; i < versions; i++) {
            written.add(new String(version(i)));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> torn = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    String seen = Files.readString(file);
                    reads.incrementAndGet();
                    if (!written.contains(seen)) {
                        torn.compareAndSet(null, seen.length() + " bytes: " + seen.substring(0, Math.min(40, seen.length())));
                    }
                } catch (NoSuchFileException e) {
                    torn.compareAndSet(null, "the file was missing for a moment");
                } catch (IOException e) {
                    torn.compareAndSet(null, e.toString());
                }
            }
        });
        for (int i = 1; i < versions; i++) {
            AtomicFile.replace(file, version(i));
        }
        done.set(true);
        reader.join();
        assertEquals(null, torn.get(), "reader saw a file that was never written whole");
        assertTrue(reads.get() > 10, "the reader ran alongside (" + reads.get() + " reads)");
        assertArrayEquals(version(versions - 1), Files.readAllBytes(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary files left behind");
        }
    }

    @Test
    void newFilesAreReadableByTheSpeakerAndExistingPermissionsAreKept() throws IOException {
        Path file = dir.resolve("vips.conf");
        AtomicFile.replace(file, "a".getBytes());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFile.replace(file, "b".getBytes());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("b", Files.readString(file));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path file = dir.resolve("vips.conf");
        AtomicFile.replace(file, "old".getBytes());
        // The target is now a non-empty directory: the rename fails after the temporary was written.
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("inside"));
        assertThrows(IOException.class, () -> AtomicFile.replace(blocked, "new".getBytes()));
        assertEquals("old", Files.readString(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(Set.of(file, blocked), Set.copyOf(left.toList()));
        }
    }
}
