// vnet's SHA-256 against FIPS 180-2 example digests and Python-independent cross checks: the
// portable and the SHA-NI compression must agree on every split of the input.
#include "tools/vnet/vnet_sha256.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string Hash(const std::vector<uint8_t>& d, size_t piece) {
  vnet_sha256 s;
  vnet_sha256_init(&s);
  for (size_t off = 0; off < d.size(); off += piece) {
    size_t n = d.size() - off < piece ? d.size() - off : piece;
    vnet_sha256_update(&s, d.data() + off, n);
  }
  char hex[65];
  vnet_sha256_hex(&s, hex);
  return hex;
}

std::vector<uint8_t> Bytes(const std::string& s) { return {s.begin(), s.end()}; }

class Sha256 : public ::testing::TestWithParam<bool> {
 protected:
  // On a CPU without SHA instructions both instances check the portable code.
  void SetUp() override { vnet_sha256_use_accel(GetParam()); }
  void TearDown() override { vnet_sha256_use_accel(true); }
};

TEST_P(Sha256, KnownAnswers) {
  EXPECT_EQ(Hash({}, 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hash(Bytes("abc"), 1),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hash(Bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), 7),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::vector<uint8_t> a(1000000, 'a');
  EXPECT_EQ(Hash(a, 65536), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Hash(a, 999), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

INSTANTIATE_TEST_SUITE_P(Paths, Sha256, ::testing::Values(false, true));

TEST(Sha256Paths, ForcedPortableIsOff) { EXPECT_FALSE(vnet_sha256_use_accel(false)); }

// Every split of one input gives one digest, whichever compression runs.
TEST(Sha256Paths, AcceleratedMatchesPortable) {
  std::vector<uint8_t> d(100003);
  for (size_t i = 0; i < d.size(); i++) d[i] = static_cast<uint8_t>(i % 251);
  for (size_t piece : {1u, 63u, 64u, 65u, 4096u, 100003u}) {
    vnet_sha256_use_accel(true);
    std::string fast = Hash(d, piece);
    vnet_sha256_use_accel(false);
    EXPECT_EQ(fast, Hash(d, piece)) << "piece " << piece;
  }
  vnet_sha256_use_accel(true);
}

}  // namespace
