package dev.ingresskit.maglev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ingresskit.testsupport.Seeds;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeySetTest {
    static LongStream seeds() {
        return Seeds.of("keySet", 40);
    }

    /**
     * Adds and removes of short keys from a small alphabet (many collisions), with presizing now and
     * then, agree with a HashSet.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void behavesAsAHashSetOfContents(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        KeySet set = new KeySet();
        Set<ByteBuffer> model = new HashSet<>();
        for (int op = 0; op < 3000; op++) {
            byte[] key = new byte[r.nextInt(4)];
            for (int i = 0; i < key.length; i++) {
                key[i] = (byte) r.nextInt(6);
            }
            if (r.nextInt(100) == 0) {
                set.ensureRoomFor(r.nextInt(200)); // presizing changes nothing a caller can see
            }
            if (r.nextInt(3) == 0) {
                assertEquals(model.remove(ByteBuffer.wrap(key)), set.remove(key.clone()), "op " + op);
            } else {
                assertEquals(model.add(ByteBuffer.wrap(key)), set.add(key.clone()), "op " + op);
            }
            assertEquals(model.size(), set.size(), "op " + op);
        }
    }
}
