// An in-memory Ethernet link between two endpoints with a shared virtual clock and an
// impairment layer per direction. Endpoint 0 and 1 each get a net_platform; frames one side
// sends are delivered to the other side's receiver by memlink_pump once due.
#ifndef NET_TESTING_MEMLINK_H_
#define NET_TESTING_MEMLINK_H_

#include <stddef.h>
#include <stdint.h>

#include "net/core/platform.h"
#include "net/testing/impair.h"
#include "net/testing/prng.h"

typedef void (*memlink_rx_fn)(void *ctx, const uint8_t *frame, size_t len);

struct memlink;

struct memlink_end {
  struct memlink *link;
  int side;
  memlink_rx_fn rx;
  void *rx_ctx;
  struct net_prng rng;
  uint64_t frames_sent;
  struct impair out;  // impairments on frames this side sends
};

struct memlink {
  uint64_t now_us;
  struct memlink_end ends[2];
};

// cfg_ab impairs side 0 -> side 1, cfg_ba the reverse (NULL: perfect link).
void memlink_init(struct memlink *l, const struct impair_cfg *cfg_ab,
                  const struct impair_cfg *cfg_ba, uint64_t seed);

struct net_platform memlink_platform(struct memlink *l, int side);
void memlink_set_receiver(struct memlink *l, int side, memlink_rx_fn fn, void *ctx);

// Delivers every frame whose release time is <= now (a receiver may send more: those are
// delivered too if already due, up to a bound). Returns the number delivered.
unsigned memlink_pump(struct memlink *l);

// Earliest pending frame release, or UINT64_MAX.
uint64_t memlink_next_release(const struct memlink *l);

#endif  // NET_TESTING_MEMLINK_H_
