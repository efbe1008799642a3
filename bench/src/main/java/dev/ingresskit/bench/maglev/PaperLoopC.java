package dev.ingresskit.bench.maglev;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The paper's population loop in plain C ({@code maglev_paper.c}, a resource of this jar), compiled
 * with the machine's {@code cc} when first used and called through the FFM API, so that
 * {@link MaglevBuildBenchmark} measures it in the same JVM and run as the Java build. The call costs
 * tens of nanoseconds against a build of milliseconds.
 */
final class PaperLoopC {
    /** The flags the README quotes; plain optimisation, no -march, as a portable C build would use. */
    static final String CFLAGS = "-O2";

    private static MethodHandle build;

    private PaperLoopC() {
    }

    static synchronized MethodHandle handle() {
        if (build == null) {
            Path so = compile();
            SymbolLookup lib = SymbolLookup.libraryLookup(so, Arena.global());
            build = Linker.nativeLinker().downcallHandle(lib.find("maglev_paper_build").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        }
        return build;
    }

    private static Path compile() {
        try {
            Path dir = Files.createTempDirectory("maglev-paper-c");
            Path src = dir.resolve("maglev_paper.c");
            try (InputStream in = PaperLoopC.class.getResourceAsStream("maglev_paper.c")) {
                Files.copy(in, src);
            }
            Path so = dir.resolve("libmaglevpaper.so");
            Process cc = new ProcessBuilder("cc", CFLAGS, "-shared", "-fPIC", "-o", so.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String out = new String(cc.getInputStream().readAllBytes());
            if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
                throw new IllegalStateException("cc " + CFLAGS + " failed on " + src + ":\n" + out);
            }
            return so;
        } catch (IOException e) {
            throw new IllegalStateException("the C comparison needs a C compiler on PATH as 'cc' (Debian: apt-get"
                    + " install gcc); could not compile maglev_paper.c: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The keys packed for the C function: bytes back to back, and n + 1 offsets into them. */
    record Keys(MemorySegment bytes, MemorySegment offsets, int count) {
        static Keys of(Arena arena, byte[][] keys) {
            int total = 0;
            for (byte[] k : keys) {
                total += k.length;
            }
            MemorySegment bytes = arena.allocate(Math.max(total, 1));
            MemorySegment offsets = arena.allocate(ValueLayout.JAVA_INT, keys.length + 1L);
            int at = 0;
            for (int i = 0; i < keys.length; i++) {
                offsets.setAtIndex(ValueLayout.JAVA_INT, i, at);
                MemorySegment.copy(keys[i], 0, bytes, ValueLayout.JAVA_BYTE, at, keys[i].length);
                at += keys[i].length;
            }
            offsets.setAtIndex(ValueLayout.JAVA_INT, keys.length, at);
            return new Keys(bytes, offsets, keys.length);
        }
    }

    /** Builds a table of {@code size} slots into {@code entry} (or a table of its own if NULL). */
    static long build(Keys keys, int size, MemorySegment entry) {
        try {
            return (long) handle().invokeExact(keys.bytes(), keys.offsets(), keys.count(), size, entry);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
