// crypto/platform.h for the Linux host: libc allocator, getrandom(2), clock_gettime(2).
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "crypto/platform.h"

void *crypto_platform_malloc(size_t size) { return malloc(size); }

void crypto_platform_free(void *ptr) { free(ptr); }

void *crypto_platform_realloc(void *ptr, size_t size) { return realloc(ptr, size); }

int crypto_platform_seed(uint8_t *out, size_t len) {
  size_t done = 0;
  while (done < len) {
    // Blocks only until the kernel's pool is initialised once after boot.
    ssize_t n = getrandom(out + done, len - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    done += (size_t)n;
  }
  return 0;
}

uint64_t crypto_platform_time_s(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || ts.tv_sec < 0) return 0;
  return (uint64_t)ts.tv_sec;
}

uint64_t crypto_platform_ticks_ms(void) {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
