package dev.ingresskit.examples.director;

import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.netlink.NetlinkException;

/**
 * Where the director's plans go: the kernel's IPVS through ipvs-netlink, or (dry run) a model of it
 * in memory that starts from the kernel's state when that could be read. Destinations are listed in
 * the kernel's order, newest first.
 */
public interface Kernel extends AutoCloseable {
    IpvsState state() throws NetlinkException;

    /** Runs a plan; an {@link dev.ingresskit.ipvs.IpvsApplyException} carries a partial result. */
    ApplyResult execute(Plan plan) throws NetlinkException;

    /** True when nothing real is changed. */
    boolean dryRun();

    @Override
    void close();

    /** The real thing. */
    static Kernel live(IpvsClient client) {
        return new Kernel() {
            @Override
            public IpvsState state() throws NetlinkException {
                return client.state();
            }

            @Override
            public ApplyResult execute(Plan plan) throws NetlinkException {
                return client.execute(plan);
            }

            @Override
            public boolean dryRun() {
                return false;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
