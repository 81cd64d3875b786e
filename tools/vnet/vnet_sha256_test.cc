// vnet's SHA-256 wrapper against FIPS 180-2 example digests and a pattern digest, over every split
// of the input (the wrapper must stream correctly whatever libcrypto does inside).
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

TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(Hash({}, 1), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hash(Bytes("abc"), 1),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hash(Bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), 7),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  std::vector<uint8_t> a(1000000, 'a');
  EXPECT_EQ(Hash(a, 65536), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(Hash(a, 999), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// The test pattern vnet transfers (byte i = i % 251), split every way a stream may arrive; the
// digest is Python hashlib's for the same bytes.
TEST(Sha256, PatternAnySplit) {
  std::vector<uint8_t> d(100003);
  for (size_t i = 0; i < d.size(); i++) d[i] = static_cast<uint8_t>(i % 251);
  for (size_t piece : {1u, 63u, 64u, 65u, 4096u, 100003u}) {
    EXPECT_EQ(Hash(d, piece), "635e9a7d2f64ce04a46b1503cbe287b8721795f215f4b8cf24b256908acaab1a")
        << "piece " << piece;
  }
}

}  // namespace
