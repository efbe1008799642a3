package dev.ingresskit.originca.testserver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ingresskit.originca.internal.Json;
import dev.ingresskit.originca.internal.JsonException;
import dev.ingresskit.originca.internal.JsonNumber;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A local stand-in for Cloudflare's Origin CA API ({@code /client/v4/certificates}) that follows the
 * published contract strictly and signs CSRs into real certificates with its own test CA.
 *
 * <p>It enforces: exactly one credential header ({@code Authorization: Bearer <token>} or, when
 * configured, the legacy {@code X-Auth-User-Service-Key}); JSON bodies with {@code Content-Type:
 * application/json}; exactly the documented create fields ({@code csr}, {@code hostnames},
 * {@code request_type}, {@code requested_validity}) with their types; a parseable PKCS#10 CSR with a
 * valid signature whose key matches the request type; the allowed validities; hostname rules (LDH,
 * at least two labels, one leading wildcard label, no IPs, at most 200, within a configured zone);
 * {@code zone_id} on lists, {@code page}/{@code per_page} ranges. It can be scripted to fail the next
 * requests ({@link Fault}). Answers carry a {@code CF-Ray} header and the documented envelope.
 */
public final class OriginCaTestServer implements AutoCloseable {
    public static final String BASE_PATH = "/client/v4";
    public static final Set<Integer> VALIDITIES = Set.of(7, 30, 90, 365, 730, 1095, 5475);
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** How {@code expires_on} is written: both forms occur in the real API. */
    public enum TimeFormat { RFC3339, GO }

    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "origin-ca-test-server");
        t.setDaemon(true);
        return t;
    });
    private final String token;
    private final String legacyKey;
    private final Clock clock;
    private final Map<String, String> zones; // zone id -> domain
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;
    private final SSLContext clientSslContext;
    private final List<Scripted> faults = new ArrayList<>();

    private record Scripted(String method, Fault fault) {
    }
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Issued> certificates = Collections.synchronizedMap(new LinkedHashMap<>());
    private final SecureRandom random = new SecureRandom();
    private volatile TimeFormat timeFormat = TimeFormat.RFC3339;
    private volatile boolean validityAsString;
    private volatile boolean omitTotalPages;
    private final Map<String, Map<String, Object>> listedOverrides = new java.util.concurrent.ConcurrentHashMap<>();

    /** A certificate the server issued. */
    public record Issued(String id, String zoneId, X509Certificate certificate, String pem, List<String> hostnames,
            String requestType, int validityDays, String csr, Instant revokedAt) {
    }

    /** One request as received. Header names are lower case. */
    public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
            String body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null ? null : values.getFirst();
        }
    }

    private OriginCaTestServer(Builder b) throws IOException, GeneralSecurityException {
        this.token = b.token;
        this.legacyKey = b.legacyKey;
        this.clock = b.clock;
        this.zones = Map.copyOf(b.zones);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        this.caKeys = generator.generateKeyPair();
        Instant now = clock.instant();
        this.caCertificate = caCertificate(caKeys, now);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (b.https) {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(serverSslContext(now)));
            this.server = https;
        } else {
            this.server = HttpServer.create(address, 0);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("test-origin-ca", caCertificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        this.clientSslContext = SSLContext.getInstance("TLS");
        clientSslContext.init(null, tmf.getTrustManagers(), null);
        server.createContext("/", this::handle);
        // Several handler threads, so a deliberately slow answer does not hold up the next request.
        server.setExecutor(executor);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URI to give the client, e.g. {@code http://127.0.0.1:41234/client/v4}. */
    public URI baseUri() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH);
    }

    /** Trusts this server's HTTPS certificate (issued by the test CA for 127.0.0.1). */
    public SSLContext clientSslContext() {
        return clientSslContext;
    }

    public X509Certificate caCertificate() {
        return caCertificate;
    }

    /** Makes the next request(s) fail as scripted, in order, before any other check. */
    public void enqueue(Fault... next) {
        synchronized (faults) {
            for (Fault fault : next) {
                faults.add(new Scripted(null, fault));
            }
        }
    }

    /** Like {@link #enqueue}, for the next request(s) with HTTP method {@code method} only. */
    public void enqueueFor(String method, Fault... next) {
        synchronized (faults) {
            for (Fault fault : next) {
                faults.add(new Scripted(method, fault));
            }
        }
    }

    private Fault nextFault(String method) {
        synchronized (faults) {
            for (int i = 0; i < faults.size(); i++) {
                if (faults.get(i).method() == null || faults.get(i).method().equals(method)) {
                    return faults.remove(i).fault();
                }
            }
            return null;
        }
    }

    public void timeFormat(TimeFormat format) {
        this.timeFormat = format;
    }

    /** Sends {@code requested_validity} as a string ("90") instead of a number. */
    public void validityAsString(boolean asString) {
        this.validityAsString = asString;
    }

    /** Leaves {@code total_pages} out of {@code result_info}. */
    public void omitTotalPages(boolean omit) {
        this.omitTotalPages = omit;
    }

    /**
     * From now on, lists show field {@code field} of certificate {@code id} as {@code value} ({@link #OMIT}
     * leaves it out): one odd item in a listing, as the real API has been seen to send (an empty or
     * unparseable {@code certificate} or {@code csr}). {@code GET /certificates/{id}} is unchanged.
     */
    public void alterListedField(String id, String field, Object value) {
        listedOverrides.computeIfAbsent(id, k -> new java.util.concurrent.ConcurrentHashMap<>()).put(field, value);
    }

    /** For {@link #alterListedField}: the field is left out of the item. */
    public static final Object OMIT = new Object();

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    public List<Issued> issued() {
        synchronized (certificates) {
            return List.copyOf(certificates.values());
        }
    }

    public Issued issued(String id) {
        return certificates.get(id);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------ dispatch

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            URI uri = exchange.getRequestURI();
            requests.add(new RecordedRequest(exchange.getRequestMethod(), uri.getPath(), uri.getRawQuery(),
                    Map.copyOf(headers), new String(body, StandardCharsets.UTF_8)));
            Reply reply;
            Fault fault = nextFault(exchange.getRequestMethod());
            if (fault != null) {
                if (fault.delay() != null) {
                    try {
                        Thread.sleep(fault.delay());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                reply = fault.reply() != null ? fault.reply() : authenticatedRoute(exchange, uri, headers, body);
            } else {
                reply = authenticatedRoute(exchange, uri, headers, body);
            }
            send(exchange, reply);
        } catch (IOException e) {
            // The client gave up (a timeout test) and closed the connection: nothing to answer.
        } catch (RuntimeException e) {
            e.printStackTrace();
            throw e;
        }
    }

    private Reply authenticatedRoute(HttpExchange exchange, URI uri, Map<String, List<String>> headers, byte[] body) {
        try {
            return route(exchange.getRequestMethod(), uri, headers, body);
        } catch (Rejection r) {
            return Reply.errors(r.status, List.of(Map.of("code", r.code, "message", r.getMessage())));
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().add("CF-Ray", HexFormat.of().formatHex(randomBytes(8)) + "-TST");
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        }
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] bytes = reply.body();
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Reply route(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        authenticate(headers);
        String path = uri.getPath();
        if (!path.startsWith(BASE_PATH + "/certificates")) {
            throw new Rejection(404, 7003, "Could not route to " + path + ", perhaps your object identifier is invalid?");
        }
        String rest = path.substring((BASE_PATH + "/certificates").length());
        Map<String, String> query = query(uri.getRawQuery());
        if (rest.isEmpty()) {
            return switch (method) {
                case "POST" -> create(headers, body);
                case "GET" -> list(query);
                default -> throw new Rejection(405, 10405, "Method " + method + " not allowed");
            };
        }
        if (!rest.startsWith("/") || rest.indexOf('/', 1) >= 0) {
            throw new Rejection(404, 7003, "Could not route to " + path);
        }
        String id = rest.substring(1);
        if (body.length > 0) {
            throw new Rejection(400, 1001, method + " takes no body");
        }
        return switch (method) {
            case "GET" -> Reply.success(certificateJson(found(id)));
            case "DELETE" -> revoke(found(id));
            default -> throw new Rejection(405, 10405, "Method " + method + " not allowed");
        };
    }

    private void authenticate(Map<String, List<String>> headers) {
        List<String> authorization = headers.get("authorization");
        List<String> serviceKey = headers.get("x-auth-user-service-key");
        if (authorization != null && serviceKey != null) {
            throw new Rejection(400, 6003, "Invalid request headers: give either a token or a service key, not both");
        }
        if (authorization == null && serviceKey == null) {
            throw new Rejection(400, 10000, "Authentication error: no credentials");
        }
        if (authorization != null) {
            if (authorization.size() != 1 || !authorization.getFirst().equals("Bearer " + token)) {
                throw new Rejection(403, 10000, "Authentication error");
            }
            return;
        }
        if (legacyKey == null || serviceKey.size() != 1 || !serviceKey.getFirst().equals(legacyKey)) {
            throw new Rejection(403, 10001, "Invalid Origin CA key");
        }
    }

    // -------------------------------------------------------------- create

    private Reply create(Map<String, List<String>> headers, byte[] body) {
        List<String> contentType = headers.get("content-type");
        if (contentType == null || !contentType.getFirst().toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new Rejection(415, 1001, "Content-Type must be application/json");
        }
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (JsonException e) {
            throw new Rejection(400, 1001, "Malformed JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> request)) {
            throw new Rejection(400, 1001, "Request body must be a JSON object");
        }
        for (Object key : request.keySet()) {
            if (!Set.of("csr", "hostnames", "request_type", "requested_validity").contains(key)) {
                throw new Rejection(400, 1001, "Unknown field '" + key + "'");
            }
        }
        if (!(request.get("csr") instanceof String csrPem)) {
            throw new Rejection(400, 1002, "csr is required and must be a string");
        }
        if (!(request.get("hostnames") instanceof List<?> hostnameList) || hostnameList.isEmpty()) {
            throw new Rejection(400, 1004, "hostnames is required and must be a non-empty array");
        }
        if (hostnameList.size() > 200) {
            throw new Rejection(400, 1004, "Too many hostnames (" + hostnameList.size() + "), at most 200");
        }
        List<String> hostnames = new ArrayList<>();
        for (Object h : hostnameList) {
            if (!(h instanceof String name) || !validHostname(name)) {
                throw new Rejection(400, 1004, "Invalid hostname " + h);
            }
            hostnames.add(name);
        }
        if (!(request.get("request_type") instanceof String requestType)
                || !Set.of("origin-rsa", "origin-ecc", "keyless-certificate").contains(requestType)) {
            throw new Rejection(400, 1003, "request_type must be origin-rsa, origin-ecc or keyless-certificate");
        }
        int validity = 5475;
        Object v = request.get("requested_validity");
        if (v != null) {
            if (!(v instanceof JsonNumber n) || !n.literal().matches("\\d+")
                    || !VALIDITIES.contains(Integer.parseInt(n.literal()))) {
                throw new Rejection(400, 1010, "requested_validity must be one of 7, 30, 90, 365, 730, 1095, 5475");
            }
            validity = Integer.parseInt(n.literal());
        }
        String zoneId = zoneOf(hostnames);
        PublicKey key = verifiedCsrKey(csrPem);
        boolean rsa = key instanceof RSAPublicKey;
        boolean ec = key instanceof ECPublicKey;
        if ((requestType.equals("origin-rsa") && !rsa) || (requestType.equals("origin-ecc") && !ec)) {
            throw new Rejection(400, 1003, "CSR key type does not match request_type " + requestType);
        }
        Issued issued = sign(zoneId, key, hostnames, requestType, validity, csrPem);
        certificates.put(issued.id(), issued);
        return Reply.success(certificateJson(issued));
    }

    private static boolean validHostname(String name) {
        String rest = name.startsWith("*.") ? name.substring(2) : name;
        String[] labels = rest.split("\\.", -1);
        if (labels.length < 2 || rest.length() > 253) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return !labels[labels.length - 1].matches("\\d+");
    }

    private String zoneOf(List<String> hostnames) {
        String zone = null;
        for (String h : hostnames) {
            String bare = h.startsWith("*.") ? h.substring(2) : h;
            String found = null;
            for (Map.Entry<String, String> z : zones.entrySet()) {
                if (bare.equals(z.getValue()) || bare.endsWith("." + z.getValue())) {
                    found = z.getKey();
                }
            }
            if (found == null) {
                throw new Rejection(400, 1004, "Hostname " + h + " is not in any zone of this account");
            }
            if (zone != null && !zone.equals(found)) {
                throw new Rejection(400, 1004, "Hostnames must all belong to one zone");
            }
            zone = found;
        }
        return zone;
    }

    private static PublicKey verifiedCsrKey(String csrPem) {
        String base64 = csrPem.replaceAll("-----(BEGIN|END) (NEW )?CERTIFICATE REQUEST-----", "").replaceAll("\\s", "");
        if (!csrPem.contains("-----BEGIN CERTIFICATE REQUEST-----") && !csrPem.contains("-----BEGIN NEW CERTIFICATE REQUEST-----")) {
            throw new Rejection(400, 1002, "Invalid CSR: not a PEM certificate request");
        }
        try {
            PKCS10CertificationRequest request = new PKCS10CertificationRequest(Base64.getDecoder().decode(base64));
            if (!request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(request.getSubjectPublicKeyInfo()))) {
                throw new Rejection(400, 1002, "Invalid CSR: bad signature");
            }
            return new JcaPKCS10CertificationRequest(request).getPublicKey();
        } catch (Rejection r) {
            throw r;
        } catch (Exception e) {
            throw new Rejection(400, 1002, "Invalid CSR: " + e.getMessage());
        }
    }

    private Issued sign(String zoneId, PublicKey key, List<String> hostnames, String requestType, int validity, String csr) {
        Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant notAfter = notBefore.plus(Duration.ofDays(validity));
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, new BigInteger(64, random),
                    Date.from(notBefore), Date.from(notAfter),
                    new X500Name("O=CloudFlare\\, Inc.,OU=CloudFlare Origin CA,CN=CloudFlare Origin Certificate"), key);
            GeneralName[] names = hostnames.stream().map(h -> new GeneralName(GeneralName.dNSName, h))
                    .toArray(GeneralName[]::new);
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            String id = new BigInteger(1, randomBytes(20)).toString();
            return new Issued(id, zoneId, certificate, pem(certificate), List.copyOf(hostnames), requestType, validity,
                    csr, null);
        } catch (Exception e) {
            throw new IllegalStateException("test CA failed to sign", e);
        }
    }

    // ------------------------------------------------------ read & revoke

    private Issued found(String id) {
        Issued issued = certificates.get(id);
        if (issued == null) {
            throw new Rejection(404, 1005, "Certificate not found");
        }
        return issued;
    }

    private Reply revoke(Issued issued) {
        Instant revokedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Issued revoked = new Issued(issued.id(), issued.zoneId(), issued.certificate(), issued.pem(), issued.hostnames(),
                issued.requestType(), issued.validityDays(), issued.csr(), revokedAt);
        certificates.put(issued.id(), revoked);
        return Reply.success(Map.of("id", issued.id(), "revoked_at", DateTimeFormatter.ISO_INSTANT.format(revokedAt)));
    }

    private Reply list(Map<String, String> query) {
        String zone = query.get("zone_id");
        if (zone == null || zone.isEmpty()) {
            throw new Rejection(400, 1000, "zone_id is required");
        }
        int page = intParam(query, "page", 1, 1, Integer.MAX_VALUE);
        int perPage = intParam(query, "per_page", 20, 1, 100);
        List<Issued> all;
        synchronized (certificates) {
            all = certificates.values().stream().filter(c -> c.zoneId().equals(zone) && c.revokedAt() == null).toList();
        }
        int from = Math.min(all.size(), (page - 1) * perPage);
        int to = Math.min(all.size(), from + perPage);
        List<Object> items = new ArrayList<>();
        for (Issued c : all.subList(from, to)) {
            Map<String, Object> item = certificateJson(c);
            listedOverrides.getOrDefault(c.id(), Map.of()).forEach((field, value) -> {
                if (value == OMIT) {
                    item.remove(field);
                } else {
                    item.put(field, value);
                }
            });
            items.add(item);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("page", page);
        info.put("per_page", perPage);
        info.put("count", items.size());
        info.put("total_count", all.size());
        if (!omitTotalPages) {
            info.put("total_pages", (all.size() + perPage - 1) / perPage);
        }
        return Reply.success(items, info);
    }

    private static int intParam(Map<String, String> query, String name, int dflt, int min, int max) {
        String v = query.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Rejection(400, 1000, name + " must be an integer in " + min + ".." + max);
        }
    }

    private Map<String, Object> certificateJson(Issued c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", c.id());
        json.put("certificate", c.pem());
        json.put("hostnames", c.hostnames());
        Instant expires = c.certificate().getNotAfter().toInstant();
        json.put("expires_on", timeFormat == TimeFormat.GO
                ? DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(expires) + " +0000 UTC"
                : DateTimeFormatter.ISO_INSTANT.format(expires));
        json.put("request_type", c.requestType());
        json.put("requested_validity", validityAsString ? String.valueOf(c.validityDays()) : c.validityDays());
        json.put("csr", c.csr());
        if (c.revokedAt() != null) {
            json.put("revoked_at", DateTimeFormatter.ISO_INSTANT.format(c.revokedAt()));
        }
        // The real API adds fields over time; clients must ignore what they do not know.
        json.put("x_test_unknown_field", Map.of("nested", List.of(1, 2.5, true)));
        return json;
    }

    // ------------------------------------------------------------- helpers

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate caCertificate(KeyPair keys, Instant now) throws GeneralSecurityException {
        try {
            X500Name name = new X500Name("O=ingresskit tests,CN=Test Origin CA");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(365 * 30))), name,
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException | IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private SSLContext serverSslContext(Instant now) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate certificate;
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, BigInteger.TWO,
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                    new X500Name("CN=127.0.0.1"), keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate());
            certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = "test".toCharArray();
        store.setKeyEntry("server", keys.getPrivate(), password, new X509Certificate[] {certificate, caCertificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** A refusal in the API's error envelope. */
    private static final class Rejection extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final int code;

        Rejection(int status, int code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    /** A response to send. */
    record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {
        static Reply success(Object result) {
            return success(result, null);
        }

        static Reply success(Object result, Object resultInfo) {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("success", true);
            envelope.put("errors", List.of());
            envelope.put("messages", List.of());
            envelope.put("result", result);
            if (resultInfo != null) {
                envelope.put("result_info", resultInfo);
            }
            return json(200, envelope, Map.of());
        }

        static Reply errors(int status, List<Map<String, Object>> errors) {
            Map<String, Object> envelope = new LinkedHashMap<>();
            envelope.put("success", false);
            envelope.put("errors", errors);
            envelope.put("messages", List.of());
            envelope.put("result", null);
            return json(status, envelope, Map.of());
        }

        static Reply json(int status, Object body, Map<String, String> headers) {
            return new Reply(status, "application/json", headers, Json.write(body).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Collects the server's settings. */
    public static final class Builder {
        private String token = "test-token-0123456789";
        private String legacyKey;
        private Clock clock = Clock.systemUTC();
        private boolean https;
        private final Map<String, String> zones = new LinkedHashMap<>(Map.of(
                "023e105f4ecef8ad9ca31a8372d0c353", "example.com",
                "9a7806061c88ada191ed06f989cc3dac", "example.org"));

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder legacyKey(String key) {
            this.legacyKey = key;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        public Builder zone(String id, String domain) {
            zones.put(id, domain);
            return this;
        }

        public OriginCaTestServer start() {
            try {
                return new OriginCaTestServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
