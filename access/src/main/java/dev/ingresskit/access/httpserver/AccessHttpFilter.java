package dev.ingresskit.access.httpserver;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import dev.ingresskit.access.AccessIdentity;
import dev.ingresskit.access.AccessJwtException;
import dev.ingresskit.access.AccessJwtVerifier;
import dev.ingresskit.access.internal.RequestToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A JDK {@code HttpServer} filter that lets a request through only with a valid Access token (the
 * {@code Cf-Access-Jwt-Assertion} header or the {@code CF_Authorization} cookie). Others get 403 with
 * the failed check's name (never the token); handlers read the identity with {@link #identity}.
 */
public final class AccessHttpFilter extends Filter {
    /** The exchange attribute holding the {@link AccessIdentity}. */
    public static final String IDENTITY_ATTRIBUTE = AccessIdentity.class.getName();

    private final AccessJwtVerifier verifier;

    public AccessHttpFilter(AccessJwtVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** The verified identity of a request that passed this filter. */
    public static Optional<AccessIdentity> identity(HttpExchange exchange) {
        return exchange.getAttribute(IDENTITY_ATTRIBUTE) instanceof AccessIdentity id ? Optional.of(id) : Optional.empty();
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        String token = RequestToken.find(exchange.getRequestHeaders().getFirst(RequestToken.HEADER),
                exchange.getRequestHeaders().get("Cookie"));
        AccessIdentity identity;
        try {
            identity = verifier.verify(token);
        } catch (AccessJwtException e) {
            byte[] body = ("403 Forbidden: Access token rejected (" + e.check() + ")\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(403, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            return;
        }
        exchange.setAttribute(IDENTITY_ATTRIBUTE, identity);
        chain.doFilter(exchange);
    }

    @Override
    public String description() {
        return "Cloudflare Access JWT verification (issuer " + verifier.issuer() + ")";
    }
}
