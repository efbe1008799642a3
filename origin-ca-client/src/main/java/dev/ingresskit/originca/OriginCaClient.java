package dev.ingresskit.originca;

import dev.ingresskit.originca.internal.Json;
import dev.ingresskit.originca.internal.JsonException;
import dev.ingresskit.originca.internal.JsonNumber;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A client for Cloudflare's Origin CA API ({@code /certificates}): create, get, list and revoke
 * origin certificates. Thread-safe and immutable; build one with {@link #builder()} and share it.
 *
 * <pre>{@code
 * OriginCaClient client = OriginCaClient.builder().apiToken(System.getenv("CLOUDFLARE_API_TOKEN")).build();
 * KeyPair keys = KeyAlgorithm.EC_P256.generate();
 * var csr = CertificateSigningRequest.create(keys, List.of("example.com", "*.example.com"));
 * OriginCertificate cert = client.create(csr, Validity.DAYS_90);
 * }</pre>
 *
 * <p>Every call validates its input before any request, retries transient failures as its
 * {@link RetryPolicy} says, and fails with an {@link OriginCaException}.
 */
public final class OriginCaClient {
    /** The public API's base URI. */
    public static final URI DEFAULT_BASE_URI = URI.create("https://api.cloudflare.com/client/v4");
    static final String DEFAULT_USER_AGENT = "ingresskit-origin-ca-client/0.1";
    private static final System.Logger LOG = System.getLogger(OriginCaClient.class.getName());
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final Credential credential;
    private final URI baseUri;
    private final Duration requestTimeout;
    private final String userAgent;
    private final RetryPolicy retryPolicy;
    private final Transport transport;
    private final int pageSize;
    private final Pacer pacer;

    private OriginCaClient(Builder b) {
        this.credential = b.credential;
        this.baseUri = b.baseUri;
        this.requestTimeout = b.requestTimeout;
        this.userAgent = b.userAgent;
        this.retryPolicy = b.retryPolicy;
        this.transport = b.transport != null ? b.transport
                : Transport.jdk(HttpClient.newBuilder().connectTimeout(b.connectTimeout)
                        .followRedirects(HttpClient.Redirect.NEVER).build());
        this.pageSize = b.pageSize;
        this.pacer = b.pacer;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ API

    /** Requests a certificate for {@code csr}'s hostnames, with the request type its key needs. */
    public OriginCertificate create(CertificateSigningRequest csr, Validity validity) {
        return create(csr.hostnames(), csr.requestType(), validity, csr.pem());
    }

    /**
     * {@code POST /certificates}. Hostnames are checked and normalised first (see
     * {@link Hostnames}); {@code csrPem} must hold a PEM {@code CERTIFICATE REQUEST}.
     */
    public OriginCertificate create(Collection<String> hostnames, RequestType type, Validity validity, String csrPem) {
        List<String> names = Hostnames.normalize(hostnames);
        if (type == null || validity == null) {
            throw new IllegalArgumentException("request type and validity are required");
        }
        if (csrPem == null) {
            throw new IllegalArgumentException("csr is required");
        }
        Pem.readCertificateRequest(csrPem); // fails here, naming the problem, rather than at the API
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("csr", csrPem);
        body.put("hostnames", names);
        body.put("request_type", type.wireName());
        body.put("requested_validity", validity.days());
        byte[] json = Json.write(body).getBytes(StandardCharsets.UTF_8);
        return call("POST", "/certificates", json, Responses::certificate);
    }

    /** {@code GET /certificates/{id}}. */
    public OriginCertificate get(String id) {
        return call("GET", "/certificates/" + checkId(id), null, Responses::certificate);
    }

    /** {@code DELETE /certificates/{id}}: revokes the certificate. */
    public Revocation revoke(String id) {
        return call("DELETE", "/certificates/" + checkId(id), null, Responses::revocation);
    }

    /**
     * {@code GET /certificates?zone_id=…}: every certificate of the zone, fetched a page at a time as
     * the stream is consumed (nothing is requested until then). A failure while paging surfaces as an
     * {@link OriginCaException} from the stream's terminal operation. Every item the API lists is
     * returned, also one whose certificate or other fields cannot be read: that item says so in
     * {@link ListedCertificate#problems()} instead of failing the page.
     */
    public Stream<ListedCertificate> list(String zoneId) {
        String zone = checkId(zoneId);
        Iterator<ListedCertificate> pages = new PageIterator(zone);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    private final class PageIterator implements Iterator<ListedCertificate> {
        private final String zone;
        private int nextPage = 1;
        private boolean lastPage;
        private Iterator<ListedCertificate> current = java.util.Collections.emptyIterator();

        PageIterator(String zone) {
            this.zone = zone;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && !lastPage) {
                fetch();
            }
            return current.hasNext();
        }

        @Override
        public ListedCertificate next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        private void fetch() {
            int page = nextPage++;
            String path = "/certificates?zone_id=" + URLEncoder.encode(zone, StandardCharsets.UTF_8)
                    + "&page=" + page + "&per_page=" + pageSize;
            Page result = call("GET", path, null, null);
            current = result.items().iterator();
            // Stop on an empty page, on the last page result_info names, or on a short page when it names none.
            lastPage = result.items().isEmpty()
                    || (result.totalPages() > 0 ? page >= result.totalPages() : result.items().size() < pageSize);
        }
    }

    record Page(List<ListedCertificate> items, int totalPages) {
    }

    // ------------------------------------------------------------ exchange

    private static String checkId(String id) {
        if (id == null || !ID.matcher(id.strip()).matches()) {
            throw new IllegalArgumentException("not a certificate or zone id: '" + id
                    + "' (expected 1-128 letters, digits, '-', '_' or '.')");
        }
        return id.strip();
    }

    /** One API call with retries; {@code parse == null} means a list page. */
    @SuppressWarnings("unchecked")
    private <T> T call(String method, String pathAndQuery, byte[] body, Function<Object, T> parse) {
        String operation = method + " " + (pathAndQuery.indexOf('?') < 0 ? pathAndQuery
                : pathAndQuery.substring(0, pathAndQuery.indexOf('?')));
        URI uri = URI.create(baseUri + pathAndQuery);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(credential.header(), credential.value());
        headers.put("User-Agent", userAgent);
        headers.put("Accept", "application/json");
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        Transport.Request request = new Transport.Request(method, uri, headers, body, requestTimeout);
        long start = pacer.nanoTime();
        for (int attempt = 1; ; attempt++) {
            OriginCaException failure;
            try {
                Object result = exchange(operation, request, attempt, parse == null);
                return parse == null ? (T) result : parseResult(operation, attempt, result, parse);
            } catch (OriginCaException e) {
                failure = e;
            }
            if (!shouldRetry(failure, method)) {
                throw failure;
            }
            Duration delay = failure.retryAfter().orElseGet(() -> retryPolicy.backoff(failure.attempts(),
                    ThreadLocalRandom.current()));
            Duration elapsed = Duration.ofNanos(pacer.nanoTime() - start);
            if (failure.attempts() >= retryPolicy.maxAttempts()
                    || elapsed.plus(delay).compareTo(retryPolicy.maxElapsed()) > 0) {
                throw failure;
            }
            LOG.log(System.Logger.Level.DEBUG, "{0} attempt {1} failed ({2}); retrying in {3} ms",
                    operation, failure.attempts(), failure.getMessage(), delay.toMillis());
            try {
                pacer.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OriginCaTransportException(operation, failure.attempts(), "interrupted while waiting to retry",
                        false, e);
            }
        }
    }

    private static boolean shouldRetry(OriginCaException failure, String method) {
        if (!failure.isTransient()) {
            return false;
        }
        if (failure instanceof OriginCaTransportException transportFailure && method.equals("POST")) {
            // A create that may have reached the CA is not repeated: it could issue twice.
            return !transportFailure.mayHaveReachedServer();
        }
        return true;
    }

    private <T> T parseResult(String operation, int attempt, Object result, Function<Object, T> parse) {
        try {
            return parse.apply(result);
        } catch (IllegalArgumentException e) {
            throw new OriginCaProtocolException(operation, 200, null, attempt, e.getMessage(), e);
        }
    }

    /** Sends once; returns the envelope's result (or a {@link Page}), or throws the failure. */
    private Object exchange(String operation, Transport.Request request, int attempt, boolean page) {
        Transport.Response response;
        try {
            response = transport.send(request);
        } catch (ConnectException e) {
            throw new OriginCaTransportException(operation, attempt, "cannot connect to " + request.uri().getHost()
                    + ":" + port(request.uri()) + ": " + describe(e), false, e);
        } catch (IOException e) {
            throw new OriginCaTransportException(operation, attempt, describe(e), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OriginCaTransportException(operation, attempt, "interrupted", true, e);
        } catch (RuntimeException e) {
            // A transport bug or an unchecked failure inside a third-party client: still ours to report.
            throw new OriginCaTransportException(operation, attempt, e.toString(), true, e);
        }
        int status = response.status();
        String ray = response.header("CF-Ray").orElse(null);
        Duration retryAfter = response.header("Retry-After").map(OriginCaClient::retryAfter).orElse(null);
        boolean ok = status >= 200 && status < 300;
        byte[] body = response.body();
        if (body.length == 0) {
            if (ok) {
                throw new OriginCaProtocolException(operation, status, ray, attempt, "empty response body", null);
            }
            throw new OriginCaApiException(operation, status, List.of(), ray, attempt, retryAfter, "empty response body");
        }
        Object json;
        try {
            json = Json.parse(body);
        } catch (JsonException e) {
            if (ok) {
                throw new OriginCaProtocolException(operation, status, ray, attempt, "response is not JSON: "
                        + e.getMessage(), e);
            }
            throw new OriginCaApiException(operation, status, List.of(), ray, attempt, retryAfter,
                    "response is not JSON (" + contentType(response) + ")");
        }
        if (!(json instanceof Map<?, ?> envelope)) {
            throw failure(ok, operation, status, ray, attempt, retryAfter, "response is not an API envelope object");
        }
        List<ApiError> errors;
        try {
            errors = errors(envelope.get("errors"));
        } catch (IllegalArgumentException e) {
            throw failure(ok, operation, status, ray, attempt, retryAfter, e.getMessage());
        }
        Object success = envelope.get("success");
        if (!ok || success != Boolean.TRUE || !errors.isEmpty()) {
            if (ok && success == Boolean.TRUE) {
                // success:true with errors: trust the errors, the API never means both.
                throw new OriginCaApiException(operation, status, errors, ray, attempt, retryAfter, "success with errors");
            }
            String detail = errors.isEmpty() ? (ok ? "success is " + Responses.describe(success) + " and no errors listed"
                    : "no errors listed") : null;
            throw new OriginCaApiException(operation, status, errors, ray, attempt, retryAfter, detail);
        }
        Object result = envelope.get("result");
        if (!page) {
            return result;
        }
        try {
            return page(result, envelope.get("result_info"));
        } catch (IllegalArgumentException e) {
            throw new OriginCaProtocolException(operation, status, ray, attempt, e.getMessage(), e);
        }
    }

    private static OriginCaException failure(boolean ok, String operation, int status, String ray, int attempt,
            Duration retryAfter, String detail) {
        return ok ? new OriginCaProtocolException(operation, status, ray, attempt, detail, null)
                : new OriginCaApiException(operation, status, List.of(), ray, attempt, retryAfter, detail);
    }

    private static Page page(Object result, Object info) {
        if (!(result instanceof List<?> list)) {
            throw new IllegalArgumentException("field 'result': expected an array, got " + Responses.describe(result));
        }
        // One unreadable item never fails the page: it is kept, with its problems named.
        List<ListedCertificate> items = new ArrayList<>(list.size());
        for (Object item : list) {
            items.add(Responses.listed(item));
        }
        int totalPages = 0;
        if (info instanceof Map<?, ?> map && map.get("total_pages") instanceof JsonNumber n) {
            totalPages = n.intValue();
        }
        return new Page(items, totalPages);
    }

    private static List<ApiError> errors(Object value) {
        if (value == null || value == Json.NULL) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("field 'errors': expected an array, got " + Responses.describe(value));
        }
        List<ApiError> errors = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> map) {
                Object code = map.get("code");
                int number = code instanceof JsonNumber n ? n.intValue()
                        : code instanceof String s && s.strip().matches("\\d{1,9}") ? Integer.parseInt(s.strip()) : 0;
                errors.add(new ApiError(number, map.get("message") instanceof String s ? s : ""));
            } else if (item instanceof String s) {
                errors.add(new ApiError(0, s));
            } else {
                // kept, like every item of a list: an error the client cannot read is still an error
                errors.add(new ApiError(0, "unreadable error entry: " + Responses.describe(item)));
            }
        }
        return errors;
    }

    /** {@code Retry-After}: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when unreadable. */
    static Duration retryAfter(String value) {
        String v = value.strip();
        if (v.matches("\\d{1,9}")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(Instant.now(), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /** The JDK's HttpClient often leaves the message null and puts the reason in the cause. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return e.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String contentType(Transport.Response response) {
        return "Content-Type " + response.header("Content-Type").orElse("absent");
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    }

    public URI baseUri() {
        return baseUri;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    @Override
    public String toString() {
        return "OriginCaClient[" + baseUri + ", " + credential + ", transport=" + transport + ", retry=" + retryPolicy + "]";
    }

    // --------------------------------------------------------------- builder

    /** Collects the client's settings; each setter checks its argument at once. Not thread-safe. */
    public static final class Builder {
        private Credential credential;
        private URI baseUri = DEFAULT_BASE_URI;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(60);
        private String userAgent = DEFAULT_USER_AGENT;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Transport transport;
        private int pageSize = 50;
        private Pacer pacer = Pacer.SYSTEM;

        private Builder() {
        }

        /**
         * An API token with Zone › SSL and Certificates › Edit, sent as {@code Authorization: Bearer}.
         * Surrounding whitespace and newlines are removed.
         */
        public Builder apiToken(String token) {
            requireNoCredential();
            this.credential = Credential.apiToken(token);
            return this;
        }

        /**
         * The legacy Origin CA key ({@code v1.0-…}, sent as {@code X-Auth-User-Service-Key}).
         * Deprecated by Cloudflare and refused from 2026-09-30: prefer {@link #apiToken(String)}.
         */
        public Builder legacyOriginCaKey(String key) {
            requireNoCredential();
            this.credential = Credential.originCaKey(key);
            return this;
        }

        private void requireNoCredential() {
            if (credential != null) {
                throw new IllegalArgumentException("a credential is already set: give either an API token or the legacy "
                        + "Origin CA key, once");
            }
        }

        /** The API base; {@link OriginCaClient#DEFAULT_BASE_URI} by default. A trailing slash is dropped. */
        public Builder baseUri(URI uri) {
            if (uri == null || uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
                throw new IllegalArgumentException("base URI must be an absolute http(s) URI, got " + uri);
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("base URI must have no query or fragment: " + uri);
            }
            String s = uri.toString();
            this.baseUri = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            return this;
        }

        /** Connect timeout of the default JDK transport (ignored with {@link #transport}); 10 s by default. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Timeout of each request, until the response headers; 60 s by default. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        public Builder userAgent(String userAgent) {
            if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c >= 0x7f)) {
                throw new IllegalArgumentException("user agent must be non-blank printable ASCII");
            }
            this.userAgent = userAgent.strip();
            return this;
        }

        public Builder retryPolicy(RetryPolicy policy) {
            if (policy == null) {
                throw new IllegalArgumentException("retry policy is required; use RetryPolicy.none() to disable retries");
            }
            this.retryPolicy = policy;
            return this;
        }

        /** The HTTP transport; by default a JDK {@link HttpClient} that follows no redirects. */
        public Builder transport(Transport transport) {
            if (transport == null) {
                throw new IllegalArgumentException("transport is required");
            }
            this.transport = transport;
            return this;
        }

        /** Certificates requested per page by {@link #list(String)}; 1-100, 50 by default. */
        public Builder pageSize(int size) {
            if (size < 1 || size > 100) {
                throw new IllegalArgumentException("page size must be 1-100, got " + size);
            }
            this.pageSize = size;
            return this;
        }

        Builder pacer(Pacer pacer) {
            this.pacer = pacer;
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }

        public OriginCaClient build() {
            if (credential == null) {
                throw new IllegalArgumentException("no credential: call apiToken(...) (or legacyOriginCaKey(...))");
            }
            return new OriginCaClient(this);
        }
    }
}
