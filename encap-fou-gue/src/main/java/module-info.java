/** Zero-copy FOU / GUE / GRE header codecs that validate every length. */
module dev.ingresskit.encap {
    exports dev.ingresskit.encap;
}
