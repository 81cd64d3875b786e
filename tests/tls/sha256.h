// SHA-256 for the guest test programs (tlsprobe hashes what it downloads and uploads so a test
// can compare with the host's sha256sum): a streaming wrapper over wolfCrypt — we never write our
// own hash.
#ifndef TESTS_TLS_SHA256_H_
#define TESTS_TLS_SHA256_H_

#include <stddef.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/sha256.h>

struct sha256 {
  wc_Sha256 ctx;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
// Writes the digest as 64 lowercase hex digits and a NUL into hex[65].
void sha256_final_hex(struct sha256 *s, char hex[65]);

#endif  // TESTS_TLS_SHA256_H_
