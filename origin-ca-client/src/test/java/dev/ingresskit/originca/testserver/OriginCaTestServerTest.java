package dev.ingresskit.originca.testserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.CertificateSigningRequest;
import dev.ingresskit.originca.KeyAlgorithm;
import dev.ingresskit.originca.internal.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test server is only worth what it refuses: each case sends one raw request that breaks one
 * documented rule and checks the status and error code that come back.
 */
class OriginCaTestServerTest {
    static OriginCaTestServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static KeyPair ec;
    static KeyPair rsa;

    @BeforeAll
    static void start() {
        server = OriginCaTestServer.builder().token("tok").legacyKey("v1.0-key").start();
        ec = KeyAlgorithm.EC_P256.generate();
        rsa = KeyAlgorithm.RSA_2048.generate();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Answer(int status, Map<?, ?> body) {
        int code() {
            return ((Number) ((Map<?, ?>) ((List<?>) body.get("errors")).getFirst()).get("code")).intValue();
        }
    }

    static Answer send(String method, String path, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.headers().firstValue("CF-Ray").isPresent());
        return new Answer(r.statusCode(), (Map<?, ?>) Json.parse(r.body()));
    }

    static Answer create(Map<String, String> headers, Object body) throws Exception {
        return send("POST", "/certificates", headers, body instanceof String s ? s : Json.write(body));
    }

    static final Map<String, String> AUTH = Map.of("Authorization", "Bearer tok", "Content-Type", "application/json");

    static Map<String, Object> valid(KeyPair keys, String type, int validity, String... hostnames) {
        return new java.util.LinkedHashMap<>(Map.of("csr", CertificateSigningRequest.create(keys, List.of(hostnames)).pem(),
                "hostnames", List.of(hostnames), "request_type", type, "requested_validity", validity));
    }

    @Test
    void acceptsAValidRequestWithEitherCredential() throws Exception {
        assertEquals(200, create(AUTH, valid(ec, "origin-ecc", 7, "ok.example.com")).status());
        assertEquals(200, create(Map.of("X-Auth-User-Service-Key", "v1.0-key", "Content-Type", "application/json"),
                valid(rsa, "origin-rsa", 5475, "ok.example.com")).status());
        Map<String, Object> noValidity = valid(ec, "origin-ecc", 7, "ok.example.com");
        noValidity.remove("requested_validity");
        assertEquals(200, create(AUTH, noValidity).status());
        assertEquals(5475, server.issued().getLast().validityDays(), "the documented default");
    }

    @Test
    void authentication() throws Exception {
        Map<String, Object> body = valid(ec, "origin-ecc", 7, "a.example.com");
        assertEquals(400, create(Map.of("Content-Type", "application/json"), body).status());
        assertEquals(403, create(Map.of("Authorization", "Bearer nope", "Content-Type", "application/json"), body).status());
        assertEquals(403, create(Map.of("Authorization", "tok", "Content-Type", "application/json"), body).status());
        assertEquals(403, create(Map.of("X-Auth-User-Service-Key", "v1.0-other", "Content-Type", "application/json"), body)
                .status());
        assertEquals(400, create(Map.of("Authorization", "Bearer tok", "X-Auth-User-Service-Key", "v1.0-key",
                "Content-Type", "application/json"), body).status());
        assertEquals(403, send("GET", "/certificates?zone_id=z", Map.of("Authorization", "Bearer  tok"), null).status());
    }

    @Test
    void createFields() throws Exception {
        assertEquals(415, create(Map.of("Authorization", "Bearer tok"), valid(ec, "origin-ecc", 7, "a.example.com")).status());
        assertEquals(400, create(AUTH, "{\"csr\": ").status());
        Map<String, Object> extra = valid(ec, "origin-ecc", 7, "a.example.com");
        extra.put("zone", "x");
        assertEquals(1001, create(AUTH, extra).code());
        Map<String, Object> badValidity = valid(ec, "origin-ecc", 100, "a.example.com");
        assertEquals(1010, create(AUTH, badValidity).code());
        Map<String, Object> stringValidity = valid(ec, "origin-ecc", 7, "a.example.com");
        stringValidity.put("requested_validity", "7");
        assertEquals(1010, create(AUTH, stringValidity).code());
        assertEquals(1003, create(AUTH, valid(ec, "origin-rsa", 7, "a.example.com")).code());
        assertEquals(1003, create(AUTH, valid(rsa, "origin-ecc", 7, "a.example.com")).code());
        assertEquals(1003, create(AUTH, valid(rsa, "rsa", 7, "a.example.com")).code());
        Map<String, Object> garbageCsr = valid(ec, "origin-ecc", 7, "a.example.com");
        garbageCsr.put("csr", "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n");
        assertEquals(1002, create(AUTH, garbageCsr).code());
    }

    @Test
    void tamperedCsrSignatureIsRefused() throws Exception {
        String pem = CertificateSigningRequest.create(ec, List.of("sig.example.com")).pem();
        byte[] der = dev.ingresskit.originca.Pem.readCertificateRequest(pem);
        int at = new String(der, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("sig.example");
        der[at] = 'z';
        Map<String, Object> body = valid(ec, "origin-ecc", 7, "sig.example.com");
        body.put("csr", dev.ingresskit.originca.Pem.certificateRequest(der));
        Answer answer = create(AUTH, body);
        assertEquals(1002, answer.code());
        assertTrue(answer.body().toString().contains("bad signature"), answer.body().toString());
    }

    @Test
    void hostnameRules() throws Exception {
        for (String bad : List.of("192.0.2.1", "localhost", "*.*.example.com", "UPPER.example.com", "a_b.example.com",
                "bücher.example.com", "other.test")) {
            Map<String, Object> body = valid(ec, "origin-ecc", 7, "a.example.com");
            body.put("hostnames", List.of(bad));
            assertEquals(1004, create(AUTH, body).code(), bad);
        }
        Map<String, Object> twoZones = valid(ec, "origin-ecc", 7, "a.example.com");
        twoZones.put("hostnames", List.of("a.example.com", "a.example.org"));
        assertEquals(1004, create(AUTH, twoZones).code());
        Map<String, Object> tooMany = valid(ec, "origin-ecc", 7, "a.example.com");
        tooMany.put("hostnames", java.util.stream.IntStream.range(0, 201).mapToObj(i -> "h" + i + ".example.com").toList());
        assertEquals(1004, create(AUTH, tooMany).code());
    }

    @Test
    void listAndIdRoutes() throws Exception {
        Map<String, String> auth = Map.of("Authorization", "Bearer tok");
        assertEquals(1000, send("GET", "/certificates", auth, null).code());
        assertEquals(1000, send("GET", "/certificates?zone_id=z&per_page=101", auth, null).code());
        assertEquals(1000, send("GET", "/certificates?zone_id=z&page=0", auth, null).code());
        assertEquals(404, send("GET", "/certificates/nope", auth, null).status());
        assertEquals(404, send("DELETE", "/certificates/nope", auth, null).status());
        assertEquals(405, send("PUT", "/certificates", auth, "{}").status());
        Answer list = send("GET", "/certificates?zone_id=023e105f4ecef8ad9ca31a8372d0c353&per_page=5", auth, null);
        assertEquals(200, list.status());
        assertEquals(Boolean.TRUE, list.body().get("success"));
        assertTrue(list.body().get("result_info") instanceof Map);
    }
}
