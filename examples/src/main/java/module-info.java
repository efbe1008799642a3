/** Reference binaries built on the ingresskit modules; run as one jar with subcommands. */
module dev.ingresskit.examples {
    requires dev.ingresskit.maglev;
    requires dev.ingresskit.encap;
    requires dev.ingresskit.ipvs;
    requires dev.ingresskit.originca;
    requires dev.ingresskit.push;
    requires dev.ingresskit.director;
    requires dev.ingresskit.director.kubernetes;
    requires dev.ingresskit.access;
    requires jdk.httpserver;
}
