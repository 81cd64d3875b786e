#include "net/testing/two_stacks.h"

#include <string.h>

static void rx_a(void *ctx, const uint8_t *f, size_t n) {
  net_stack_input_frame((struct net_stack *)ctx, f, n);
}

void two_stacks_init(struct two_stacks *t, const struct impair_cfg *ab, const struct impair_cfg *ba,
                     uint64_t seed) {
  memlink_init(&t->link, ab, ba, seed);
  struct net_stack_config ca, cb;
  memset(&ca, 0, sizeof(ca));
  memset(&cb, 0, sizeof(cb));
  const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x01}, mac_b[6] = {0x02, 0, 0, 0, 0, 0x02};
  memcpy(ca.mac, mac_a, 6);
  memcpy(cb.mac, mac_b, 6);
  ca.addr = TWO_STACKS_ADDR_A;
  cb.addr = TWO_STACKS_ADDR_B;
  ca.prefix = cb.prefix = 24;
  struct net_platform pa = memlink_platform(&t->link, 0), pb = memlink_platform(&t->link, 1);
  net_stack_init(&t->a, &pa, &ca);
  net_stack_init(&t->b, &pb, &cb);
  memlink_set_receiver(&t->link, 0, rx_a, &t->a);
  memlink_set_receiver(&t->link, 1, rx_a, &t->b);
  net_stack_up(&t->a);
  net_stack_up(&t->b);
}

bool two_stacks_run(struct two_stacks *t, uint64_t ms, bool (*cond)(void *ctx), void *ctx) {
  uint64_t end_us = t->link.now_us + ms * 1000;
  for (;;) {
    memlink_pump(&t->link);
    uint64_t na = net_stack_poll(&t->a), nb = net_stack_poll(&t->b);
    memlink_pump(&t->link);
    if (cond && cond(ctx)) return true;
    // Next event: a frame release or a timer (timers are in ms).
    uint64_t next = memlink_next_release(&t->link);
    uint64_t nt = na < nb ? na : nb;
    if (nt != UINT64_MAX && nt * 1000 < next) next = nt * 1000;
    if (next <= t->link.now_us) next = t->link.now_us + 1;
    if (next > end_us) {
      t->link.now_us = end_us;
      memlink_pump(&t->link);
      net_stack_poll(&t->a);
      net_stack_poll(&t->b);
      return cond ? cond(ctx) : false;
    }
    t->link.now_us = next;
  }
}
