package dev.ingresskit.director.internal.bgp;

import dev.ingresskit.director.VipRoute;

/**
 * What one service with an {@code announce} line contributes to its VIP's decision.
 *
 * @param service    the service's name
 * @param route      the route to announce for its VIP, with the service's attributes
 * @param healthy    backends up now
 * @param total      backends known
 * @param minHealthy backends that must be up for the VIP to be announced
 */
public record VipDemand(String service, VipRoute route, int healthy, int total, int minHealthy) {

    public boolean satisfied() {
        return healthy >= minHealthy;
    }

    /** The condition in words, e.g. {@code 2/4 healthy >= 1}. */
    public String condition() {
        return healthy + "/" + total + " healthy " + (satisfied() ? ">=" : "<") + " " + minHealthy;
    }
}
