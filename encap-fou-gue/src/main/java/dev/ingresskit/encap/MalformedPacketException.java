package dev.ingresskit.encap;

/**
 * A packet failed validation: names the {@link Layer}, the field, the byte offset of the field
 * (as an index into the buffer the packet was parsed from) and the offending value, and says
 * whether the packet was {@link ParseStatus#TRUNCATED}, {@link ParseStatus#MALFORMED} or
 * {@link ParseStatus#UNSUPPORTED}. For truncation, {@link #value()} is the number of bytes the
 * header needed and {@link #available()} the number that were there.
 *
 * <p>Unchecked, like the other data errors of a buffer API; the allocation-free alternative is the
 * {@link ParseStatus} returned by {@link PacketParser#parse}.
 */
public final class MalformedPacketException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ParseStatus kind;
    private final Layer layer;
    private final String field;
    private final int offset;
    private final long value;
    private final long available;
    private final String reason;

    /**
     * @param kind      {@code TRUNCATED}, {@code MALFORMED} or {@code UNSUPPORTED}
     * @param available bytes available, for {@code TRUNCATED}; -1 otherwise
     */
    public MalformedPacketException(ParseStatus kind, Layer layer, String field, int offset, long value,
            long available, String reason) {
        super(message(kind, layer, field, offset, value, available, reason));
        if (kind == ParseStatus.OK) {
            throw new IllegalArgumentException("a MalformedPacketException cannot have kind OK");
        }
        this.kind = kind;
        this.layer = layer;
        this.field = field;
        this.offset = offset;
        this.value = value;
        this.available = available;
        this.reason = reason;
    }

    private static String message(ParseStatus kind, Layer layer, String field, int offset, long value,
            long available, String reason) {
        String text = kind.name().toLowerCase(java.util.Locale.ROOT) + " " + layer.name().toLowerCase(java.util.Locale.ROOT)
                + " " + field + " offset=" + offset;
        if (kind == ParseStatus.TRUNCATED) {
            text += " needed=" + value + " available=" + available;
        } else {
            text += " value=" + value + " (0x" + Long.toHexString(value) + ")";
        }
        return text + ": " + reason;
    }

    public ParseStatus kind() {
        return kind;
    }

    public boolean isTruncated() {
        return kind == ParseStatus.TRUNCATED;
    }

    public Layer layer() {
        return layer;
    }

    /** The field's name as the RFC or the kernel calls it, e.g. {@code hlen}, {@code totalLength}. */
    public String field() {
        return field;
    }

    /** Index of the field in the buffer (for truncation, where the short header starts). */
    public int offset() {
        return offset;
    }

    /** The offending value; for truncation, the number of bytes needed. */
    public long value() {
        return value;
    }

    /** For truncation, the number of bytes there were; otherwise -1. */
    public long available() {
        return available;
    }

    /** One phrase saying what rule was broken. */
    public String reason() {
        return reason;
    }
}
