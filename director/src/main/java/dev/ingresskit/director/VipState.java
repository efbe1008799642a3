package dev.ingresskit.director;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;

/**
 * What {@code /state} and {@code /metrics} show for one VIP.
 *
 * @param vip       the address
 * @param announced whether the speaker has been told to announce it
 * @param eligible  whether the condition holds now (if not yet announced, it waits for the hold-down)
 * @param since     when it last changed between announced and withdrawn
 * @param why       the condition in words, e.g. {@code 2/4 healthy >= 1} or {@code draining}
 * @param services  the services with an {@code announce} line on this VIP
 */
public record VipState(InetAddress vip, boolean announced, boolean eligible, Instant since, String why, List<String> services) {

    public VipState {
        services = List.copyOf(services);
    }
}
