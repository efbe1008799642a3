package dev.ingresskit.originca;

/** The {@code request_type} of an Origin CA certificate. */
public enum RequestType {
    ORIGIN_RSA("origin-rsa"),
    ORIGIN_ECC("origin-ecc"),
    KEYLESS("keyless-certificate");

    private final String wireName;

    RequestType(String wireName) {
        this.wireName = wireName;
    }

    /** The value the API sends and expects, e.g. {@code origin-rsa}. */
    public String wireName() {
        return wireName;
    }

    /** The type for an API value; an exception naming the value when it is unknown. */
    public static RequestType fromWire(String value) {
        for (RequestType type : values()) {
            if (type.wireName.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown request_type '" + value + "'");
    }
}
