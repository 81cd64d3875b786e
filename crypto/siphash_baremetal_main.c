// crypto_siphash24 on aarch64 under QEMU (kernel flags): every vector of siphash_vectors.h at
// every offset from an 8-byte boundary. Prints each mismatch, then the count; returns it.
#include <stdio.h>

#include "crypto/siphash.h"
#include "crypto/siphash_vectors.h"

enum { MAX_OFFSET = 8 };

static _Alignas(8) uint8_t buf[SIPHASH_VECTOR_MAX_LEN + MAX_OFFSET];

static int check_set(const char *name, const uint8_t *key, const uint64_t *want, int alt,
                     int *checked) {
  int failed = 0;
  for (unsigned off = 0; off < MAX_OFFSET; off++) {
    uint8_t *msg = buf + off;
    for (unsigned i = 0; i < SIPHASH_VECTOR_MAX_LEN; i++) {
      msg[i] = alt ? siphash_alt_message_byte(i) : (uint8_t)i;
    }
    for (unsigned n = 0; n <= SIPHASH_VECTOR_MAX_LEN; n++) {
      uint64_t got = crypto_siphash24(key, msg, n);
      (*checked)++;
      if (got != want[n]) {
        printf("SIPHASH %s length %u offset %u: %016llx, want %016llx\n", name, n, off,
               (unsigned long long)got, (unsigned long long)want[n]);
        failed++;
      }
    }
  }
  return failed;
}

int main(void) {
  int checked = 0;
  int failed = check_set("reference", kSipHashRefKey, kSipHashRef, 0, &checked);
  failed += check_set("second key", kSipHashAltKey, kSipHashAlt, 1, &checked);
  printf("SIPHASH %d failed of %d\n", failed, checked);
  return failed;
}
