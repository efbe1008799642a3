package dev.ingresskit.access.servlet;

import dev.ingresskit.access.AccessIdentity;
import dev.ingresskit.access.AccessJwtException;
import dev.ingresskit.access.AccessJwtVerifier;
import dev.ingresskit.access.internal.RequestToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;

/**
 * A Servlet filter that lets a request through only with a valid Access token (the
 * {@code Cf-Access-Jwt-Assertion} header or the {@code CF_Authorization} cookie); others get 403 with
 * the failed check's name. The identity is the request attribute {@link #IDENTITY_ATTRIBUTE}; the
 * user's principal name is what {@link AccessIdentity#principal()} returns.
 */
public final class AccessServletFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;
    public static final String IDENTITY_ATTRIBUTE = AccessIdentity.class.getName();

    private final transient AccessJwtVerifier verifier;

    public AccessServletFilter(AccessJwtVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** The verified identity of a request that passed this filter. */
    public static Optional<AccessIdentity> identity(ServletRequest request) {
        return request.getAttribute(IDENTITY_ATTRIBUTE) instanceof AccessIdentity id ? Optional.of(id) : Optional.empty();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String token = RequestToken.find(request.getHeader(RequestToken.HEADER),
                Collections.list(request.getHeaders("Cookie")));
        try {
            request.setAttribute(IDENTITY_ATTRIBUTE, verifier.verify(token));
        } catch (AccessJwtException e) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Access token rejected (" + e.check() + ")");
            return;
        }
        chain.doFilter(request, response);
    }
}
