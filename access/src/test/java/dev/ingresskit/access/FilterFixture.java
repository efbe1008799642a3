package dev.ingresskit.access;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Tokens and a verifier shared by the two filter tests. */
public final class FilterFixture {
    public static final TestTokens.TestKey KEY = TestTokens.rsa("filter-key");
    public static final TestTokens.TestKey STRANGER = TestTokens.rsa("filter-key");

    private FilterFixture() {
    }

    public static AccessJwtVerifier verifier() {
        return AccessJwtVerifier.builder(TestTokens.TEAM).audience(TestTokens.AUD)
                .keySource(() -> TestTokens.jwks(KEY).getBytes(StandardCharsets.UTF_8)).build();
    }

    public static String userToken() {
        return KEY.sign(TestTokens.userClaims(Instant.now(), "ann@example.com"));
    }

    public static String serviceToken() {
        return KEY.sign(TestTokens.serviceClaims(Instant.now(), "client-id.access"));
    }

    /** Same kid, a key Access never published: the forgery an attacker can make. */
    public static String forgedToken() {
        return STRANGER.sign(TestTokens.userClaims(Instant.now(), "admin@example.com"));
    }

    /** GET with the given header (name, value pairs); returns "status body". */
    public static String get(int port, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/whoami"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body().strip();
        }
    }
}
