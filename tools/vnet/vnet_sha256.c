// Thin streaming wrapper over libcrypto's SHA-256. The SHA256_* calls are deprecated in
// OpenSSL 3 in favour of EVP, but EVP contexts are heap objects; the fixed-size context keeps
// vnet's per-connection state allocation-free.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "tools/vnet/vnet_sha256.h"

void vnet_sha256_init(struct vnet_sha256* s) { SHA256_Init(&s->ctx); }

void vnet_sha256_update(struct vnet_sha256* s, const void* data, size_t len) {
  SHA256_Update(&s->ctx, data, len);
}

void vnet_sha256_hex(struct vnet_sha256* s, char hex[65]) {
  static const char digits[] = "0123456789abcdef";
  unsigned char d[SHA256_DIGEST_LENGTH];
  SHA256_Final(d, &s->ctx);
  for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
    hex[2 * i] = digits[d[i] >> 4];
    hex[2 * i + 1] = digits[d[i] & 15];
  }
  hex[64] = '\0';
}
