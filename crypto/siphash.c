// crypto_siphash24 on wolfCrypt's SipHash (wolfcrypt/src/siphash.c, enabled by WOLFSSL_SIPHASH in
// user_settings.h). On x86_64 and aarch64 wolfSSL computes it in inline assembly that loads the
// message and key with plain (possibly unaligned) 64-bit loads: fine on the host, and on aarch64
// because the kernel and EL0 both run with SCTLR_EL1.A clear (kernel/mm/mmu.c).
#include "crypto/siphash.h"

#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/siphash.h>

// wc_SipHash takes a 32-bit length; longer inputs go through the incremental interface in pieces
// of this size (any size works: the interface buffers partial blocks).
#define SIPHASH_PIECE (1u << 30)

_Static_assert(CRYPTO_SIPHASH_KEY_SIZE == SIPHASH_KEY_SIZE, "SipHash key size");

static uint64_t load64le(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = (v << 8) | p[i];
  return v;
}

// Inputs of 4 GiB and more: wc_InitSipHash/Update/Final produce the same function as wc_SipHash.
static int siphash_long(const uint8_t *key, const uint8_t *in, size_t len,
                        uint8_t out[SIPHASH_MAC_SIZE_8]) {
  SipHash st;
  int ret = wc_InitSipHash(&st, key, SIPHASH_MAC_SIZE_8);
  while (ret == 0 && len > 0) {
    word32 n = len > SIPHASH_PIECE ? SIPHASH_PIECE : (word32)len;
    ret = wc_SipHashUpdate(&st, in, n);
    in += n;
    len -= n;
  }
  return ret == 0 ? wc_SipHashFinal(&st, out, SIPHASH_MAC_SIZE_8) : ret;
}

uint64_t crypto_siphash24(const uint8_t key[CRYPTO_SIPHASH_KEY_SIZE], const void *data,
                          size_t len) {
  uint8_t out[SIPHASH_MAC_SIZE_8] = {0};
  int ret = len <= UINT32_MAX ? wc_SipHash(key, data, (word32)len, out, sizeof(out))
                              : siphash_long(key, data, len, out);
  // wolfSSL only refuses NULL pointers (a caller bug); answer a fixed value rather than stack
  // garbage then.
  if (ret != 0) return 0;
  return load64le(out);
}
