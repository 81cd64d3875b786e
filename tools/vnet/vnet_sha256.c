// SHA-256 written from FIPS 180-4 section 6.2.
#include "tools/vnet/vnet_sha256.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void block(struct vnet_sha256* s, const uint8_t* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++) {
    w[i] = ((uint32_t)p[4 * i] << 24) | ((uint32_t)p[4 * i + 1] << 16) |
           ((uint32_t)p[4 * i + 2] << 8) | p[4 * i + 3];
  }
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
  uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  s->h[0] += a;
  s->h[1] += b;
  s->h[2] += c;
  s->h[3] += d;
  s->h[4] += e;
  s->h[5] += f;
  s->h[6] += g;
  s->h[7] += h;
}

#if defined(__x86_64__)
// The same compression with the x86 SHA extensions (Intel SDM: SHA256RNDS2 does two rounds on
// the state split as ABEF/CDGH; SHA256MSG1/MSG2 compute the message schedule four words at a
// time). Hashing every received byte otherwise costs more CPU than the TCP stack does.
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_shani(struct vnet_sha256* s,
                                                                     const uint8_t* p, size_t n) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
  __m128i dcba = _mm_loadu_si128((const __m128i*)&s->h[0]);
  __m128i hgfe = _mm_loadu_si128((const __m128i*)&s->h[4]);
  __m128i cdab = _mm_shuffle_epi32(dcba, 0xb1);
  __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1b);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);
  for (; n > 0; n--, p += 64) {
    __m128i abef0 = abef, cdgh0 = cdgh;
    __m128i w[4];
    for (int g = 0; g < 16; g++) {
      __m128i wg;
      if (g < 4) {
        wg = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i*)(p + 16 * g)), bswap);
      } else {
        // W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) + W[i-16] for the group's four words.
        __m128i x = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
        x = _mm_add_epi32(x, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
        wg = _mm_sha256msg2_epu32(x, w[(g + 3) & 3]);
      }
      w[g & 3] = wg;
      __m128i m = _mm_add_epi32(wg, _mm_loadu_si128((const __m128i*)&K[4 * g]));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(m, 0x0e));
    }
    abef = _mm_add_epi32(abef, abef0);
    cdgh = _mm_add_epi32(cdgh, cdgh0);
  }
  __m128i feba = _mm_shuffle_epi32(abef, 0x1b);
  __m128i dchg = _mm_shuffle_epi32(cdgh, 0xb1);
  _mm_storeu_si128((__m128i*)&s->h[0], _mm_blend_epi16(feba, dchg, 0xf0));
  _mm_storeu_si128((__m128i*)&s->h[4], _mm_alignr_epi8(dchg, feba, 8));
}

static int g_shani = -1;  // -1: not probed yet

static bool have_shani(void) {
  int cached = g_shani;
  if (cached < 0) {
    unsigned a, b, c, d;
    bool ok = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1);
    ok = ok && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
    cached = ok && getenv("VNET_SHA256_PORTABLE") == NULL;
    g_shani = cached;
  }
  return cached != 0;
}
#endif

bool vnet_sha256_use_accel(bool on) {
#if defined(__x86_64__)
  g_shani = -1;
  if (on && have_shani()) return true;
  g_shani = 0;
#else
  (void)on;
#endif
  return false;
}

// Compresses n consecutive 64-byte blocks.
static void blocks(struct vnet_sha256* s, const uint8_t* p, size_t n) {
#if defined(__x86_64__)
  if (have_shani()) {
    blocks_shani(s, p, n);
    return;
  }
#endif
  for (; n > 0; n--, p += 64) block(s, p);
}

void vnet_sha256_init(struct vnet_sha256* s) {
  static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, H0, sizeof(H0));
  s->total = 0;
  s->used = 0;
}

void vnet_sha256_update(struct vnet_sha256* s, const void* data, size_t len) {
  const uint8_t* p = data;
  s->total += len;
  if (s->used > 0) {
    size_t take = 64 - s->used < len ? 64 - s->used : len;
    memcpy(s->buf + s->used, p, take);
    s->used += take;
    p += take;
    len -= take;
    if (s->used == 64) {
      blocks(s, s->buf, 1);
      s->used = 0;
    }
  }
  if (len >= 64) {
    blocks(s, p, len / 64);
    p += len / 64 * 64;
    len %= 64;
  }
  if (len > 0) {
    memcpy(s->buf, p, len);
    s->used = len;
  }
}

void vnet_sha256_hex(struct vnet_sha256* s, char hex[65]) {
  uint64_t bits = s->total * 8;
  uint8_t pad = 0x80;
  uint64_t total = s->total;
  vnet_sha256_update(s, &pad, 1);
  uint8_t zero = 0;
  while (s->used != 56) vnet_sha256_update(s, &zero, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  vnet_sha256_update(s, len, 8);
  s->total = total;
  for (int i = 0; i < 8; i++) snprintf(hex + 8 * i, 9, "%08x", s->h[i]);
}
