package dev.ingresskit.access;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Where the verifier gets the team's key set (a JWKS document). The default fetches
 * {@code https://TEAM.cloudflareaccess.com/cdn-cgi/access/certs}; tests and air-gapped setups supply
 * their own.
 */
@FunctionalInterface
public interface AccessKeySource {
    /** The JWKS document's bytes; an exception means "unavailable now" and the cache keeps its copy. */
    byte[] fetch() throws IOException;

    /** GETs {@code certsUri} with the JDK HTTP client; any status but 200 is an {@link IOException}. */
    static AccessKeySource http(URI certsUri, Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return () -> {
            HttpRequest request = HttpRequest.newBuilder(certsUri).timeout(timeout)
                    .header("Accept", "application/json").GET().build();
            try {
                HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("GET " + certsUri + " answered " + response.statusCode());
                }
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted fetching " + certsUri, e);
            }
        };
    }
}
