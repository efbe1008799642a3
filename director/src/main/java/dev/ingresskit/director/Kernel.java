package dev.ingresskit.director;

import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.IpvsClient;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import dev.ingresskit.ipvs.netlink.NetlinkException;

/**
 * Where the director's plans go: the kernel's IPVS through ipvs-netlink ({@link #live}), or a model
 * of it in memory ({@link #model}), e.g. for a dry run that starts from the kernel's state.
 * Destinations are listed in the kernel's order, newest first. An embedding service may supply its
 * own (a kernel in another network namespace, a recorder).
 */
public interface Kernel extends AutoCloseable {
    IpvsState state() throws NetlinkException;

    /** Runs a plan; an {@link dev.ingresskit.ipvs.IpvsApplyException} carries a partial result. */
    ApplyResult execute(Plan plan) throws NetlinkException;

    /** True when nothing real is changed. */
    boolean dryRun();

    @Override
    void close();

    /**
     * A kernel in memory that starts from {@code initial} and applies plans as the kernel would
     * ({@link IpvsState#apply(Plan)}: created destinations first in their service's list). For dry
     * runs, tests and embedders without IPVS. Thread-safe.
     */
    static Kernel model(IpvsState initial) {
        return new dev.ingresskit.director.internal.ModelKernel(initial);
    }

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
