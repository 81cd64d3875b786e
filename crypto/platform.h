// The services wolfSSL needs from the environment it runs in.
//
// wolfSSL is configured (crypto/wolfssl_settings/user_settings.h) to reach memory, entropy and
// clocks only through these functions, so one build of the library serves every environment.
// Each environment links exactly one implementation:
//   host (Linux)         //crypto:platform_host       libc malloc, getrandom(), clock_gettime()
//   bare-metal tests     //crypto:platform_baremetal  picolibc malloc, RNDR, PL031 RTC, CNTVCT
//   ViperDOS kernel      provided by the kernel
//   ViperDOS EL0 program provided by the user runtime
#ifndef CRYPTO_PLATFORM_H_
#define CRYPTO_PLATFORM_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Same contracts as C's malloc/free/realloc: NULL on failure, free(NULL) is a no-op,
// realloc(NULL, n) allocates. Memory must be aligned for any object (16 bytes on aarch64).
void *crypto_platform_malloc(size_t size);
void crypto_platform_free(void *ptr);
void *crypto_platform_realloc(void *ptr, size_t size);

// Fills out[0..len) with seed material for wolfSSL's Hash_DRBG. It must come from a real
// entropy source; returns 0 on success, nonzero if entropy is unavailable (the DRBG then refuses
// to instantiate, and TLS fails closed).
int crypto_platform_seed(uint8_t *out, size_t len);

// Wall-clock seconds since 1970-01-01 UTC. Certificates are checked against it, so an
// environment without a trustworthy clock must not pretend to have one: return 0 and
// certificate date checks will fail.
uint64_t crypto_platform_time_s(void);

// Monotonic milliseconds from an arbitrary origin (TLS 1.3 ticket ages and timeouts).
uint64_t crypto_platform_ticks_ms(void);

#ifdef __cplusplus
}
#endif

#endif  // CRYPTO_PLATFORM_H_
