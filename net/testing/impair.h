// Link impairment: loss, delay with jitter, reordering, duplication and corruption, driven by a
// seeded PRNG so every run of a seed is identical. It sits between a sender and a link (vnet's
// TAP driver, the in-memory test link): frames go in with impair_submit, come out with
// impair_pop once their release time has come.
#ifndef NET_TESTING_IMPAIR_H_
#define NET_TESTING_IMPAIR_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/testing/prng.h"

#ifndef NET_IMPAIR_SLOTS
#define NET_IMPAIR_SLOTS 4096
#endif
#ifndef NET_IMPAIR_FRAME_MAX
#define NET_IMPAIR_FRAME_MAX 1536
#endif

struct impair_cfg {
  // Probabilities in parts per million (1% = 10000).
  uint32_t loss_ppm;
  uint32_t reorder_ppm;
  uint32_t dup_ppm;
  uint32_t corrupt_ppm;
  uint32_t delay_us;
  uint32_t jitter_us;  // uniform extra delay in [0, jitter]
  uint64_t seed;
};

// Parses "loss=P,delay=MS,jitter=MS,reorder=P,dup=P,corrupt=P,seed=N" (any subset, any order).
// P is a percentage 0..100 with up to 4 decimals and an optional '%' ("0.5", "2%"); MS is
// milliseconds, may have up to 3 decimals. Returns false and writes a message to err on bad input.
bool impair_parse(const char *spec, struct impair_cfg *cfg, char *err, size_t errlen);

// True if cfg changes anything (frames can then bypass the queue).
bool impair_active(const struct impair_cfg *cfg);

struct impair_slot {
  uint64_t release_us;
  uint64_t seq;  // FIFO order among equal release times
  uint16_t len;
  uint8_t data[NET_IMPAIR_FRAME_MAX];
};

struct impair_stats {
  uint64_t submitted, delivered, lost, duplicated, corrupted, reordered, overflow, too_big;
};

struct impair {
  struct impair_cfg cfg;
  struct net_prng rng;
  uint64_t seq;
  uint64_t last_release_us;  // release time of the latest in-order frame
  unsigned count;
  uint16_t heap[NET_IMPAIR_SLOTS];  // min-heap of slot indices by (release_us, seq)
  uint16_t free_list[NET_IMPAIR_SLOTS];
  unsigned free_count;
  struct impair_stats stats;
  struct impair_slot slots[NET_IMPAIR_SLOTS];
};

void impair_init(struct impair *im, const struct impair_cfg *cfg);

// Takes a copy of the frame (0..2 copies are queued). Returns the copies queued.
unsigned impair_submit(struct impair *im, const uint8_t *frame, size_t len, uint64_t now_us);

// Copies out the next frame due at now_us; returns its length, or 0 if none is due.
size_t impair_pop(struct impair *im, uint64_t now_us, uint8_t *buf, size_t cap);

// Release time of the earliest queued frame, or UINT64_MAX.
uint64_t impair_next_release(const struct impair *im);

#endif  // NET_TESTING_IMPAIR_H_
