package dev.ingresskit.testsupport;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeds for property tests. Use them as the argument of a {@code @ParameterizedTest} so the seed is
 * part of the invocation's display name and therefore printed with every failure:
 *
 * <pre>{@code
 * static LongStream seeds() { return Seeds.of("tableIsFull", 50); }
 *
 * @ParameterizedTest(name = "seed={0}") @MethodSource("seeds")
 * void tableIsFull(long seed) { var random = new SplittableRandom(seed); ... }
 * }</pre>
 *
 * <p>By default the seeds are a deterministic function of the property's name, so CI runs are
 * repeatable. {@code -Dingresskit.seed=N} runs each property with exactly that seed (to replay a
 * failure); {@code -Dingresskit.seeds=random} draws fresh seeds to explore.
 */
public final class Seeds {
    private Seeds() {
    }

    /** {@code count} seeds for the property called {@code property}. */
    public static LongStream of(String property, int count) {
        String fixed = System.getProperty("ingresskit.seed");
        if (fixed != null && !fixed.isBlank()) {
            return LongStream.of(Long.parseLong(fixed.trim()));
        }
        long base = "random".equals(System.getProperty("ingresskit.seeds"))
                ? System.nanoTime() ^ Runtime.getRuntime().freeMemory()
                : property.hashCode() * 0x9E3779B97F4A7C15L;
        SplittableRandom seeds = new SplittableRandom(base);
        return LongStream.generate(seeds::nextLong).limit(count);
    }
}
