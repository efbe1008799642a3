package dev.ingresskit.director.kubernetes.internal;

/** The address families an EndpointSlice query accepts ({@code family ipv4|ipv6}; both when absent). */
public enum AddressFamily {
    IPV4("IPv4"),
    IPV6("IPv6");

    private final String addressType;

    AddressFamily(String addressType) {
        this.addressType = addressType;
    }

    /** The EndpointSlice {@code addressType} value of this family. */
    public String addressType() {
        return addressType;
    }

    /** The family of an EndpointSlice {@code addressType}, or null for FQDN and unknown types. */
    static AddressFamily ofAddressType(String addressType) {
        for (AddressFamily f : values()) {
            if (f.addressType.equals(addressType)) {
                return f;
            }
        }
        return null;
    }
}
