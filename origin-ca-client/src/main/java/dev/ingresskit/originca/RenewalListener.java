package dev.ingresskit.originca;

/**
 * Callbacks from a {@link RenewalManager}. Called on the thread that ran the check (the background
 * loop's thread when {@link RenewalManager#start} runs it); keep them short and do not throw.
 */
public interface RenewalListener {
    /** A new key and certificate are on disk and served by the key manager. */
    default void onRenewed(RenewalResult result) {
    }

    /** A check found nothing to do. */
    default void onUnchanged(RenewalResult result) {
    }

    /** A check failed; the previous pair (if any) stays in place and in service. */
    default void onFailure(Exception failure) {
    }
}
