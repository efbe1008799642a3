package dev.ingresskit.push.servlet;

/**
 * Whether {@link LinkHeaderFilter} sends {@code 103 Early Hints} before the page is produced, using the
 * links it learned from the previous response for the same URL. The Servlet API has no method for it;
 * Jetty 12 (ee10) and Tomcat 10.1+ send a 103 with the headers set so far when asked for
 * {@code sendError(103)}, while other containers would send an error page, hence the choice.
 */
public enum EarlyHints {
    /** Only on containers known to turn {@code sendError(103)} into a 103 (Jetty 12, Tomcat). Default. */
    AUTO,
    /** Always call {@code sendError(103)}: for containers you know support it. */
    ALWAYS,
    /** Never send a 103; only the final response gets its {@code Link} header. */
    NEVER
}
