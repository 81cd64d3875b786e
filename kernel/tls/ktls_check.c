// See ktls_check.h.
#include "kernel/tls/ktls_check.h"

int ktls_alpn_valid(const char *list, size_t max) {
  if (list == NULL) return 0;
  size_t n = 0, item = 0;
  for (; list[n] != '\0'; n++) {
    if (n >= max) return 0;
    unsigned char c = (unsigned char)list[n];
    if (c == ',') {
      if (item == 0) return 0;
      item = 0;
      continue;
    }
    if (c <= ' ' || c >= 0x7f) return 0;
    if (++item > 255) return 0;
  }
  return n > 0 && item > 0;
}
