/** Generic Netlink client for the Linux kernel IPVS load balancer, over the FFM API. */
module dev.ingresskit.ipvs {
}
