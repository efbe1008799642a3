package dev.ingresskit.director.internal.bgp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.director.internal.bgp.BirdReplyReader.BirdException;
import dev.ingresskit.testsupport.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BirdReplyReaderTest {
    // Captured from BIRD 2.0.12 (Debian bird2 2.0.12-7) on its control socket, 2026-12-02.
    private static final String WELCOME = "0001 BIRD 2.0.12 ready.\n";
    private static final String RECONFIGURED = "0002-Reading configuration from speaker.conf\n0003 Reconfigured\n";
    private static final String IN_PROGRESS = "0002-Reading configuration from speaker.conf\n"
            + "0004 Reconfiguration in progress\n";
    private static final String FILE_ERROR = "0002-Reading configuration from speaker.conf\n"
            + "8002 /tmp/bgp-hand/vips.conf:2:7 syntax error, unexpected CF_SYM_UNDEFINED\n";
    private static final String PARSE_ERROR = "9001 syntax error, unexpected CF_SYM_UNDEFINED\n";

    private static BirdReply read(String text) throws BirdException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        BirdReplyReader reader = new BirdReplyReader();
        reader.feed(bytes, 0, bytes.length);
        BirdReply reply = reader.poll();
        assertNull(reader.poll(), "one reply only");
        return reply;
    }

    @Test
    void capturedRepliesDecode() throws BirdException {
        assertEquals(new BirdReply(1, List.of("BIRD 2.0.12 ready.")), read(WELCOME));
        BirdReply ok = read(RECONFIGURED);
        assertEquals(BirdReply.RECONFIGURED, ok.code());
        assertEquals(List.of("Reading configuration from speaker.conf", "Reconfigured"), ok.lines());
        assertTrue(ok.ok());
        assertEquals(BirdReply.RECONFIGURATION_IN_PROGRESS, read(IN_PROGRESS).code());
        BirdReply bad = read(FILE_ERROR);
        assertEquals(8002, bad.code());
        assertFalse(bad.ok());
        assertEquals("/tmp/bgp-hand/vips.conf:2:7 syntax error, unexpected CF_SYM_UNDEFINED", bad.message());
        assertEquals(9001, read(PARSE_ERROR).code());
    }

    @Test
    void continuationLinesAndSpontaneousPrintouts() throws BirdException {
        BirdReply r = read("+async log line\n1007-Table master4:\n 198.51.100.10/32 unreachable\n"
                + " second row\n0000 \n");
        assertEquals(0, r.code());
        assertEquals(List.of("Table master4:", "198.51.100.10/32 unreachable", "second row", ""), r.lines());
    }

    static LongStream seeds() {
        return Seeds.of("bird-reply-split", 100);
    }

    /** Bytes arrive in arbitrary pieces: the reply is complete exactly at its last byte. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void anySplitGivesTheSameReply(long seed) throws BirdException {
        SplittableRandom random = new SplittableRandom(seed);
        String text = List.of(RECONFIGURED, FILE_ERROR, IN_PROGRESS, WELCOME).get(random.nextInt(4));
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        BirdReplyReader reader = new BirdReplyReader();
        BirdReply whole = read(text);
        int at = 0;
        while (at < bytes.length) {
            int n = 1 + random.nextInt(bytes.length - at);
            reader.feed(bytes, at, n);
            BirdReply r = reader.poll();
            at += n;
            if (at < bytes.length) {
                assertNull(r, "complete before its last byte");
            } else {
                assertEquals(whole, r);
            }
        }
        assertFalse(reader.midReply());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello\n", "000 x\n", "0003x\n", "0003\n", " continuation first\n", "abcd ok\n"})
    void malformedLinesAreTypedErrorsNamingTheLine(String text) {
        BirdException e = assertThrows(BirdException.class, () -> read(text));
        assertEquals(-1, e.code());
        assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
    }

    @Test
    void twoRepliesInOneReadAreTakenInOrder() throws BirdException {
        byte[] bytes = (WELCOME + RECONFIGURED + "0002-Read").getBytes(StandardCharsets.US_ASCII);
        BirdReplyReader reader = new BirdReplyReader();
        reader.feed(bytes, 0, bytes.length);
        assertEquals(1, reader.poll().code());
        assertEquals(3, reader.poll().code());
        assertNull(reader.poll());
        assertTrue(reader.midReply());
    }

    @Test
    void aBadLineAfterAGoodReplyNamesItsOffset() {
        BirdException e = assertThrows(BirdException.class, () -> read("0000 ok\nextra\n"));
        assertTrue(e.getMessage().contains("offset 8"), e.getMessage());
    }

    @Test
    void aReplyIsBounded() {
        BirdReplyReader reader = new BirdReplyReader();
        byte[] row = " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n".getBytes(StandardCharsets.US_ASCII);
        assertThrows(BirdException.class, () -> {
            reader.feed("1007-x\n".getBytes(StandardCharsets.US_ASCII), 0, 7);
            assertNull(reader.poll());
            for (int i = 0; i < BirdReplyReader.MAX_REPLY_BYTES / row.length + 2; i++) {
                reader.feed(row, 0, row.length);
            }
        });
    }

    static LongStream fuzzSeeds() {
        return Seeds.of("bird-reply-fuzz", 300);
    }

    /** Random and truncated bytes give a reply, nothing yet, or a BirdException: never anything else. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("fuzzSeeds")
    void randomBytesNeverEscapeAsOtherExceptions(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] base = (RECONFIGURED + FILE_ERROR).getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[random.nextInt(base.length + 1)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : base[i];
        }
        BirdReplyReader reader = new BirdReplyReader();
        try {
            int at = 0;
            while (at < bytes.length) {
                int n = 1 + random.nextInt(bytes.length - at);
                reader.feed(bytes, at, n);
                at += n;
                for (BirdReply r = reader.poll(); r != null; r = reader.poll()) {
                    assertTrue(r.code() >= 0 && r.code() <= 9999);
                }
            }
        } catch (BirdException expected) {
            assertTrue(expected.getMessage().startsWith("control socket: "), expected.getMessage());
        }
    }
}
