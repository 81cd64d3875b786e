// A platform for single-stack unit tests: a manual clock, seeded randomness, and a FIFO that
// captures every transmitted frame for inspection.
#ifndef NET_TESTING_FAKE_PLATFORM_H_
#define NET_TESTING_FAKE_PLATFORM_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/platform.h"
#include "net/testing/prng.h"

#define FAKE_PLATFORM_FRAMES 256
#define FAKE_PLATFORM_FRAME_MAX 2048

struct fake_platform {
  uint64_t now_us;
  struct net_prng rng;
  int send_result;  // what send_frame returns (NET_OK by default)
  unsigned head, count;
  uint64_t sent_total, overflow;
  size_t lens[FAKE_PLATFORM_FRAMES];
  uint8_t frames[FAKE_PLATFORM_FRAMES][FAKE_PLATFORM_FRAME_MAX];
};

void fake_platform_init(struct fake_platform *f, uint64_t seed);
struct net_platform fake_platform_ops(struct fake_platform *f);

// Pops the oldest captured frame into buf (cap >= FAKE_PLATFORM_FRAME_MAX is always enough);
// returns its length, 0 when none.
size_t fake_platform_pop(struct fake_platform *f, uint8_t *buf, size_t cap);

#endif  // NET_TESTING_FAKE_PLATFORM_H_
