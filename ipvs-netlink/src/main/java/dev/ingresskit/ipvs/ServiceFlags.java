package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.internal.IpVsH;
import java.util.ArrayList;
import java.util.List;

/**
 * A virtual service's flags ({@code IP_VS_SVC_F_*}). The scheduler flags mean what the scheduler
 * makes of them: for {@code mh} and {@code sh}, {@link #SCHED1} is "fallback" and {@link #SCHED2}
 * is "port". {@link #HASHED} is the kernel's own bookkeeping: the client never sends it and
 * ignores it when comparing. {@link #toString()} names known bits and prints unknown ones in hex.
 */
public record ServiceFlags(int bits) {
    public static final int PERSISTENT = IpVsH.IP_VS_SVC_F_PERSISTENT;
    public static final int HASHED = IpVsH.IP_VS_SVC_F_HASHED;
    public static final int ONE_PACKET = IpVsH.IP_VS_SVC_F_ONEPACKET;
    public static final int SCHED1 = IpVsH.IP_VS_SVC_F_SCHED1;
    public static final int SCHED2 = IpVsH.IP_VS_SVC_F_SCHED2;
    public static final int SCHED3 = IpVsH.IP_VS_SVC_F_SCHED3;
    /** {@code mh}: rehash to another destination when the chosen one is unavailable. */
    public static final int MH_FALLBACK = SCHED1;
    /** {@code mh}: hash the source port too. */
    public static final int MH_PORT = SCHED2;
    /** {@code sh}: rehash to another destination when the chosen one is unavailable. */
    public static final int SH_FALLBACK = SCHED1;
    /** {@code sh}: hash the source port too. */
    public static final int SH_PORT = SCHED2;

    public static final ServiceFlags NONE = new ServiceFlags(0);

    public boolean has(int flag) {
        return (bits & flag) == flag;
    }

    public ServiceFlags with(int flag) {
        return new ServiceFlags(bits | flag);
    }

    public ServiceFlags without(int flag) {
        return new ServiceFlags(bits & ~flag);
    }

    /** The flags that describe configuration: all but {@link #HASHED}. */
    public ServiceFlags configured() {
        return without(HASHED);
    }

    /** Names ipvsadm's {@code --sched-flags} uses for the scheduler flags of {@code scheduler}. */
    public List<String> schedulerFlagNames(String scheduler) {
        List<String> names = new ArrayList<>();
        boolean hashing = "mh".equals(scheduler) || "sh".equals(scheduler);
        if (has(SCHED1)) {
            names.add(hashing ? scheduler + "-fallback" : "flag-1");
        }
        if (has(SCHED2)) {
            names.add(hashing ? scheduler + "-port" : "flag-2");
        }
        if (has(SCHED3)) {
            names.add("flag-3");
        }
        return names;
    }

    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        int rest = bits;
        String[] known = {"persistent", "hashed", "one-packet", "sched1", "sched2", "sched3"};
        for (int i = 0; i < known.length; i++) {
            if ((rest & (1 << i)) != 0) {
                names.add(known[i]);
                rest &= ~(1 << i);
            }
        }
        if (rest != 0) {
            names.add("0x" + Integer.toHexString(rest));
        }
        return names.isEmpty() ? "none" : String.join("|", names);
    }
}
