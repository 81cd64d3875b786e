// SHA-256 (FIPS 180-4) for the guest test programs: tlsprobe hashes what it downloads and
// uploads so a test can compare with the host's sha256sum. Streaming: init, update any number of
// times, final.
#ifndef TESTS_TLS_SHA256_H_
#define TESTS_TLS_SHA256_H_

#include <stddef.h>
#include <stdint.h>

struct sha256 {
  uint32_t h[8];
  uint64_t bytes;     // total message length so far
  uint8_t block[64];  // partial block
  size_t used;        // bytes in block
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
// Writes the digest as 64 lowercase hex digits and a NUL into hex[65].
void sha256_final_hex(struct sha256 *s, char hex[65]);

#endif  // TESTS_TLS_SHA256_H_
