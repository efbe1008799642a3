/**
 * Maglev consistent-hashing lookup tables ({@link dev.ingresskit.maglev.MaglevTable}), and the Linux
 * kernel's {@code ip_vs_mh} scheduler reproduced exactly ({@link dev.ingresskit.maglev.IpvsMhTable}).
 */
module dev.ingresskit.maglev {
    exports dev.ingresskit.maglev;
}
