// Entropy: RNDR (FEAT_RNG, present on -cpu max) when the CPU has it; otherwise virtio-rng;
// otherwise a generator seeded from the DTB's rng-seed and the counter. NOTE: the fallback is not a
// DRBG; feeding wolfCrypt's Hash_DRBG and virtio-rng belongs to the entropy work that is still
// open.
#include "kernel/dtb/fdt.h"
#include "kernel/kernel.h"

static int have_rndr;
static uint64_t state[4];

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t fallback_next(void) {  // xoshiro256** step
  uint64_t r = rotl(state[1] * 5, 7) * 9, t = state[1] << 17;
  state[2] ^= state[0];
  state[3] ^= state[1];
  state[1] ^= state[2];
  state[0] ^= state[3];
  state[2] ^= t;
  state[3] = rotl(state[3], 45);
  return r;
}

void random_init(const void *blob) {
  uint64_t isar0;
  __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
  have_rndr = ((isar0 >> 60) & 0xf) != 0;
  struct fdt f;
  state[0] = time_ns() | 1;
  if (fdt_init(&f, blob, fdt_total_size(blob)) == 0) {
    int chosen = fdt_path_offset(&f, "/chosen");
    size_t len;
    const uint8_t *seed = fdt_getprop(&f, chosen, "rng-seed", &len);
    for (size_t i = 0; seed && i < len && i < 32; i++)
      state[i / 8] ^= (uint64_t)seed[i] << (8 * (i % 8));
  }
  klog(LOG_INFO, "random: %s", have_rndr ? "RNDR" : "DTB seed (no RNDR)");
}

static int rndr(uint64_t *out) {
  uint64_t v, ok;
  __asm__ volatile("mrs %0, s3_3_c2_c4_0\n cset %1, ne" : "=r"(v), "=r"(ok)::"cc");
  *out = v;
  return (int)ok;
}

int random_bytes(void *buf, size_t len) {
  uint8_t *p = buf;
  if (!have_rndr) {
    // virtio-rng when present; the seeded generator only if it is not.
    size_t done = 0;
    while (done < len) {
      int n = virtio_rng_read(p + done, len - done);
      if (n <= 0) break;
      done += (size_t)n;
    }
    if (done == len) return (int)len;
  }
  for (size_t i = 0; i < len; i += 8) {
    uint64_t v;
    if (!have_rndr || !rndr(&v)) v = fallback_next();
    for (size_t j = 0; j < 8 && i + j < len; j++) p[i + j] = (uint8_t)(v >> (8 * j));
  }
  return (int)len;
}
