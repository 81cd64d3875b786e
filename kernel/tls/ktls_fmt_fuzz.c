// libFuzzer target for the kernel TLS helpers that read peer- and program-controlled bytes:
// certificate date blobs, one-line names and ALPN lists. Out-of-bounds reads or writes show up
// under ASan; every output must stay NUL-terminated within its buffer.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/tls/ktls_fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Exact-size heap copies, so ASan catches a read one byte past what arrived.
  uint8_t *raw = malloc(size ? size : 1);
  if (!raw) return 0;
  memcpy(raw, data, size);
  char out[32];
  ktls_fmt_time(raw, size, out, sizeof(out));
  if (memchr(out, '\0', sizeof(out)) == NULL) abort();

  char name[64];
  ktls_fmt_name((const char *)raw, size, name, sizeof(name));
  if (memchr(name, '\0', sizeof(name)) == NULL) abort();

  char *str = malloc(size + 1);
  if (str) {
    memcpy(str, data, size);
    str[size] = '\0';
    ktls_alpn_valid(str, 128);
    free(str);
  }
  free(raw);
  return 0;
}
