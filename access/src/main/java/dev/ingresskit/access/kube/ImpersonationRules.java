package dev.ingresskit.access.kube;

import dev.ingresskit.access.AccessIdentity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a verified Access identity to the Kubernetes user and groups to impersonate. One rule per
 * line, the first that matches wins, no match means the request is refused:
 *
 * <pre>
 * # SELECTOR                 =&gt; ACTION
 * email:root@example.com     =&gt; deny
 * group:sre                  =&gt; user={email} group=system:masters group={groups}
 * email:*@example.com        =&gt; user={email} group=developers
 * service-token:ci.access    =&gt; user=system:serviceaccount:ci:deployer
 * any                        =&gt; deny
 * </pre>
 *
 * Selectors: {@code email:ADDRESS} (exact, case-insensitive) or {@code email:*@DOMAIN};
 * {@code group:NAME} (one of the token's {@code groups}); {@code service-token:CLIENT_ID};
 * {@code any}. Actions: {@code deny}, or {@code user=VALUE} followed by any number of
 * {@code group=VALUE}. Values are literal except the placeholders {@code {email}}, {@code {local}}
 * (the part before the @), {@code {client-id}} (a service token's client ID) and, as a whole group
 * value, {@code {groups}} (every group in the token). A placeholder the identity lacks makes the rule
 * not match. {@code #} starts a comment.
 */
public final class ImpersonationRules {
    /** A rule file that cannot be used, with the 1-based line. */
    public static final class RuleSyntaxException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        RuleSyntaxException(int line, String problem) {
            super("line " + line + ": " + problem);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** Who to act as. */
    public record Impersonation(String user, List<String> groups) {
        public Impersonation {
            groups = List.copyOf(groups);
        }
    }

    private record Rule(int line, String kind, String pattern, boolean deny, String user, List<String> groups) {
    }

    private final List<Rule> rules;

    private ImpersonationRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static ImpersonationRules parse(String text) throws RuleSyntaxException {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            int arrow = line.indexOf("=>");
            if (arrow < 0) {
                throw new RuleSyntaxException(number, "expected SELECTOR => ACTION");
            }
            String selector = line.substring(0, arrow).strip();
            String kind;
            String pattern;
            if (selector.equals("any")) {
                kind = "any";
                pattern = "";
            } else {
                int colon = selector.indexOf(':');
                kind = colon < 0 ? selector : selector.substring(0, colon);
                pattern = colon < 0 ? "" : selector.substring(colon + 1).strip();
                if (!Set.of("email", "group", "service-token").contains(kind)) {
                    throw new RuleSyntaxException(number, "unknown selector \"" + selector + "\" (email:, group:, service-token: or any)");
                }
                if (pattern.isEmpty() || pattern.contains(" ")) {
                    throw new RuleSyntaxException(number, "selector \"" + selector + "\" needs one value");
                }
                if (kind.equals("email") && pattern.contains("*") && !(pattern.startsWith("*@") && pattern.indexOf('*', 1) < 0)) {
                    throw new RuleSyntaxException(number, "an email wildcard must be *@DOMAIN, got \"" + pattern + "\"");
                }
            }
            String[] words = line.substring(arrow + 2).strip().split("\\s+");
            if (words.length == 1 && words[0].equals("deny")) {
                rules.add(new Rule(number, kind, pattern, true, null, List.of()));
                continue;
            }
            if (!words[0].startsWith("user=") || words[0].length() == 5) {
                throw new RuleSyntaxException(number, "action must be deny or user=NAME [group=NAME ...]");
            }
            List<String> groups = new ArrayList<>();
            for (int w = 1; w < words.length; w++) {
                if (!words[w].startsWith("group=") || words[w].length() == 6) {
                    throw new RuleSyntaxException(number, "expected group=NAME, got \"" + words[w] + "\"");
                }
                groups.add(words[w].substring(6));
            }
            rules.add(new Rule(number, kind, pattern, false, words[0].substring(5), groups));
        }
        return new ImpersonationRules(rules);
    }

    /** The impersonation for {@code identity}, or empty when the first matching rule denies or none matches. */
    public Optional<Impersonation> map(AccessIdentity identity) {
        for (Rule rule : rules) {
            if (!matches(rule, identity)) {
                continue;
            }
            if (rule.deny()) {
                return Optional.empty();
            }
            String user = expand(rule.user(), identity);
            if (user == null || user.isEmpty()) {
                continue;
            }
            Set<String> groups = new LinkedHashSet<>();
            boolean complete = true;
            for (String g : rule.groups()) {
                if (g.equals("{groups}")) {
                    groups.addAll(identity.groups());
                } else {
                    String value = expand(g, identity);
                    if (value == null) {
                        complete = false;
                        break;
                    }
                    groups.add(value);
                }
            }
            if (complete) {
                return Optional.of(new Impersonation(user, List.copyOf(groups)));
            }
        }
        return Optional.empty();
    }

    private static boolean matches(Rule rule, AccessIdentity id) {
        return switch (rule.kind()) {
            case "any" -> true;
            case "email" -> id.email().map(e -> e.toLowerCase(Locale.ROOT)).map(e -> rule.pattern().startsWith("*@")
                    ? e.endsWith(rule.pattern().substring(1).toLowerCase(Locale.ROOT))
                    : e.equals(rule.pattern().toLowerCase(Locale.ROOT))).orElse(false);
            case "group" -> id.groups().contains(rule.pattern());
            case "service-token" -> id.serviceTokenClientId().map(rule.pattern()::equals).orElse(false);
            default -> false;
        };
    }

    /** The value with placeholders filled, or null when the identity lacks one of them. */
    private static String expand(String value, AccessIdentity id) {
        String out = value;
        if (out.contains("{email}")) {
            if (id.email().isEmpty()) {
                return null;
            }
            out = out.replace("{email}", id.email().get());
        }
        if (out.contains("{local}")) {
            if (id.email().isEmpty()) {
                return null;
            }
            String email = id.email().get();
            out = out.replace("{local}", email.substring(0, Math.max(0, email.indexOf('@'))));
        }
        if (out.contains("{client-id}")) {
            if (id.serviceTokenClientId().isEmpty()) {
                return null;
            }
            out = out.replace("{client-id}", id.serviceTokenClientId().get());
        }
        return out.indexOf('\r') >= 0 || out.indexOf('\n') >= 0 ? null : out;
    }

    @Override
    public String toString() {
        return "ImpersonationRules[" + rules.size() + " rules]";
    }
}
