// crypto_siphash24 (wolfCrypt's SipHash-2-4) against expected values from an independent
// implementation (crypto/siphash_vectors.py, itself checked against the published vectors).
#include "crypto/siphash.h"

#include <gtest/gtest.h>

#include <cstring>

#include "crypto/siphash_vectors.h"

namespace {

// Room for the longest vector at every offset from an 8-byte boundary.
constexpr size_t kMaxOffset = 8;
alignas(8) uint8_t g_buf[SIPHASH_VECTOR_MAX_LEN + kMaxOffset];

TEST(SipHash, PublishedReferenceVectorsAtEveryAlignment) {
  for (size_t off = 0; off < kMaxOffset; off++) {
    uint8_t* msg = g_buf + off;
    for (size_t i = 0; i < SIPHASH_VECTOR_MAX_LEN; i++) msg[i] = (uint8_t)i;
    for (size_t n = 0; n <= SIPHASH_VECTOR_MAX_LEN; n++) {
      EXPECT_EQ(crypto_siphash24(kSipHashRefKey, msg, n), kSipHashRef[n])
          << "length " << n << ", offset " << off;
    }
  }
}

TEST(SipHash, SecondKeyAndPatternAtEveryAlignment) {
  for (size_t off = 0; off < kMaxOffset; off++) {
    uint8_t* msg = g_buf + off;
    for (unsigned i = 0; i < SIPHASH_VECTOR_MAX_LEN; i++) msg[i] = siphash_alt_message_byte(i);
    for (size_t n = 0; n <= SIPHASH_VECTOR_MAX_LEN; n++) {
      EXPECT_EQ(crypto_siphash24(kSipHashAltKey, msg, n), kSipHashAlt[n])
          << "length " << n << ", offset " << off;
    }
  }
}

TEST(SipHash, UnalignedKey) {
  alignas(8) uint8_t key_buf[CRYPTO_SIPHASH_KEY_SIZE + 1];
  memcpy(key_buf + 1, kSipHashRefKey, CRYPTO_SIPHASH_KEY_SIZE);
  uint8_t msg[15];
  for (size_t i = 0; i < sizeof(msg); i++) msg[i] = (uint8_t)i;
  EXPECT_EQ(crypto_siphash24(key_buf + 1, msg, sizeof(msg)), kSipHashRef[sizeof(msg)]);
}

TEST(SipHash, EmptyMessageMayBeNull) {
  EXPECT_EQ(crypto_siphash24(kSipHashRefKey, nullptr, 0), kSipHashRef[0]);
}

// The property net/tcp relies on: without the key the output is unpredictable, so every key bit
// must change it (a hash ignoring part of the key would let a peer aim at one table bucket).
TEST(SipHash, EveryKeyBitChangesTheOutput) {
  const uint8_t msg[12] = {10, 0, 2, 15, 10, 0, 2, 2, 0x1f, 0x90, 0xc3, 0x50};
  const uint64_t base = crypto_siphash24(kSipHashRefKey, msg, sizeof(msg));
  for (int bit = 0; bit < 8 * CRYPTO_SIPHASH_KEY_SIZE; bit++) {
    uint8_t key[CRYPTO_SIPHASH_KEY_SIZE];
    memcpy(key, kSipHashRefKey, sizeof(key));
    key[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    EXPECT_NE(crypto_siphash24(key, msg, sizeof(msg)), base) << "key bit " << bit;
  }
}

}  // namespace
