package dev.ingresskit.encap.internal;

import dev.ingresskit.encap.Encapsulator;
import dev.ingresskit.encap.PacketParser;
import dev.ingresskit.encap.ParseStatus;
import dev.ingresskit.encap.ParsedPacket;
import java.nio.ByteBuffer;

/**
 * The entry points adapters in other packages of this module (netty) need but users must not see:
 * parsing with a reported-index base, encoding without the public range checks. Not exported by
 * module-info. Registered once by {@code dev.ingresskit.encap} when {@link PacketParser} loads.
 */
public interface EncapAccess {
    /** As {@code PacketParser.parse}, reporting every index minus {@code base}; the range is checked by the caller. */
    ParseStatus parse(PacketParser parser, byte[] array, ByteBuffer buffer, int offset, int length, int base,
            ParsedPacket out);

    /**
     * As {@code Encapsulator.encapsulate}, on exactly one of array/buffer, writing nothing below
     * index {@code floor}; the range is checked by the caller.
     */
    int encapsulate(Encapsulator encapsulator, byte[] array, ByteBuffer buffer, int innerOffset, int innerLength,
            int floor);

    static EncapAccess get() {
        EncapAccess access = Holder.access;
        if (access == null) {
            try {
                Class.forName(PacketParser.class.getName(), true, PacketParser.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            access = Holder.access;
        }
        return access;
    }

    static void register(EncapAccess access) {
        if (Holder.access != null) {
            throw new IllegalStateException("already registered");
        }
        Holder.access = access;
    }

    /** Holds the registered instance. */
    final class Holder {
        static volatile EncapAccess access;

        private Holder() {
        }
    }
}
