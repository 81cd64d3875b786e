// Small deterministic PRNG (SplitMix64) for tests and the impairment layer: same seed, same run.
#ifndef NET_TESTING_PRNG_H_
#define NET_TESTING_PRNG_H_

#include <stdint.h>

struct net_prng {
  uint64_t state;
};

static inline void net_prng_seed(struct net_prng *r, uint64_t seed) { r->state = seed; }

static inline uint64_t net_prng_next(struct net_prng *r) {
  uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Uniform in [0, n) (n > 0); the modulo bias is irrelevant at 64 bits for test-sized n.
static inline uint64_t net_prng_below(struct net_prng *r, uint64_t n) {
  return net_prng_next(r) % n;
}

#endif  // NET_TESTING_PRNG_H_
