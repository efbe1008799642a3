package dev.ingresskit.encap;

import java.net.Inet4Address;
import java.nio.ByteBuffer;

/**
 * Writes a 20-byte IPv4 header (no options) in place. Reusable, allocation-free, not thread-safe.
 * {@code wrap} clears the header and writes version 4 / IHL 5; call {@link #headerChecksum()} last.
 */
public final class Ipv4HeaderWriter extends HeaderWriter {
    public Ipv4HeaderWriter wrap(byte[] array, int offset, int capacity) {
        bindArray(array, offset, capacity, Ipv4Header.MIN_LENGTH);
        put8(0, 0x45);
        return this;
    }

    /** Wraps absolute index {@code offset} of {@code buffer} (position ignored). */
    public Ipv4HeaderWriter wrap(ByteBuffer buffer, int offset, int capacity) {
        bindBuffer(buffer, offset, capacity, Ipv4Header.MIN_LENGTH);
        put8(0, 0x45);
        return this;
    }

    /** The TOS byte: {@code DSCP << 2 | ECN}. */
    public Ipv4HeaderWriter tos(int tos) {
        put8(1, range("tos", tos, 0, 255));
        return this;
    }

    /** Total length in bytes, 20..65535. */
    public Ipv4HeaderWriter totalLength(int totalLength) {
        put16(2, range("totalLength", totalLength, Ipv4Header.MIN_LENGTH, 0xffff));
        return this;
    }

    public Ipv4HeaderWriter identification(int identification) {
        put16(4, range("identification", identification, 0, 0xffff));
        return this;
    }

    public Ipv4HeaderWriter dontFragment(boolean dontFragment) {
        put16(6, dontFragment ? get16(6) | 0x4000 : get16(6) & ~0x4000);
        return this;
    }

    public Ipv4HeaderWriter ttl(int ttl) {
        put8(8, range("ttl", ttl, 0, 255));
        return this;
    }

    public Ipv4HeaderWriter protocol(int protocol) {
        put8(9, range("protocol", protocol, 0, 255));
        return this;
    }

    /** Source address as a big-endian int. */
    public Ipv4HeaderWriter source(int address) {
        put32(12, address);
        return this;
    }

    public Ipv4HeaderWriter source(Inet4Address address) {
        return source(toInt(bytes(address, 4)));
    }

    public Ipv4HeaderWriter destination(int address) {
        put32(16, address);
        return this;
    }

    public Ipv4HeaderWriter destination(Inet4Address address) {
        return destination(toInt(bytes(address, 4)));
    }

    /** Computes and writes the header checksum over the 20 bytes (call after every other field). */
    public Ipv4HeaderWriter headerChecksum() {
        put16(10, 0);
        put16(10, Checksums.ipv4HeaderChecksum(array, buffer, offset, Ipv4Header.MIN_LENGTH));
        return this;
    }

    public int headerLength() {
        return Ipv4Header.MIN_LENGTH;
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
