// Known-answer tests for the primitives ViperDOS's TLS relies on, with published vectors
// (FIPS 180-4 examples, RFC 4231, NIST SP 800-38A, RFC 8439, RFC 7748, RFC 8032).
//
// Plain C with no I/O, so the same suite runs as a host GoogleTest and as a bare-metal aarch64
// program under QEMU (crypto/kat_baremetal_main.c).
#ifndef CRYPTO_KAT_H_
#define CRYPTO_KAT_H_

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  const char *name;
  // Returns 0 when every check passes, else the source line of the first failed check.
  int (*run)(void);
} crypto_kat;

extern const crypto_kat crypto_kats[];
extern const size_t crypto_kat_count;

#ifdef __cplusplus
}
#endif

#endif  // CRYPTO_KAT_H_
