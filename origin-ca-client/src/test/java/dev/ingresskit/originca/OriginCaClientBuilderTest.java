package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OriginCaClientBuilderTest {
    @Test
    void aCredentialIsRequiredAndOnlyOne() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().build());
        assertTrue(none.getMessage().contains("apiToken"));
        assertThrows(IllegalArgumentException.class,
                () -> OriginCaClient.builder().apiToken("abc").legacyOriginCaKey("v1.0-abc"));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().apiToken(" \n\t "));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().apiToken(null));
    }

    @Test
    void credentialErrorsNeverEchoTheSecret() {
        IllegalArgumentException inner = assertThrows(IllegalArgumentException.class,
                () -> OriginCaClient.builder().apiToken("secret-part-one\nsecret-part-two"));
        assertFalse(inner.getMessage().contains("secret"), inner.getMessage());
        assertTrue(inner.getMessage().contains("index 15"), inner.getMessage());
        IllegalArgumentException legacy = assertThrows(IllegalArgumentException.class,
                () -> OriginCaClient.builder().legacyOriginCaKey("secret-not-a-key"));
        assertFalse(legacy.getMessage().contains("secret"), legacy.getMessage());
    }

    @Test
    void toStringRedacts() {
        OriginCaClient token = OriginCaClient.builder().apiToken("tok-ABCDEF123456").build();
        assertFalse(token.toString().contains("ABCDEF"), token.toString());
        assertTrue(token.toString().contains("API token (redacted)"), token.toString());
        OriginCaClient key = OriginCaClient.builder().legacyOriginCaKey("v1.0-KEYKEYKEY").build();
        assertFalse(key.toString().contains("KEYKEYKEY"), key.toString());
        assertTrue(key.toString().contains("legacy Origin CA key (redacted)"), key.toString());
    }

    @Test
    void baseUriAndLimits() {
        OriginCaClient client = OriginCaClient.builder().apiToken("t").baseUri(URI.create("http://127.0.0.1:8080/api/")).build();
        assertEquals(URI.create("http://127.0.0.1:8080/api"), client.baseUri());
        assertEquals(OriginCaClient.DEFAULT_BASE_URI, OriginCaClient.builder().apiToken("t").build().baseUri());
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().baseUri(URI.create("ftp://x/")));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().baseUri(URI.create("/relative")));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().baseUri(URI.create("https://x/?q=1")));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().requestTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().connectTimeout(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().pageSize(0));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().pageSize(101));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().userAgent("bad\nagent"));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().retryPolicy(null));
        assertThrows(IllegalArgumentException.class, () -> OriginCaClient.builder().transport(null));
    }
}
