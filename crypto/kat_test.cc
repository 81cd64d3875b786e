// Runs the known-answer suite (kat.c) on the host, one GoogleTest case per primitive.
#include "crypto/kat.h"

#include <gtest/gtest.h>

#include <string>

namespace {

class KatTest : public ::testing::TestWithParam<size_t> {};

TEST_P(KatTest, MatchesPublishedVectors) {
  const crypto_kat &kat = crypto_kats[GetParam()];
  EXPECT_EQ(kat.run(), 0) << kat.name << " failed at crypto/kat.c line " << kat.run();
}

INSTANTIATE_TEST_SUITE_P(All, KatTest, ::testing::Range<size_t>(0, crypto_kat_count),
                         [](const ::testing::TestParamInfo<size_t> &info) {
                           return std::string(crypto_kats[info.param].name);
                         });

TEST(KatSuite, CoversEveryRequiredPrimitive) {
  // The suite is the evidence for these algorithms on every platform; none may go missing.
  const char *required[] = {"sha1",   "sha256", "hmac_sha256", "aes128_ctr", "chacha20_poly1305",
                            "x25519", "ed25519"};
  for (const char *name : required) {
    bool found = false;
    for (size_t i = 0; i < crypto_kat_count; i++) found |= std::string(crypto_kats[i].name) == name;
    EXPECT_TRUE(found) << name;
  }
}

}  // namespace
