package dev.ingresskit.originca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ingresskit.originca.internal.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponsesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "2020-12-25T06:27:00Z | 2020-12-25T06:27:00Z",
            "2020-12-25T06:27:00.123456Z | 2020-12-25T06:27:00.123456Z",
            "2020-12-25T08:27:00+02:00 | 2020-12-25T06:27:00Z",
            "2020-12-25 06:27:00 +0000 UTC | 2020-12-25T06:27:00Z",
            "2020-12-25 06:27:00.5 +0000 UTC | 2020-12-25T06:27:00.5Z",
            "2020-12-25 01:27:00 -0500 EST | 2020-12-25T06:27:00Z",
            "2020-12-25 06:27:00 +0000 | 2020-12-25T06:27:00Z",
    })
    void bothTimestampFormats(String text, String expected) {
        assertEquals(Instant.parse(expected), Responses.timestamp(text, "expires_on"));
    }

    @Test
    void badTimestampNamesFieldAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Responses.timestamp("25/12/2020", "expires_on"));
        assertTrue(e.getMessage().contains("expires_on") && e.getMessage().contains("25/12/2020"), e.getMessage());
    }

    @Test
    void validityAsNumberOrString() {
        assertEquals(5475, Responses.validityDays(Json.parse("5475")));
        assertEquals(90, Responses.validityDays("90"));
        assertEquals(90, Responses.validityDays(" 90 "));
        assertEquals(0, Responses.validityDays(null));
        assertEquals(0, Responses.validityDays(Json.NULL));
        assertThrows(IllegalArgumentException.class, () -> Responses.validityDays(Json.parse("90.5")));
        assertThrows(IllegalArgumentException.class, () -> Responses.validityDays("ninety"));
        assertThrows(IllegalArgumentException.class, () -> Responses.validityDays(Json.parse("99999999999")));
    }

    @Test
    void missingFieldsAreNamed() {
        IllegalArgumentException noId = assertThrows(IllegalArgumentException.class,
                () -> Responses.certificate(Json.parse("{\"certificate\": \"x\"}")));
        assertTrue(noId.getMessage().contains("'id'"), noId.getMessage());
        IllegalArgumentException badCert = assertThrows(IllegalArgumentException.class,
                () -> Responses.certificate(Json.parse("{\"id\": \"7\", \"certificate\": \"garbage\"}")));
        assertTrue(badCert.getMessage().contains("'certificate'") && badCert.getMessage().contains("7"),
                badCert.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Responses.certificate(Json.parse("[]")));
    }

    @Test
    void retryAfterForms() {
        assertEquals(Duration.ofSeconds(120), OriginCaClient.retryAfter("120"));
        assertEquals(Duration.ZERO, OriginCaClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(null, OriginCaClient.retryAfter("soon"));
    }
}
