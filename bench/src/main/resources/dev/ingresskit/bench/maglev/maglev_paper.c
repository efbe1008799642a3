/*
 * The comparison for MaglevBuildBenchmark: the population loop of Eisenbud et al., "Maglev: A Fast and
 * Reliable Software Network Load Balancer" (NSDI 2016), Pseudocode 1, written as plain C, with the
 * permutation generated on the fly (offset + j*skip mod M, advanced by one conditional subtraction
 * instead of a division per probe) and an int entry[] initialised to -1, as the paper has it.
 *
 * It does the same work as MaglevTable with equal weights: offset = h1(key) mod M and
 * skip = h2(key) mod (M-1) + 1, h1/h2 being SipHash-2-4 keyed with "ingresskit.h1.v1" /
 * "ingresskit.h2.v1" (BackendHash.DEFAULT), over keys handed in already sorted. The benchmark checks
 * that both produce the same table before it measures either.
 *
 * Compiled by the benchmark at set-up: cc -O2 -shared -fPIC (see MaglevBuildBenchmark).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                                  \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                                     \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                                     \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                                  \
    } while (0)

static uint64_t le64(const uint8_t *p) {
    uint64_t m;
    memcpy(&m, p, 8); /* x86-64: little-endian */
    return m;
}

static uint64_t siphash24(uint64_t k0, uint64_t k1, const uint8_t *data, size_t len) {
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    size_t end = len - (len & 7);
    for (size_t i = 0; i < end; i += 8) {
        uint64_t m = le64(data + i);
        v3 ^= m;
        SIPROUND; SIPROUND;
        v0 ^= m;
    }
    uint64_t b = (uint64_t) len << 56;
    for (size_t i = 0; i < (len & 7); i++) {
        b |= (uint64_t) data[end + i] << (8 * i);
    }
    v3 ^= b;
    SIPROUND; SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND; SIPROUND; SIPROUND; SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * Builds the table of n backends whose keys are keys[key_off[i] .. key_off[i+1]) into entry[0..m),
 * or into a table of its own (allocated and freed here, like the Java build allocates its own) when
 * entry is NULL. Returns a checksum of the table so the caller's loop cannot be optimised away.
 */
int64_t maglev_paper_build(const uint8_t *keys, const int32_t *key_off, int32_t n, int32_t m, int32_t *entry) {
    /* "ingresskit.h1.v1" and "ingresskit.h2.v1" as two little-endian words each */
    const uint8_t *k1 = (const uint8_t *) "ingresskit.h1.v1";
    const uint8_t *k2 = (const uint8_t *) "ingresskit.h2.v1";
    int32_t *own = entry == NULL ? malloc(sizeof(int32_t) * (size_t) m) : entry;
    uint32_t *next = malloc(sizeof(uint32_t) * (size_t) n);
    uint32_t *skip = malloc(sizeof(uint32_t) * (size_t) n);
    for (int32_t i = 0; i < n; i++) {
        const uint8_t *key = keys + key_off[i];
        size_t len = (size_t) (key_off[i + 1] - key_off[i]);
        next[i] = (uint32_t) (siphash24(le64(k1), le64(k1 + 8), key, len) % (uint64_t) m);
        skip[i] = (uint32_t) (siphash24(le64(k2), le64(k2 + 8), key, len) % (uint64_t) (m - 1)) + 1;
    }
    for (int32_t j = 0; j < m; j++) {
        own[j] = -1;
    }
    /* Pseudocode 1; next[i] holds the slot of backend i's next preference rather than its index j */
    int32_t filled = 0;
    for (;;) {
        for (int32_t i = 0; i < n; i++) {
            uint32_t c = next[i];
            uint32_t s = skip[i];
            while (own[c] >= 0) {
                c += s;
                if (c >= (uint32_t) m) {
                    c -= (uint32_t) m;
                }
            }
            own[c] = i;
            c += s;
            if (c >= (uint32_t) m) {
                c -= (uint32_t) m;
            }
            next[i] = c;
            if (++filled == m) {
                goto done;
            }
        }
    }
done:;
    int64_t sum = own[0] + 31 * (int64_t) own[m / 2] + 961 * (int64_t) own[m - 1];
    free(skip);
    free(next);
    if (entry == NULL) {
        free(own);
    }
    return sum;
}
