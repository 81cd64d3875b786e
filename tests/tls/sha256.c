#include "tests/tls/sha256.h"

// wolfCrypt's SHA-256 calls fail only for NULL arguments, which these wrappers never pass.
void sha256_init(struct sha256 *s) { wc_InitSha256(&s->ctx); }

void sha256_update(struct sha256 *s, const void *data, size_t len) {
  wc_Sha256Update(&s->ctx, (const byte *)data, (word32)len);
}

void sha256_final_hex(struct sha256 *s, char hex[65]) {
  static const char digits[] = "0123456789abcdef";
  byte d[WC_SHA256_DIGEST_SIZE];
  wc_Sha256Final(&s->ctx, d);
  wc_Sha256Free(&s->ctx);
  for (int i = 0; i < WC_SHA256_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[d[i] >> 4];
    hex[2 * i + 1] = digits[d[i] & 15];
  }
  hex[64] = '\0';
}
