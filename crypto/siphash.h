// SipHash-2-4 (Aumasson & Bernstein, 2012) with a 64-bit output, computed by wolfCrypt.
//
// A keyed pseudorandom function for short inputs: whoever lacks the 128-bit key can neither
// predict an output nor find inputs that collide. net/tcp uses it for RFC 6528 initial sequence
// numbers, RFC 6056 ephemeral ports, SYN cookies and its connection-table buckets.
//
// This header is all a caller sees (no wolfSSL header, no wolfSSL configuration), and the target
// behind it compiles wolfSSL's siphash.c alone: no allocation, no RNG, no libc beyond what the
// compiler itself calls, so it links into the kernel, EL0 programs and host tools alike.
#ifndef CRYPTO_SIPHASH_H_
#define CRYPTO_SIPHASH_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CRYPTO_SIPHASH_KEY_SIZE 16

// SipHash-2-4 of the len bytes at data under key, as the little-endian 64-bit number the
// algorithm defines (the first published vector, empty message under key 00..0f, is
// 0x726fdb47dd0e0e31). key must point to 16 bytes and data to len bytes (data may be NULL when len
// is 0); neither needs any alignment. Any length works.
uint64_t crypto_siphash24(const uint8_t key[CRYPTO_SIPHASH_KEY_SIZE], const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif  // CRYPTO_SIPHASH_H_
