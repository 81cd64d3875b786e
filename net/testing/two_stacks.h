// Two complete stacks (10.0.0.1/24 and 10.0.0.2/24) on one memlink, with an event loop on the
// virtual clock. TCP tests attach their TCP instances to a.ip / b.ip.
#ifndef NET_TESTING_TWO_STACKS_H_
#define NET_TESTING_TWO_STACKS_H_

#include <stdbool.h>
#include <stdint.h>

#include "net/stack/stack.h"
#include "net/testing/memlink.h"

struct two_stacks {
  struct memlink link;
  struct net_stack a;  // side 0
  struct net_stack b;  // side 1
};

#define TWO_STACKS_ADDR_A IPV4_ADDR(10, 0, 0, 1)
#define TWO_STACKS_ADDR_B IPV4_ADDR(10, 0, 0, 2)

// Sets up and brings both stacks up. Impairment configs may be NULL.
void two_stacks_init(struct two_stacks *t, const struct impair_cfg *ab, const struct impair_cfg *ba,
                     uint64_t seed);

// Advances the virtual clock by up to ms, delivering frames and firing timers in time order.
// Stops early when cond(ctx) becomes true (cond may be NULL). Returns cond's final value (or
// false without cond).
bool two_stacks_run(struct two_stacks *t, uint64_t ms, bool (*cond)(void *ctx), void *ctx);

#endif  // NET_TESTING_TWO_STACKS_H_
