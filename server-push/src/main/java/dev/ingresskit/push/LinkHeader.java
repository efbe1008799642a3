package dev.ingresskit.push;

import java.util.List;

/**
 * The links chosen for one page and the {@code Link} header value they make.
 *
 * @param links in the order they are sent
 * @param value the header value (links joined by {@code ", "}); empty when there are none
 * @param omitted how many links were left out by the header-size limit, plus, once the link-count limit
 *     is reached, how many wanted candidates were not looked at (before origin policy and de-duplication)
 */
public record LinkHeader(List<PreloadLink> links, String value, int omitted) {
    public static final LinkHeader EMPTY = new LinkHeader(List.of(), "", 0);

    public LinkHeader {
        links = List.copyOf(links);
    }

    public boolean isEmpty() {
        return links.isEmpty();
    }
}
