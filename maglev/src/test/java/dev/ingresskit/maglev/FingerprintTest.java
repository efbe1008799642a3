package dev.ingresskit.maglev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link IpvsMhTable#fingerprint()}: what the table does, not how it was built. */
class FingerprintTest {
    private static IpvsMhTable table(String... endpointsAndWeights) {
        IpvsMhTable.Builder b = IpvsMhTable.builder().tableSize(251).mhFallback(true);
        for (int i = 0; i < endpointsAndWeights.length; i += 2) {
            b.add(endpointsAndWeights[i], Integer.parseInt(endpointsAndWeights[i + 1]));
        }
        return b.build();
    }

    @Test
    void equalForTheSameSlotsWhateverTheBuildOrder() {
        // Destinations added at weight 0 hold no slot: their place in the list changes nothing.
        IpvsMhTable a = table("10.0.0.1:80", "3", "10.0.0.2:80", "0", "10.0.0.3:80", "0");
        IpvsMhTable b = table("10.0.0.3:80", "0", "10.0.0.1:80", "3", "10.0.0.2:80", "0");
        for (int slot = 0; slot < 251; slot++) {
            assertEquals(a.destinationAt(slot).orElseThrow().key(), b.destinationAt(slot).orElseThrow().key());
        }
        assertEquals(a.fingerprint(), b.fingerprint());
        assertTrue(a.fingerprint().matches("[0-9a-f]{16}"), a.fingerprint());
    }

    @Test
    void differentWhenAnySlotOrFlagDiffers() {
        IpvsMhTable forward = table("10.0.0.1:80", "1", "10.0.0.2:80", "1", "10.0.0.3:80", "1");
        IpvsMhTable reversed = table("10.0.0.3:80", "1", "10.0.0.2:80", "1", "10.0.0.1:80", "1");
        int differing = 0;
        for (int slot = 0; slot < 251; slot++) {
            if (!forward.destinationAt(slot).equals(reversed.destinationAt(slot))) {
                differing++;
            }
        }
        assertTrue(differing > 0, "add order moves slots (the kernel's behaviour)");
        assertNotEquals(forward.fingerprint(), reversed.fingerprint());
        IpvsMhTable noFallback = IpvsMhTable.builder().tableSize(251).add("10.0.0.1:80", 1).add("10.0.0.2:80", 1)
                .add("10.0.0.3:80", 1).build();
        assertNotEquals(forward.fingerprint(), noFallback.fingerprint(), "mh-fallback changes lookups");
        IpvsMhTable drained = IpvsMhTable.builder().tableSize(251).mhFallback(true).add("10.0.0.1:80", 1)
                .add("10.0.0.2:80", 1).add("10.0.0.3:80", 1).edit(address("10.0.0.2"), 80, 0)
                .build();
        assertNotEquals(forward.fingerprint(), drained.fingerprint(), "same slots, one destination takes no flows");
    }

    private static java.net.InetAddress address(String literal) {
        try {
            return java.net.InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void frozen() {
        // Changing the digest would make directors of two versions look as if they disagreed.
        assertEquals("5101a0442f89ff27", table("10.0.0.1:80", "1", "10.0.0.2:80", "2").fingerprint());
    }
}
