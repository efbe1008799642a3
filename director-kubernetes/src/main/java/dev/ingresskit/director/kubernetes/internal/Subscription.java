package dev.ingresskit.director.kubernetes.internal;

/**
 * One director service's interest: its parsed query and its transport ({@code TCP}/{@code UDP}/
 * {@code SCTP}, or null for any), which picks the slice port of the same protocol.
 */
public record Subscription(KubernetesQuery query, String protocol) {
}
