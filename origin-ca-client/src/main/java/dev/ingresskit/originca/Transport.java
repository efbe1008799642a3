package dev.ingresskit.originca;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The HTTP exchange underneath {@link OriginCaClient}: one request, one response, no retries, no
 * interpretation (the client does both). Implementations must be thread-safe. The JDK's
 * {@link HttpClient} is the default ({@link #jdk(HttpClient)}); {@code dev.ingresskit.originca.okhttp}
 * offers OkHttp.
 */
public interface Transport {
    /**
     * Sends {@code request} and returns whatever status came back.
     *
     * @throws java.net.ConnectException when no connection could be made (the request was not sent)
     * @throws IOException on any other failure to get a response
     */
    Response send(Request request) throws IOException, InterruptedException;

    /** A transport over {@code client}; configure TLS, proxy and connect timeout on the client. */
    static Transport jdk(HttpClient client) {
        return new JdkTransport(client);
    }

    /**
     * One request. Header names are as given; credential headers are redacted from
     * {@link #toString()}.
     */
    record Request(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout) {
        public Request {
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            body = body == null ? null : body.clone();
        }

        /** The body (a copy), or {@code null} for GET and DELETE. */
        @Override
        public byte[] body() {
            return body == null ? null : body.clone();
        }

        @Override
        public String toString() {
            return method + " " + uri + " " + headers.entrySet().stream()
                    .map(e -> e.getKey() + ": " + (Credential.isSecretHeader(e.getKey()) ? "<redacted>" : e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
    }

    /** One response: status, headers (names matched case-insensitively by {@link #header}), body. */
    record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public Response {
            Map<String, List<String>> lower = new LinkedHashMap<>();
            headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new java.util.ArrayList<>())
                    .addAll(v));
            lower.replaceAll((k, v) -> List.copyOf(v));
            headers = java.util.Collections.unmodifiableMap(lower);
            body = body == null ? new byte[0] : body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        /** The first value of header {@code name}, any case. */
        public Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        @Override
        public String toString() {
            return "Response[" + status + ", " + body.length + " bytes]";
        }
    }
}
