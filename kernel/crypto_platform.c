// crypto/platform.h for the kernel (wolfCrypt's environment), and the kernel's DRBG:
//   memory  - the kernel heap (accounted, hard limit; NULL on failure);
//   seed    - entropy_bytes(): RNDR, else virtio-rng, else the DTB-seeded generator;
//   time    - the PL031 RTC found in the DTB (QEMU starts it at the host's UTC time);
//   ticks   - the monotonic clock.
// getrandom() is served by wolfCrypt's Hash_DRBG seeded from those sources.
#include "crypto/platform.h"
#include "kernel/dtb/fdt.h"
#include "kernel/kernel.h"
#include "wolfssl/wolfcrypt/random.h"

static volatile uint32_t *rtc;
static WC_RNG drbg;
static int drbg_ok;

void *crypto_platform_malloc(size_t size) { return size ? kmalloc(size) : NULL; }

void crypto_platform_free(void *ptr) {
  if (ptr) kfree(ptr);
}

void *crypto_platform_realloc(void *ptr, size_t size) {
  if (!ptr) return crypto_platform_malloc(size);
  if (size == 0) {
    kfree(ptr);
    return NULL;
  }
  size_t old = kmalloc_size(ptr);
  void *n = kmalloc(size);
  if (!n) return NULL;  // the old block stays valid, as realloc promises
  memcpy(n, ptr, old < size ? old : size);
  kfree(ptr);
  return n;
}

int crypto_platform_seed(uint8_t *out, size_t len) {
  return entropy_bytes(out, len) == (int)len ? 0 : -1;
}

uint64_t crypto_platform_time_s(void) { return rtc_seconds(); }

uint64_t crypto_platform_ticks_ms(void) { return time_ns() / 1000000u; }

uint64_t rtc_seconds(void) { return rtc ? rtc[0] : 0; }

void drbg_init(void) {
  extern const void *boot_dtb;
  struct fdt f;
  if (fdt_init(&f, boot_dtb, fdt_total_size(boot_dtb)) == 0) {
    int n = fdt_node_by_compatible(&f, -1, "arm,pl031");
    uint64_t base, size;
    if (n >= 0 && fdt_reg(&f, n, 0, 2, 2, &base, &size) == 0) rtc = (volatile uint32_t *)base;
  }
  int err = wc_InitRng(&drbg);
  drbg_ok = err == 0;
  if (drbg_ok) {
    extern const char *entropy_source;
    klog(LOG_INFO, "random: wolfCrypt Hash_DRBG seeded from %s; RTC %lu s since 1970",
         entropy_source, (unsigned long)rtc_seconds());
  } else {
    klog(LOG_ERROR, "random: Hash_DRBG failed to instantiate (%d); getrandom fails closed", err);
  }
}

int random_bytes(void *buf, size_t len) {
  if (!drbg_ok) return -5;  // -EIO: never hand out unconditioned or missing entropy
  uint8_t *p = buf;
  size_t done = 0;
  while (done < len) {
    size_t n = len - done > 4096 ? 4096 : len - done;
    if (wc_RNG_GenerateBlock(&drbg, p + done, (word32)n) != 0) return -5;
    done += n;
  }
  return (int)len;
}
