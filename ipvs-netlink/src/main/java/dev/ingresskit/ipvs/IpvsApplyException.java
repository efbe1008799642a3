package dev.ingresskit.ipvs;

import dev.ingresskit.ipvs.netlink.NetlinkException;

/**
 * {@link IpvsClient#apply(IpvsState)} ran its plan and some changes failed: {@link #result()} says
 * which were applied and which were not. The errno fields are those of the first failure.
 */
public final class IpvsApplyException extends NetlinkException {
    private static final long serialVersionUID = 1L;

    private final transient ApplyResult result;

    IpvsApplyException(ApplyResult result) {
        super("IPVS apply (" + result.applied().size() + " of " + result.plan().size() + " applied, "
                + result.failed().size() + " failed; first: " + result.failed().getFirst().change() + ")",
                result.failed().getFirst().error());
        this.result = result;
    }

    /** The applied and the failed changes. */
    public ApplyResult result() {
        return result;
    }
}
