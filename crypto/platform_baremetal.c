// crypto/platform.h for the bare-metal test harness (//kernel/testing:baremetal) on QEMU virt.
// NOT for the kernel: the heap is picolibc's malloc, and the devices are used directly at their
// QEMU virt addresses, which is only right while nothing else owns them.
//   entropy: the RNDR instruction (FEAT_RNG, present with QEMU's -cpu max); no fallback: without
//            it seeding fails and wolfSSL's DRBG refuses to run;
//   wall clock: the PL031 RTC, which QEMU starts at the host's UTC time;
//   ticks: the generic timer's virtual counter.
#include <stdlib.h>

#include "crypto/platform.h"

#define PL031_RTC_BASE 0x09010000UL  // QEMU virt memory map; RTCDR (seconds) is at offset 0

void *crypto_platform_malloc(size_t size) { return malloc(size); }

void crypto_platform_free(void *ptr) { free(ptr); }

void *crypto_platform_realloc(void *ptr, size_t size) { return realloc(ptr, size); }

static int have_rndr(void) {
  uint64_t isar0;
  __asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
  return ((isar0 >> 60) & 0xf) != 0;  // ID_AA64ISAR0_EL1.RNDR
}

// One 64-bit value from RNDR; returns 0 when the hardware reports failure (NZCV.Z set).
static int rndr(uint64_t *out) {
  uint64_t value, ok;
  __asm__ volatile(
      "mrs %0, s3_3_c2_c4_0\n"  // RNDR (spelled as its encoding for assemblers without FEAT_RNG)
      "cset %1, ne\n"
      : "=r"(value), "=r"(ok)
      :
      : "cc");
  *out = value;
  return (int)ok;
}

int crypto_platform_seed(uint8_t *out, size_t len) {
  if (out == NULL || !have_rndr()) return -1;
  size_t done = 0;
  while (done < len) {
    uint64_t v = 0;
    // The architecture allows transient failure; a few retries, then give up (fail closed).
    int tries = 0;
    while (!rndr(&v)) {
      if (++tries == 16) return -1;
    }
    for (int i = 0; i < 8 && done < len; i++) out[done++] = (uint8_t)(v >> (8 * i));
  }
  return 0;
}

uint64_t crypto_platform_time_s(void) { return *(volatile uint32_t *)PL031_RTC_BASE; }

uint64_t crypto_platform_ticks_ms(void) {
  uint64_t count, freq;
  __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count));
  __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
  if (freq == 0) return 0;
  return count / (freq / 1000u ? freq / 1000u : 1u);
}
