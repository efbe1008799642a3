package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ingresskit.originca.internal.Json;
import dev.ingresskit.testsupport.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a server answers — random statuses, headers and bodies, envelopes with fields of the
 * wrong type, truncated JSON — every call ends in a value or an {@link OriginCaException}, never
 * a ClassCastException, NullPointerException or the like. A transport returns the random answers.
 */
class ResponseFuzzTest {
    private static final String LEAF_PEM;

    static {
        var keys = KeyAlgorithm.EC_P256.generate();
        try (var server = dev.ingresskit.originca.testserver.OriginCaTestServer.builder().token("t-123").start()) {
            LEAF_PEM = OriginCaClient.builder().apiToken("t-123").baseUri(server.baseUri()).build()
                    .create(CertificateSigningRequest.create(keys, List.of("f.example.com")), Validity.DAYS_7)
                    .certificatePem();
        }
    }

    static LongStream seeds() {
        return Seeds.of("client.responseFuzz", 300);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everyAnswerEndsInAValueOrAnOriginCaException(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Transport transport = request -> {
            int status = new int[] {200, 200, 201, 400, 403, 404, 429, 500, 502}[random.nextInt(9)];
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (random.nextBoolean()) {
                headers.put("Retry-After", List.of(random.nextBoolean() ? String.valueOf(random.nextInt(-5, 100000)) : "garbage"));
            }
            if (random.nextBoolean()) {
                headers.put("CF-Ray", List.of(Long.toHexString(random.nextLong())));
            }
            return new Transport.Response(status, headers, body(random));
        };
        OriginCaClient client = OriginCaClient.builder().apiToken("t").transport(transport).retryPolicy(RetryPolicy.none())
                .pageSize(2).build();
        for (int call = 0; call < 4; call++) {
            try {
                switch (call) {
                    case 0 -> client.get("1");
                    case 1 -> client.revoke("1");
                    // an item is either read whole or says what it could not read, never silently half-read
                    case 2 -> client.list("z").limit(5).forEach(c -> assertTrue(c.isReadable()
                            ? !c.id().isEmpty() && !c.chain().isEmpty() : !c.problems().isEmpty(), c::toString));
                    default -> client.create(List.of("f.example.com"), RequestType.ORIGIN_ECC, Validity.DAYS_7,
                            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
                }
            } catch (OriginCaException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (RuntimeException e) {
                fail("call " + call + " escaped with " + e, e);
            }
        }
    }

    private static byte[] body(SplittableRandom random) {
        String text = switch (random.nextInt(4)) {
            case 0 -> Json.write(envelope(random));
            case 1 -> {
                String s = Json.write(envelope(random));
                yield s.substring(0, random.nextInt(s.length() + 1));
            }
            case 2 -> Json.write(randomValue(random, 0));
            default -> "";
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> envelope(SplittableRandom random) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        if (random.nextInt(5) > 0) {
            envelope.put("success", random.nextInt(4) > 0 ? Boolean.valueOf(random.nextBoolean()) : randomValue(random, 3));
        }
        if (random.nextBoolean()) {
            List<Object> errors = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                errors.add(random.nextBoolean() ? Map.of("code", randomValue(random, 3), "message", randomValue(random, 3))
                        : randomValue(random, 3));
            }
            envelope.put("errors", random.nextInt(5) > 0 ? errors : randomValue(random, 3));
        }
        Object result = random.nextBoolean() ? certificate(random) : randomValue(random, 1);
        envelope.put("result", random.nextInt(3) == 0 ? List.of(result, certificate(random)) : result);
        if (random.nextBoolean()) {
            envelope.put("result_info", random.nextBoolean() ? Map.of("total_pages", randomValue(random, 3))
                    : randomValue(random, 2));
        }
        return envelope;
    }

    private static Map<String, Object> certificate(SplittableRandom random) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", random.nextInt(6) > 0 ? "123" : randomValue(random, 3));
        c.put("certificate", random.nextInt(6) > 0 ? LEAF_PEM : randomValue(random, 3));
        c.put("hostnames", random.nextInt(6) > 0 ? List.of("f.example.com") : randomValue(random, 2));
        c.put("expires_on", switch (random.nextInt(4)) {
            case 0 -> "2030-01-01T00:00:00Z";
            case 1 -> "2030-01-01 00:00:00 +0000 UTC";
            default -> randomValue(random, 3);
        });
        c.put("requested_validity", random.nextBoolean() ? 7 : randomValue(random, 3));
        c.put("request_type", random.nextBoolean() ? "origin-ecc" : randomValue(random, 3));
        c.put("revoked_at", random.nextBoolean() ? Json.NULL : randomValue(random, 3));
        c.put("csr", randomValue(random, 3));
        return c;
    }

    private static Object randomValue(SplittableRandom random, int depth) {
        return switch (random.nextInt(depth > 2 ? 5 : 7)) {
            case 0 -> Json.NULL;
            case 1 -> random.nextBoolean();
            case 2 -> random.nextBoolean() ? random.nextLong() : random.nextInt(-3, 3) / 2.0;
            case 3 -> "s" + random.nextInt(100);
            case 4 -> random.nextBoolean() ? "" : "2030-13-45T99:00:00Z";
            case 5 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    map.put("k" + random.nextInt(5), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }
}
