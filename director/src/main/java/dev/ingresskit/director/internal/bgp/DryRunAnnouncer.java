package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.RouteAnnouncer;
import dev.ingresskit.director.VipRoute;
import java.util.List;

/**
 * Stands in for the speaker in a dry run: a dry run changes nothing, routes included. It only
 * remembers what it was asked to announce, for {@code /state} and {@code --once}.
 */
public final class DryRunAnnouncer implements RouteAnnouncer {
    private final String wouldBe;
    private volatile List<VipRoute> announced = List.of();

    /** @param wouldBe the speaker the config names (shown as {@code dry-run (exabgp)}), or {@code null} */
    public DryRunAnnouncer(String wouldBe) {
        this.wouldBe = wouldBe;
    }

    @Override
    public String name() {
        return wouldBe == null ? "dry-run" : "dry-run (" + wouldBe + ")";
    }

    @Override
    public void update(List<VipRoute> announce, List<VipRoute> withdraw) {
        announced = List.copyOf(announce);
    }

    public List<VipRoute> announced() {
        return announced;
    }

    @Override
    public void close() {
    }
}
