/**
 * Generic Netlink client for the Linux kernel IPVS load balancer, over the FFM API. Three layers,
 * each usable alone: {@code netlink} (socket, messages, attributes) → {@code genetlink} (families)
 * → {@code ipvs} (the typed IPVS client). Needs {@code --enable-native-access=dev.ingresskit.ipvs}.
 */
module dev.ingresskit.ipvs {
    exports dev.ingresskit.ipvs;
    exports dev.ingresskit.ipvs.genetlink;
    exports dev.ingresskit.ipvs.netlink;
}
