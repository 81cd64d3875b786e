// ALPN lists a program may pass to SYS_TLS_CREATE.
#include "kernel/tls/ktls_check.h"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(KtlsAlpn, AcceptsCommaSeparatedNames) {
  EXPECT_TRUE(ktls_alpn_valid("h2,http/1.1", 128));
  EXPECT_TRUE(ktls_alpn_valid("x", 128));
  EXPECT_TRUE(ktls_alpn_valid(std::string(255, 'a').c_str(), 1024));
}

TEST(KtlsAlpn, RejectsEmptyItemsSpacesAndOversize) {
  EXPECT_FALSE(ktls_alpn_valid(nullptr, 128));
  EXPECT_FALSE(ktls_alpn_valid("", 128));
  EXPECT_FALSE(ktls_alpn_valid("h2,", 128));
  EXPECT_FALSE(ktls_alpn_valid(",h2", 128));
  EXPECT_FALSE(ktls_alpn_valid("h2,,x", 128));
  EXPECT_FALSE(ktls_alpn_valid("h 2", 128));
  EXPECT_FALSE(ktls_alpn_valid("h2\x7f", 128));
  // Longer than the caller's bound, or one name over 255 bytes.
  EXPECT_FALSE(ktls_alpn_valid("h2,http/1.1", 5));
  EXPECT_FALSE(ktls_alpn_valid(std::string(256, 'a').c_str(), 1024));
}

}  // namespace
