package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.netlink.NetlinkException;
import java.util.List;

/**
 * What {@link IpvsClient#apply(IpvsState)} did: the plan, the changes the kernel acknowledged, and
 * the ones it refused (each with the kernel's error). Every change of the plan is in exactly one of
 * the two lists. A failure whose error says "outcome unknown" lost its acknowledgement (timeout or
 * overflow): read the state back to know.
 */
public record ApplyResult(Plan plan, List<Change> applied, List<Failure> failed) {
    /** One change the kernel refused. */
    public record Failure(Change change, NetlinkException error) {
        @Override
        public String toString() {
            return change + "  FAILED: " + error.getMessage();
        }
    }

    public ApplyResult {
        applied = List.copyOf(applied);
        failed = List.copyOf(failed);
    }

    public boolean complete() {
        return failed.isEmpty();
    }

    @Override
    public String toString() {
        return "applied " + applied.size() + " of " + plan.size() + " change(s)"
                + (failed.isEmpty() ? "" : ", " + failed.size() + " failed: " + failed);
    }
}
