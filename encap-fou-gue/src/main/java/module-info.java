/**
 * Zero-copy FOU / GUE / GRE header codecs that validate every length. The netty adapter
 * ({@code dev.ingresskit.encap.netty}) needs {@code io.netty.buffer} at run time only if used.
 */
module dev.ingresskit.encap {
    requires static io.netty.buffer;

    exports dev.ingresskit.encap;
    exports dev.ingresskit.encap.netty;
}
