package dev.ingresskit.director.internal;

import dev.ingresskit.director.Kernel;
import dev.ingresskit.ipvs.ApplyResult;
import dev.ingresskit.ipvs.IpvsState;
import dev.ingresskit.ipvs.Plan;
import java.util.List;

/**
 * A kernel in memory (dry runs, tests, embedders): plans are applied with
 * {@link IpvsState#apply(Plan)}, which keeps the kernel's own destination order. Thread-safe.
 */
public final class ModelKernel implements Kernel {
    private IpvsState state;

    public ModelKernel(IpvsState initial) {
        this.state = initial;
    }

    @Override
    public synchronized IpvsState state() {
        return state;
    }

    @Override
    public synchronized ApplyResult execute(Plan plan) {
        state = state.apply(plan);
        return new ApplyResult(plan, plan.changes(), List.of());
    }

    @Override
    public boolean dryRun() {
        return true;
    }

    @Override
    public void close() {
    }
}
