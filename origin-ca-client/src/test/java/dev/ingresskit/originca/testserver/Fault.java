package dev.ingresskit.originca.testserver;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A scripted failure for {@link OriginCaTestServer#enqueue}: the next request gets this answer. */
public final class Fault {
    private final OriginCaTestServer.Reply reply;
    private final java.time.Duration delay;

    private Fault(OriginCaTestServer.Reply reply) {
        this(reply, null);
    }

    private Fault(OriginCaTestServer.Reply reply, java.time.Duration delay) {
        this.reply = reply;
        this.delay = delay;
    }

    /** Null: answer normally (after the delay). */
    OriginCaTestServer.Reply reply() {
        return reply;
    }

    java.time.Duration delay() {
        return delay;
    }

    /** Waits {@code delay} before handling the request normally (the request is still processed). */
    public static Fault slow(java.time.Duration delay) {
        return new Fault(null, delay);
    }

    /** 429 with {@code Retry-After: seconds} and a rate-limit error in the envelope. */
    public static Fault rateLimited(int retryAfterSeconds) {
        return new Fault(OriginCaTestServer.Reply.json(429, envelope(List.of(
                Map.of("code", 971, "message", "Please wait and consider throttling your request speed"))),
                Map.of("Retry-After", String.valueOf(retryAfterSeconds))));
    }

    /** 429 without {@code Retry-After}. */
    public static Fault rateLimitedWithoutRetryAfter() {
        return new Fault(OriginCaTestServer.Reply.json(429, envelope(List.of(
                Map.of("code", 971, "message", "Please wait and consider throttling your request speed"))), Map.of()));
    }

    /** An error envelope with one {@code {code, message}}. */
    public static Fault apiError(int status, int code, String message) {
        return new Fault(OriginCaTestServer.Reply.json(status, envelope(List.of(Map.of("code", code, "message", message))),
                Map.of()));
    }

    /** The transient database error the issuer retries (origin-ca-issuer #114). */
    public static Fault error1100() {
        return apiError(500, 1100, "Failed to write certificate to Database");
    }

    /** An error envelope listing several errors. */
    public static Fault apiErrors(int status, List<Map<String, Object>> errors) {
        return new Fault(OriginCaTestServer.Reply.json(status, envelope(errors), Map.of()));
    }

    /** {@code success: false} with an empty {@code errors} array. */
    public static Fault emptyErrorEnvelope(int status) {
        return apiErrors(status, List.of());
    }

    /** A non-JSON body, as a proxy in front of the API might send. */
    public static Fault raw(int status, String contentType, String body) {
        return new Fault(new OriginCaTestServer.Reply(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8)));
    }

    /** A body that starts like JSON and breaks off. */
    public static Fault malformedJson(int status) {
        return raw(status, "application/json", "{\"success\": true, \"result\": {\"id\": \"12");
    }

    /** No body at all. */
    public static Fault emptyBody(int status) {
        return new Fault(new OriginCaTestServer.Reply(status, null, Map.of(), new byte[0]));
    }

    private static Map<String, Object> envelope(List<Map<String, Object>> errors) {
        java.util.LinkedHashMap<String, Object> envelope = new java.util.LinkedHashMap<>();
        envelope.put("success", false);
        envelope.put("errors", errors);
        envelope.put("messages", List.of());
        envelope.put("result", null);
        return envelope;
    }
}
