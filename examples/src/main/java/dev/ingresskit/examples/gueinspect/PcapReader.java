package dev.ingresskit.examples.gueinspect;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads classic libpcap files (the format {@code tcpdump -w} writes): a 24-byte global header whose
 * magic gives the byte order and the timestamp unit, then records of a 16-byte header
 * ({@code ts_sec, ts_frac, incl_len, orig_len}) and {@code incl_len} bytes. pcapng is recognised
 * and refused with a hint. One reusable buffer; not thread-safe.
 */
final class PcapReader {
    static final int MAGIC_MICROS = 0xa1b2c3d4;
    static final int MAGIC_NANOS = 0xa1b23c4d;
    private static final int PCAPNG_MAGIC = 0x0a0d0d0a;
    /** Largest record accepted, whatever the header's snaplen says (Linux's largest snaplen is 262144). */
    static final int MAX_RECORD = 1 << 20;

    private final InputStream in;
    private final boolean swapped;
    private final boolean nanos;
    private final int linkType;
    private final int snapLength;
    private final byte[] header = new byte[16];
    private byte[] data = new byte[65536];
    private long position;
    private int record;
    private int capturedLength;
    private int originalLength;
    private long seconds;
    private long fraction;

    PcapReader(InputStream in) throws IOException, PcapFormatException {
        this.in = in;
        byte[] global = new byte[24];
        int got = readFully(global, 24);
        if (got < 4) {
            throw new PcapFormatException("not a pcap file: " + got + " bytes, the global header needs 24");
        }
        int magic = bigEndian(global, 0);
        if (magic == PCAPNG_MAGIC) {
            throw new PcapFormatException("pcapng is not supported; write classic pcap (tcpdump -w does by default)"
                    + " or convert: tcpdump -r FILE.pcapng -w FILE.pcap");
        }
        if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
            swapped = false;
        } else if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            swapped = true;
        } else {
            throw new PcapFormatException(String.format("not a pcap file: magic 0x%08x", magic));
        }
        nanos = (swapped ? Integer.reverseBytes(magic) : magic) == MAGIC_NANOS;
        if (got < 24) {
            throw new PcapFormatException("truncated pcap global header: " + got + " of 24 bytes");
        }
        int major = u16(global, 4);
        if (major != 2) {
            throw new PcapFormatException("unsupported pcap version " + major + "." + u16(global, 6));
        }
        snapLength = u32(global, 16);
        linkType = u32(global, 20) & 0x0fff_ffff;   // upper bits: FCS length flags
        position = 24;
    }

    int linkType() {
        return linkType;
    }

    /** Reads the next record; false at a clean end of file. */
    boolean next() throws IOException, PcapFormatException {
        int got = readFully(header, 16);
        if (got == 0) {
            return false;
        }
        int number = record + 1;
        if (got < 16) {
            throw new PcapFormatException("record " + number + " at byte " + position + ": truncated record header ("
                    + got + " of 16 bytes)");
        }
        seconds = u32(header, 0) & 0xffffffffL;
        fraction = u32(header, 4) & 0xffffffffL;
        long included = u32(header, 8) & 0xffffffffL;
        long original = u32(header, 12) & 0xffffffffL;
        if (included > MAX_RECORD || (snapLength > 0 && included > Math.max(snapLength, 65535))) {
            throw new PcapFormatException("record " + number + " at byte " + position + ": captured length " + included
                    + " exceeds the snapshot length " + snapLength + " (corrupt record header)");
        }
        if (data.length < included) {
            data = new byte[(int) included];
        }
        got = readFully(data, (int) included);
        if (got < included) {
            throw new PcapFormatException("record " + number + " at byte " + position + ": truncated record data ("
                    + got + " of " + included + " bytes)");
        }
        position += 16 + included;
        record = number;
        capturedLength = (int) included;
        originalLength = (int) Math.min(original, Integer.MAX_VALUE);
        return true;
    }

    /** 1-based number of the current record. */
    int record() {
        return record;
    }

    byte[] data() {
        return data;
    }

    int capturedLength() {
        return capturedLength;
    }

    int originalLength() {
        return originalLength;
    }

    /** Timestamp of the current record in nanoseconds since the epoch. */
    long timestampNanos() {
        return seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
    }

    private int readFully(byte[] into, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = in.read(into, total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private int u32(byte[] b, int at) {
        int value = bigEndian(b, at);
        return swapped ? Integer.reverseBytes(value) : value;
    }

    private int u16(byte[] b, int at) {
        int value = (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
        return swapped ? Integer.reverseBytes(value) >>> 16 : value;
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
