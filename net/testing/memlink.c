#include "net/testing/memlink.h"

#include <string.h>

static int ml_send(void *ctx, const uint8_t *frame, size_t len) {
  struct memlink_end *e = (struct memlink_end *)ctx;
  e->frames_sent++;
  impair_submit(&e->out, frame, len, e->link->now_us);
  return 0;
}

static uint64_t ml_now(void *ctx) { return ((struct memlink_end *)ctx)->link->now_us; }

static void ml_random(void *ctx, void *buf, size_t len) {
  struct memlink_end *e = (struct memlink_end *)ctx;
  uint8_t *b = (uint8_t *)buf;
  for (size_t i = 0; i < len; i++) b[i] = (uint8_t)net_prng_next(&e->rng);
}

void memlink_init(struct memlink *l, const struct impair_cfg *cfg_ab,
                  const struct impair_cfg *cfg_ba, uint64_t seed) {
  struct impair_cfg none;
  memset(&none, 0, sizeof(none));
  l->now_us = 1000000;
  for (int i = 0; i < 2; i++) {
    struct memlink_end *e = &l->ends[i];
    e->link = l;
    e->side = i;
    e->rx = NULL;
    e->rx_ctx = NULL;
    e->frames_sent = 0;
    net_prng_seed(&e->rng, seed * 2 + (uint64_t)i + 1);
    const struct impair_cfg *c = i == 0 ? cfg_ab : cfg_ba;
    impair_init(&e->out, c ? c : &none);
  }
}

struct net_platform memlink_platform(struct memlink *l, int side) {
  struct net_platform p = {ml_send, ml_now, ml_random, &l->ends[side]};
  return p;
}

void memlink_set_receiver(struct memlink *l, int side, memlink_rx_fn fn, void *ctx) {
  l->ends[side].rx = fn;
  l->ends[side].rx_ctx = ctx;
}

unsigned memlink_pump(struct memlink *l) {
  static uint8_t buf[NET_IMPAIR_FRAME_MAX];
  unsigned delivered = 0;
  // Bounded: a pair of stacks ping-ponging zero-delay frames forever cannot hang a test.
  for (unsigned round = 0; round < 1000000; round++) {
    bool any = false;
    for (int side = 0; side < 2; side++) {
      struct memlink_end *from = &l->ends[side];
      struct memlink_end *to = &l->ends[1 - side];
      size_t n = impair_pop(&from->out, l->now_us, buf, sizeof(buf));
      if (!n) continue;
      any = true;
      delivered++;
      if (to->rx) to->rx(to->rx_ctx, buf, n);
    }
    if (!any) break;
  }
  return delivered;
}

uint64_t memlink_next_release(const struct memlink *l) {
  uint64_t a = impair_next_release(&l->ends[0].out);
  uint64_t b = impair_next_release(&l->ends[1].out);
  return a < b ? a : b;
}
