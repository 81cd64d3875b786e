// libFuzzer target for the ALPN list check (program-controlled bytes): it must never read past
// the terminating NUL or the bound it is given.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tls/ktls_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // An exact-size heap copy, so ASan catches a read one byte past the NUL.
  char *str = malloc(size + 1);
  if (!str) return 0;
  memcpy(str, data, size);
  str[size] = '\0';
  int ok = ktls_alpn_valid(str, size);
  // Accepted lists never contain an empty item or a byte outside '!'..'~'.
  if (ok) {
    size_t n = strlen(str);
    if (n == 0 || str[0] == ',' || str[n - 1] == ',' || strstr(str, ",,")) abort();
    for (size_t i = 0; i < n; i++) {
      if ((unsigned char)str[i] <= ' ' || (unsigned char)str[i] >= 0x7f) abort();
    }
  }
  free(str);
  return 0;
}
