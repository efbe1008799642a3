package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.IpVsH;
import java.net.Inet4Address;
import java.net.InetAddress;

/** IPv4 or IPv6 ({@code AF_INET} 2, {@code AF_INET6} 10). */
public enum AddressFamily {
    INET(IpVsH.AF_INET, 4),
    INET6(IpVsH.AF_INET6, 16);

    private final int number;
    private final int addressLength;

    AddressFamily(int number, int addressLength) {
        this.number = number;
        this.addressLength = addressLength;
    }

    /** The {@code AF_*} number. */
    public int number() {
        return number;
    }

    /** Bytes in an address of this family. */
    public int addressLength() {
        return addressLength;
    }

    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet4Address ? INET : INET6;
    }

    public static AddressFamily of(int number) {
        return switch (number) {
            case IpVsH.AF_INET -> INET;
            case IpVsH.AF_INET6 -> INET6;
            default -> throw new IllegalArgumentException("address family " + number + " is neither AF_INET nor AF_INET6");
        };
    }
}
