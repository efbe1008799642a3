/** Maglev consistent-hashing lookup tables, including a Linux ip_vs_mh-compatible mode. */
module dev.ingresskit.maglev {
}
