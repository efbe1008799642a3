package dev.ingresskit.director.kubernetes.internal;

import java.net.InetAddress;

/**
 * One backend as the merged EndpointSlices describe it.
 *
 * @param draining listed but not ready (serving/terminating or not serving): keep the destination
 *                 with weight 0 so established flows finish, schedule no new ones
 */
public record MergedEndpoint(InetAddress address, int port, int weight, boolean draining) {
}
