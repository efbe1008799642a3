package dev.ingresskit.originca;

import dev.ingresskit.originca.internal.Json;
import dev.ingresskit.originca.internal.JsonNumber;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code result} objects of the API, tolerating what it really sends: {@code expires_on}
 * in RFC 3339 or Go's {@code 2006-01-02 15:04:05 -0700 MST} form, {@code requested_validity} as a
 * number or a string, unknown fields. Problems are {@link IllegalArgumentException}s naming the
 * field and the value; the client turns them into {@link OriginCaProtocolException}s.
 */
final class Responses {
    /** Go's default {@code time.Time.String()} layout, with optional fraction and a zone abbreviation. */
    private static final DateTimeFormatter GO_TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
            .appendPattern(" xx")
            .toFormatter();

    private Responses() {
    }

    static OriginCertificate certificate(Object result) {
        Map<String, Object> object = object(result, "result");
        String id = requiredString(object, "id");
        String pem = requiredString(object, "certificate");
        List<X509Certificate> chain;
        try {
            chain = Pem.readCertificates(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field 'certificate' of certificate " + id + ": " + e.getMessage(), e);
        }
        List<String> hostnames = stringList(object, "hostnames");
        Instant expiresOn = object.get("expires_on") instanceof String s
                ? timestamp(s, "expires_on")
                : chain.getFirst().getNotAfter().toInstant();
        RequestType type = requestType(object.get("request_type"), chain.getFirst());
        int validity = validityDays(object.get("requested_validity"));
        String csr = object.get("csr") instanceof String s ? s : "";
        Optional<Instant> revokedAt = object.get("revoked_at") instanceof String s && !s.isEmpty()
                ? Optional.of(timestamp(s, "revoked_at"))
                : Optional.empty();
        return new OriginCertificate(id, pem, chain, hostnames, expiresOn, type, validity, csr, revokedAt);
    }

    /**
     * One item of a listing, read as far as it goes: never throws; each field that cannot be read is
     * left unknown and named in the item's problems (the rule for every list in a response: keep
     * every item).
     */
    static ListedCertificate listed(Object item) {
        List<String> problems = new ArrayList<>();
        if (!(item instanceof Map<?, ?>)) {
            problems.add("expected an object, got " + describe(item));
            return new ListedCertificate("", List.of(), Optional.empty(), "", 0, "", List.of(), "", Optional.empty(),
                    problems);
        }
        Map<String, Object> object = object(item, "result");
        String id = optionalString(object, "id", true, problems);
        String pem = optionalString(object, "certificate", true, problems);
        List<X509Certificate> chain = List.of();
        if (object.get("certificate") instanceof String) {
            try {
                chain = Pem.readCertificates(pem);
            } catch (IllegalArgumentException e) {
                problems.add("field 'certificate': " + e.getMessage());
            }
        }
        List<String> hostnames = new ArrayList<>();
        Object names = object.get("hostnames");
        if (names instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof String s) {
                    hostnames.add(s);
                } else {
                    problems.add("field 'hostnames[" + i + "]': expected a string, got " + describe(list.get(i)));
                }
            }
        } else {
            problems.add("field 'hostnames': expected an array, got " + describe(names));
        }
        Optional<Instant> expiresOn = Optional.empty();
        if (object.get("expires_on") instanceof String s) {
            expiresOn = attempt(() -> timestamp(s, "expires_on"), problems);
        } else if (object.get("expires_on") != null && object.get("expires_on") != Json.NULL) {
            problems.add("field 'expires_on': expected a string, got " + describe(object.get("expires_on")));
        }
        if (expiresOn.isEmpty() && !chain.isEmpty()) {
            expiresOn = Optional.of(chain.getFirst().getNotAfter().toInstant());
        }
        String type = optionalString(object, "request_type", false, problems);
        int validity = attempt(() -> validityDays(object.get("requested_validity")), problems).orElse(0);
        String csr = optionalString(object, "csr", false, problems);
        Optional<Instant> revokedAt = object.get("revoked_at") instanceof String s && !s.isEmpty()
                ? attempt(() -> timestamp(s, "revoked_at"), problems)
                : Optional.empty();
        return new ListedCertificate(id, hostnames, expiresOn, type, validity, pem, chain, csr, revokedAt, problems);
    }

    /** A string field; absent (or JSON null) is "" and a problem only when {@code required}. */
    private static String optionalString(Map<String, Object> object, String field, boolean required,
            List<String> problems) {
        Object value = object.get(field);
        if (value instanceof String s) {
            return s;
        }
        if (required || (value != null && value != Json.NULL)) {
            problems.add("field '" + field + "': expected a string, got " + describe(value));
        }
        return "";
    }

    private static <T> Optional<T> attempt(java.util.function.Supplier<T> read, List<String> problems) {
        try {
            return Optional.of(read.get());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            return Optional.empty();
        }
    }

    static Revocation revocation(Object result) {
        Map<String, Object> object = object(result, "result");
        String id = requiredString(object, "id");
        String revokedAt = requiredString(object, "revoked_at");
        return new Revocation(id, timestamp(revokedAt, "revoked_at"));
    }

    /** RFC 3339 ({@code 2014-01-01T05:20:00.12345Z}) or Go's {@code 2020-12-25 06:27:00 +0000 UTC}. */
    static Instant timestamp(String value, String field) {
        String text = value.strip();
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException rfc3339) {
            // Go appends the zone's abbreviation after the numeric offset; the offset alone is exact.
            String withoutAbbreviation = text.replaceFirst("^(.*[+-]\\d{4}) [A-Za-z]{1,6}$", "$1");
            try {
                return OffsetDateTime.parse(withoutAbbreviation, GO_TIME).toInstant();
            } catch (DateTimeParseException go) {
                throw new IllegalArgumentException("field '" + field + "': unrecognised timestamp '" + value
                        + "' (expected RFC 3339 or '2020-12-25 06:27:00 +0000 UTC')");
            }
        }
    }

    static int validityDays(Object value) {
        if (value == null || value == Json.NULL) {
            return 0;
        }
        try {
            if (value instanceof JsonNumber n) {
                return n.intValueExact();
            }
            if (value instanceof String s) {
                return Integer.parseInt(s.strip());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("field 'requested_validity': not a whole number of days: " + value);
    }

    private static RequestType requestType(Object value, X509Certificate leaf) {
        if (value instanceof String s) {
            try {
                return RequestType.fromWire(s);
            } catch (IllegalArgumentException unknown) {
                // A type added after this client was written: fall back to what the key says.
            }
        }
        return "EC".equals(leaf.getPublicKey().getAlgorithm()) ? RequestType.ORIGIN_ECC : RequestType.ORIGIN_RSA;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String field) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("field '" + field + "': expected an object, got " + describe(value));
    }

    static String requiredString(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("field '" + field + "': expected a string, got " + describe(value));
    }

    static List<String> stringList(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("field '" + field + "': expected an array, got " + describe(value));
        }
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new IllegalArgumentException("field '" + field + "[" + i + "]': expected a string, got "
                        + describe(list.get(i)));
            }
            out.add(s);
        }
        return out;
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing (missing)";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
        }
        return String.valueOf(value);
    }
}
