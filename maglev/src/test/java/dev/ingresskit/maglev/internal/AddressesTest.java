package dev.ingresskit.maglev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 5952 §4 examples and rules. */
class AddressesTest {
    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",      // §4.2.3: the first of equal runs
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",   // §4.2.2: one zero group is not shortened
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",            // §4.2.3: the longest run
        "0:0:0:0:0:0:0:1, ::1",
        "0:0:0:0:0:0:0:0, ::",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "2001:DB8:AC10:FE01:0:0:0:0, 2001:db8:ac10:fe01::",
        "192.0.2.1, 192.0.2.1",
    })
    void canonicalText(String input, String expected) throws Exception {
        assertEquals(expected, Addresses.format(InetAddress.getByName(input)));
    }
}
