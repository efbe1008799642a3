package dev.ingresskit.encap;

import java.net.Inet6Address;
import java.nio.ByteBuffer;

/** Writes the fixed 40-byte IPv6 header in place. Reusable, allocation-free, not thread-safe. */
public final class Ipv6HeaderWriter extends HeaderWriter {
    public Ipv6HeaderWriter wrap(byte[] array, int offset, int capacity) {
        bindArray(array, offset, capacity, Ipv6Header.LENGTH);
        put8(0, 0x60);
        return this;
    }

    /** Wraps absolute index {@code offset} of {@code buffer} (position ignored). */
    public Ipv6HeaderWriter wrap(ByteBuffer buffer, int offset, int capacity) {
        bindBuffer(buffer, offset, capacity, Ipv6Header.LENGTH);
        put8(0, 0x60);
        return this;
    }

    public Ipv6HeaderWriter trafficClass(int trafficClass) {
        range("trafficClass", trafficClass, 0, 255);
        int word = Wire.s32(array, buffer, offset);
        put32(0, (word & 0xf00fffff) | trafficClass << 20);
        return this;
    }

    /** The 20-bit flow label. */
    public Ipv6HeaderWriter flowLabel(int flowLabel) {
        range("flowLabel", flowLabel, 0, 0xfffff);
        int word = Wire.s32(array, buffer, offset);
        put32(0, (word & 0xfff00000) | flowLabel);
        return this;
    }

    /** Payload length in bytes (everything after the 40-byte header). */
    public Ipv6HeaderWriter payloadLength(int payloadLength) {
        put16(4, range("payloadLength", payloadLength, 0, 0xffff));
        return this;
    }

    public Ipv6HeaderWriter nextHeader(int nextHeader) {
        put8(6, range("nextHeader", nextHeader, 0, 255));
        return this;
    }

    public Ipv6HeaderWriter hopLimit(int hopLimit) {
        put8(7, range("hopLimit", hopLimit, 0, 255));
        return this;
    }

    public Ipv6HeaderWriter source(Inet6Address address) {
        byte[] bytes = bytes(address, 16);
        for (int i = 0; i < 16; i++) {
            put8(8 + i, bytes[i]);
        }
        return this;
    }

    public Ipv6HeaderWriter destination(Inet6Address address) {
        byte[] bytes = bytes(address, 16);
        for (int i = 0; i < 16; i++) {
            put8(24 + i, bytes[i]);
        }
        return this;
    }

    public int headerLength() {
        return Ipv6Header.LENGTH;
    }
}
