#include "net/testing/impair.h"

#include <string.h>

static bool parse_fixed(const char **s, uint32_t scale_digits, uint64_t *out) {
  // Decimal with up to scale_digits fractional digits, returned scaled by 10^scale_digits.
  const char *p = *s;
  uint64_t whole = 0;
  int digits = 0;
  while (*p >= '0' && *p <= '9') {
    whole = whole * 10 + (uint64_t)(*p - '0');
    if (++digits > 12) return false;
    p++;
  }
  uint64_t frac = 0;
  uint32_t fd = 0;
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9') {
      if (fd >= scale_digits) return false;
      frac = frac * 10 + (uint64_t)(*p - '0');
      fd++;
      p++;
    }
    if (fd == 0) return false;
  }
  if (digits == 0) return false;
  uint64_t scale = 1;
  for (uint32_t i = 0; i < scale_digits; i++) scale *= 10;
  for (uint32_t i = fd; i < scale_digits; i++) frac *= 10;
  *out = whole * scale + frac;
  *s = p;
  return true;
}

static void set_err(char *err, size_t errlen, const char *a, const char *b) {
  if (!err || !errlen) return;
  size_t n = 0;
  for (const char *s = a; *s && n + 1 < errlen; s++) err[n++] = *s;
  for (const char *s = b; s && *s && *s != ',' && n + 1 < errlen; s++) err[n++] = *s;
  err[n] = '\0';
}

bool impair_parse(const char *spec, struct impair_cfg *cfg, char *err, size_t errlen) {
  memset(cfg, 0, sizeof(*cfg));
  cfg->seed = 1;
  const char *p = spec;
  if (!p) {
    set_err(err, errlen, "empty impairment spec", NULL);
    return false;
  }
  while (*p) {
    const char *key = p;
    const char *eq = p;
    while (*eq && *eq != '=' && *eq != ',') eq++;
    if (*eq != '=') {
      set_err(err, errlen, "expected KEY=VALUE at: ", key);
      return false;
    }
    size_t klen = (size_t)(eq - key);
    const char *v = eq + 1;
    uint64_t val = 0;
#define KEY(name) (klen == sizeof(name) - 1 && memcmp(key, name, klen) == 0)
    if (KEY("loss") || KEY("reorder") || KEY("dup") || KEY("corrupt")) {
      // Percent with 4 decimals -> parts per million.
      if (!parse_fixed(&v, 4, &val) || val > 1000000) {
        set_err(err, errlen, "bad percentage (0..100) at: ", key);
        return false;
      }
      if (*v == '%') v++;
      uint32_t ppm = (uint32_t)val;
      if (KEY("loss")) cfg->loss_ppm = ppm;
      if (KEY("reorder")) cfg->reorder_ppm = ppm;
      if (KEY("dup")) cfg->dup_ppm = ppm;
      if (KEY("corrupt")) cfg->corrupt_ppm = ppm;
    } else if (KEY("delay") || KEY("jitter")) {
      if (!parse_fixed(&v, 3, &val) || val > 60000000ull) {
        set_err(err, errlen, "bad milliseconds (0..60000) at: ", key);
        return false;
      }
      if (KEY("delay")) cfg->delay_us = (uint32_t)val;
      if (KEY("jitter")) cfg->jitter_us = (uint32_t)val;
    } else if (KEY("seed")) {
      if (!parse_fixed(&v, 0, &val)) {
        set_err(err, errlen, "bad seed at: ", key);
        return false;
      }
      cfg->seed = val;
    } else {
      set_err(err, errlen, "unknown impairment: ", key);
      return false;
    }
#undef KEY
    if (*v == ',') {
      v++;
      if (*v == '\0') {
        set_err(err, errlen, "trailing comma", NULL);
        return false;
      }
    } else if (*v != '\0') {
      set_err(err, errlen, "unexpected text at: ", v);
      return false;
    }
    p = v;
  }
  return true;
}

bool impair_active(const struct impair_cfg *c) {
  return c->loss_ppm || c->reorder_ppm || c->dup_ppm || c->corrupt_ppm || c->delay_us ||
         c->jitter_us;
}

void impair_init(struct impair *im, const struct impair_cfg *cfg) {
  im->cfg = *cfg;
  net_prng_seed(&im->rng, cfg->seed);
  im->seq = 0;
  im->last_release_us = 0;
  im->count = 0;
  im->free_count = NET_IMPAIR_SLOTS;
  for (unsigned i = 0; i < NET_IMPAIR_SLOTS; i++) {
    im->free_list[i] = (uint16_t)(NET_IMPAIR_SLOTS - 1 - i);
  }
  memset(&im->stats, 0, sizeof(im->stats));
}

