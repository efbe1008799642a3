package dev.ingresskit.ipvs;

/**
 * IPVS connection timeouts in seconds ({@code ipvsadm --set tcp tcpfin udp}). In
 * {@link IpvsClient#setConfig(Config)} a 0 leaves that timeout unchanged.
 */
public record Config(int tcpSeconds, int tcpFinSeconds, int udpSeconds) {
    public Config {
        if (tcpSeconds < 0 || tcpFinSeconds < 0 || udpSeconds < 0) {
            throw new IllegalArgumentException("timeouts must be >= 0 seconds: " + tcpSeconds + ", " + tcpFinSeconds
                    + ", " + udpSeconds);
        }
    }
}
