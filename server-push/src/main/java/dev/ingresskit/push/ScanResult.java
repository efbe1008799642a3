package dev.ingresskit.push;

import java.util.List;

/**
 * What a scan found: the first {@code <base href>} (null when there is none) and the sub-resources in
 * document order.
 */
public record ScanResult(String baseHref, List<Subresource> resources) {
    public ScanResult {
        resources = List.copyOf(resources);
    }
}
