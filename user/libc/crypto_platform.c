// crypto/platform.h for EL0 programs that use wolfCrypt (hashes): picolibc's heap, the kernel's
// DRBG (SYS_GETRANDOM) and monotonic clock. There is no trustworthy wall clock in user space yet,
// so time_s is 0 (only certificate checks would need it; TLS runs in the kernel, which has the
// RTC).
#include <stdlib.h>

#include "crypto/platform.h"
#include "user/libc/vdos.h"

void *crypto_platform_malloc(size_t size) { return malloc(size); }
void crypto_platform_free(void *ptr) { free(ptr); }
void *crypto_platform_realloc(void *ptr, size_t size) { return realloc(ptr, size); }

int crypto_platform_seed(uint8_t *out, size_t len) {
  return vdos_getrandom(out, len) == (long)len ? 0 : 1;
}

uint64_t crypto_platform_time_s(void) { return 0; }

uint64_t crypto_platform_ticks_ms(void) { return vdos_time_ns() / 1000000; }
