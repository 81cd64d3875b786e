// Entropy sources: RNDR (FEAT_RNG, present on -cpu max) when the CPU has it; otherwise
// virtio-rng; the DTB's rng-seed feeds the last-resort generator. These seed wolfCrypt's
// Hash_DRBG (kernel/crypto_platform.c), which serves getrandom.
#include "kernel/dtb/fdt.h"
#include "kernel/kernel.h"

static int have_rndr;
const char *entropy_source = "none";
// QEMU fills /chosen/rng-seed from the host's entropy; each byte is handed out once.
static uint8_t dtb_seed[64];
static size_t dtb_seed_len, dtb_seed_used;

void random_init(const void *blob) {
  uint64_t isar0;
  __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
  have_rndr = ((isar0 >> 60) & 0xf) != 0;
  struct fdt f;
  if (fdt_init(&f, blob, fdt_total_size(blob)) == 0) {
    int chosen = fdt_path_offset(&f, "/chosen");
    size_t len;
    const uint8_t *seed = fdt_getprop(&f, chosen, "rng-seed", &len);
    if (seed) {
      dtb_seed_len = len < sizeof(dtb_seed) ? len : sizeof(dtb_seed);
      memcpy(dtb_seed, seed, dtb_seed_len);
    }
  }
  klog(LOG_INFO, "random: CPU %s RNDR, %u bytes of DTB rng-seed", have_rndr ? "has" : "lacks",
       (unsigned)dtb_seed_len);
}

static int rndr(uint64_t *out) {
  uint64_t v, ok;
  __asm__ volatile("mrs %0, s3_3_c2_c4_0\n cset %1, ne" : "=r"(v), "=r"(ok)::"cc");
  *out = v;
  return (int)ok;
}

// Fills buf from a real source or fails (-EIO): RNDR, else virtio-rng, else the DTB seed.
int entropy_bytes(void *buf, size_t len) {
  uint8_t *p = buf;
  if (have_rndr) {
    for (size_t i = 0; i < len; i += 8) {
      uint64_t v = 0;
      int ok = 0;
      for (int tries = 0; tries < 10 && !(ok = rndr(&v)); tries++) {
      }
      if (!ok) return -5;
      for (size_t j = 0; j < 8 && i + j < len; j++) p[i + j] = (uint8_t)(v >> (8 * j));
    }
    entropy_source = "RNDR";
    return (int)len;
  }
  size_t done = 0;
  while (done < len) {
    int n = virtio_rng_read(p + done, len - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  if (done == len) {
    entropy_source = "virtio-rng";
    return (int)len;
  }
  if (dtb_seed_len - dtb_seed_used >= len) {
    memcpy(p, dtb_seed + dtb_seed_used, len);
    memset(dtb_seed + dtb_seed_used, 0, len);
    dtb_seed_used += len;
    entropy_source = "DTB rng-seed";
    return (int)len;
  }
  return -5;
}
