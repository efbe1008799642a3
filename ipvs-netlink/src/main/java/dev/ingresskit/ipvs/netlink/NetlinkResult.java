package dev.ingresskit.ipvs.netlink;

import java.util.List;

/**
 * The outcome of one request of a {@link NetlinkConnection#batch}: its replies and either success
 * ({@code error == null}) or the failure.
 *
 * @param request  the request
 * @param sequence the sequence number it was sent with
 * @param replies  messages the kernel sent for it before its ACK
 * @param error    {@code null} when the kernel acknowledged it, else why not
 */
public record NetlinkResult(NetlinkRequest request, int sequence, List<NetlinkMessage> replies,
        NetlinkException error) {
    public NetlinkResult {
        replies = List.copyOf(replies);
    }

    public boolean ok() {
        return error == null;
    }
}
