#include "net/testing/fake_platform.h"

#include <string.h>

static int fake_send(void *ctx, const uint8_t *frame, size_t len) {
  struct fake_platform *f = (struct fake_platform *)ctx;
  if (f->send_result != 0) return f->send_result;
  f->sent_total++;
  if (f->count >= FAKE_PLATFORM_FRAMES || len > FAKE_PLATFORM_FRAME_MAX) {
    f->overflow++;
    return 0;
  }
  unsigned slot = (f->head + f->count) % FAKE_PLATFORM_FRAMES;
  memcpy(f->frames[slot], frame, len);
  f->lens[slot] = len;
  f->count++;
  return 0;
}

static uint64_t fake_now(void *ctx) { return ((struct fake_platform *)ctx)->now_us; }

static void fake_random(void *ctx, void *buf, size_t len) {
  struct fake_platform *f = (struct fake_platform *)ctx;
  uint8_t *b = (uint8_t *)buf;
  for (size_t i = 0; i < len; i++) b[i] = (uint8_t)net_prng_next(&f->rng);
}

void fake_platform_init(struct fake_platform *f, uint64_t seed) {
  f->now_us = 1000000;  // start at 1 s so "0" never looks like a valid timestamp
  net_prng_seed(&f->rng, seed);
  f->send_result = 0;
  f->head = f->count = 0;
  f->sent_total = f->overflow = 0;
}

struct net_platform fake_platform_ops(struct fake_platform *f) {
  struct net_platform p = {fake_send, fake_now, fake_random, f};
  return p;
}

size_t fake_platform_pop(struct fake_platform *f, uint8_t *buf, size_t cap) {
  if (f->count == 0) return 0;
  size_t len = f->lens[f->head];
  size_t n = len < cap ? len : cap;
  memcpy(buf, f->frames[f->head], n);
  f->head = (f->head + 1) % FAKE_PLATFORM_FRAMES;
  f->count--;
  return n;
}