static bool before(const struct impair *im, uint16_t a, uint16_t b) {
  const struct impair_slot *x = &im->slots[a], *y = &im->slots[b];
  return x->release_us < y->release_us || (x->release_us == y->release_us && x->seq < y->seq);
}

static void heap_push(struct impair *im, uint16_t idx) {
  unsigned i = im->count++;
  im->heap[i] = idx;
  while (i > 0) {
    unsigned parent = (i - 1) / 2;
    if (!before(im, im->heap[i], im->heap[parent])) break;
    uint16_t t = im->heap[i];
    im->heap[i] = im->heap[parent];
    im->heap[parent] = t;
    i = parent;
  }
}

static uint16_t heap_pop(struct impair *im) {
  uint16_t top = im->heap[0];
  im->heap[0] = im->heap[--im->count];
  unsigned i = 0;
  for (;;) {
    unsigned l = 2 * i + 1, r = l + 1, m = i;
    if (l < im->count && before(im, im->heap[l], im->heap[m])) m = l;
    if (r < im->count && before(im, im->heap[r], im->heap[m])) m = r;
    if (m == i) break;
    uint16_t t = im->heap[i];
    im->heap[i] = im->heap[m];
    im->heap[m] = t;
    i = m;
  }
  return top;
}

static bool chance(struct impair *im, uint32_t ppm) {
  return ppm && net_prng_below(&im->rng, 1000000) < ppm;
}

static bool enqueue(struct impair *im, const uint8_t *frame, size_t len, uint64_t release) {
  if (im->free_count == 0) {
    im->stats.overflow++;
    return false;
  }
  uint16_t idx = im->free_list[--im->free_count];
  struct impair_slot *s = &im->slots[idx];
  s->release_us = release;
  s->seq = im->seq++;
  s->len = (uint16_t)len;
  memcpy(s->data, frame, len);
  heap_push(im, idx);
  return true;
}

unsigned impair_submit(struct impair *im, const uint8_t *frame, size_t len, uint64_t now_us) {
  im->stats.submitted++;
  if (len > NET_IMPAIR_FRAME_MAX) {
    im->stats.too_big++;
    return 0;
  }
  if (chance(im, im->cfg.loss_ppm)) {
    im->stats.lost++;
    return 0;
  }
  uint64_t release = now_us + im->cfg.delay_us;
  if (im->cfg.jitter_us) release += net_prng_below(&im->rng, (uint64_t)im->cfg.jitter_us + 1);
  bool reorder = chance(im, im->cfg.reorder_ppm);
  if (reorder) {
    // Hold this frame back long enough that the frames sent in the next couple of
    // milliseconds overtake it.
    uint64_t hold = (im->cfg.delay_us > 1000 ? im->cfg.delay_us : 1000) + im->cfg.jitter_us + 1000;
    release += hold;
    im->stats.reordered++;
  } else if (!im->cfg.jitter_us && release < im->last_release_us) {
    release = im->last_release_us;  // pure delay keeps FIFO order
  }
  if (!reorder) im->last_release_us = release;
  unsigned copies = 0;
  uint8_t tmp[NET_IMPAIR_FRAME_MAX];
  const uint8_t *out = frame;
  if (chance(im, im->cfg.corrupt_ppm) && len > 0) {
    memcpy(tmp, frame, len);
    // Flip one bit past the Ethernet header when there is one, so the damage reaches the
    // checksums of the layers above instead of just misaddressing the frame.
    size_t lo = len > 14 ? 14 : 0;
    size_t at = lo + (size_t)net_prng_below(&im->rng, len - lo);
    tmp[at] ^= (uint8_t)(1u << net_prng_below(&im->rng, 8));
    out = tmp;
    im->stats.corrupted++;
  }
  if (enqueue(im, out, len, release)) copies++;
  if (chance(im, im->cfg.dup_ppm)) {
    im->stats.duplicated++;
    if (enqueue(im, out, len, release)) copies++;
  }
  return copies;
}

size_t impair_pop(struct impair *im, uint64_t now_us, uint8_t *buf, size_t cap) {
  if (im->count == 0 || im->slots[im->heap[0]].release_us > now_us) return 0;
  uint16_t idx = heap_pop(im);
  struct impair_slot *s = &im->slots[idx];
  size_t n = s->len < cap ? s->len : cap;
  memcpy(buf, s->data, n);
  im->free_list[im->free_count++] = idx;
  im->stats.delivered++;
  return n;
}

uint64_t impair_next_release(const struct impair *im) {
  return im->count ? im->slots[im->heap[0]].release_us : UINT64_MAX;
}
