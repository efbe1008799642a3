package dev.ingresskit.access.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ingresskit.access.AccessIdentity;
import dev.ingresskit.access.kube.ImpersonationRules.Impersonation;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImpersonationRulesTest {
    static final String DOCUMENTED = """
            # SELECTOR                 => ACTION
            email:root@example.com     => deny
            group:sre                  => user={email} group=system:masters group={groups}
            email:*@example.com        => user={email} group=developers
            service-token:ci.access    => user=system:serviceaccount:ci:deployer
            any                        => deny
            """;

    static AccessIdentity user(String email, String... groups) {
        return new AccessIdentity("sub", Optional.of(email), Optional.empty(), List.of(groups), "app", List.of("aud"), Instant.EPOCH, Instant.EPOCH);
    }

    static AccessIdentity service(String clientId) {
        return new AccessIdentity("", Optional.empty(), Optional.of(clientId), List.of(), "app", List.of("aud"), Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void theDocumentedExample() throws Exception {
        ImpersonationRules rules = ImpersonationRules.parse(DOCUMENTED);
        assertEquals(Optional.empty(), rules.map(user("root@example.com", "sre")), "first match wins: deny before the sre rule");
        assertEquals(Optional.of(new Impersonation("ann@example.com", List.of("system:masters", "sre", "oncall"))),
                rules.map(user("ann@example.com", "sre", "oncall")));
        assertEquals(Optional.of(new Impersonation("bob@EXAMPLE.com", List.of("developers"))), rules.map(user("bob@EXAMPLE.com")));
        assertEquals(Optional.empty(), rules.map(user("eve@example.org")));
        assertEquals(Optional.empty(), rules.map(user("eve@notexample.com")), "*@example.com does not match notexample.com");
        assertEquals(Optional.of(new Impersonation("system:serviceaccount:ci:deployer", List.of())), rules.map(service("ci.access")));
        assertEquals(Optional.empty(), rules.map(service("other.access")));
    }

    @Test
    void aPlaceholderTheIdentityLacksSkipsTheRule() throws Exception {
        ImpersonationRules rules = ImpersonationRules.parse("any => user={email}\nany => user=svc-{client-id} group=robots\n");
        assertEquals(Optional.of(new Impersonation("svc-ci.access", List.of("robots"))), rules.map(service("ci.access")));
        assertEquals("ann", ImpersonationRules.parse("any => user={local}").map(user("ann@example.com")).orElseThrow().user());
        assertEquals(Optional.empty(), ImpersonationRules.parse("").map(user("ann@example.com")), "no rules: everyone refused");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "any deny|line 2: expected SELECTOR => ACTION",
            "mail:a@b => deny|line 2: unknown selector \"mail:a@b\" (email:, group:, service-token: or any)",
            "email: => deny|line 2: selector \"email:\" needs one value",
            "email:a*@b => deny|line 2: an email wildcard must be *@DOMAIN, got \"a*@b\"",
            "any => allow|line 2: action must be deny or user=NAME [group=NAME ...]",
            "any => user=a grp=b|line 2: expected group=NAME, got \"grp=b\"",
            "any => user=|line 2: action must be deny or user=NAME [group=NAME ...]",
    })
    void syntaxErrorsNameTheLine(String line, String message) {
        var e = assertThrows(ImpersonationRules.RuleSyntaxException.class, () -> ImpersonationRules.parse("# ok\n" + line + "\n"));
        assertEquals(message, e.getMessage());
        assertEquals(2, e.line());
    }
}
