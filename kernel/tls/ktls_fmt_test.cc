// The kernel TLS client's pure helpers: certificate dates and names as SYS_TLS_INFO reports
// them, ALPN list validation, and the reason each wolfSSL failure maps to.
#include "kernel/tls/ktls_fmt.h"

#include <gtest/gtest.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>

#include <string>
#include <vector>

#include "kernel/abi/syscalls.h"

namespace {

std::vector<uint8_t> Blob(uint8_t tag, const std::string &text) {
  std::vector<uint8_t> v = {tag, static_cast<uint8_t>(text.size())};
  v.insert(v.end(), text.begin(), text.end());
  return v;
}

std::string Time(const std::vector<uint8_t> &b, int *rc = nullptr) {
  char out[32];
  int r = ktls_fmt_time(b.data(), b.size(), out, sizeof(out));
  if (rc) *rc = r;
  return out;
}

TEST(KtlsFmtTime, UtcTimeAndGeneralizedTime) {
  EXPECT_EQ(Time(Blob(0x17, "260101000000Z")), "2026-01-01 00:00:00 UTC");
  // RFC 5280: two-digit years from 50 are 19xx.
  EXPECT_EQ(Time(Blob(0x17, "991231235959Z")), "1999-12-31 23:59:59 UTC");
  EXPECT_EQ(Time(Blob(0x18, "20510704123456Z")), "2051-07-04 12:34:56 UTC");
}

TEST(KtlsFmtTime, RejectsWhatIsNotADate) {
  int rc = 0;
  EXPECT_EQ(Time(Blob(0x17, "2601010000Z"), &rc), "?");  // too short for UTCTime
  EXPECT_EQ(rc, -1);
  EXPECT_EQ(Time(Blob(0x17, "26010100000aZ"), &rc), "?");
  EXPECT_EQ(Time(Blob(0x17, "261301000000Z"), &rc), "?");  // month 13
  EXPECT_EQ(Time(Blob(0x17, "260101000000+"), &rc), "?");
  EXPECT_EQ(Time(Blob(0x04, "260101000000Z"), &rc), "?");  // not a time tag
  // The length byte claims more than arrived.
  std::vector<uint8_t> b = Blob(0x17, "260101000000Z");
  b.pop_back();
  EXPECT_EQ(Time(b, &rc), "?");
  EXPECT_EQ(rc, -1);
  char small[10];
  std::vector<uint8_t> ok = Blob(0x17, "260101000000Z");
  EXPECT_EQ(ktls_fmt_time(ok.data(), ok.size(), small, sizeof(small)), -1);
  EXPECT_STREQ(small, "");
}

std::string Name(const std::string &in, size_t cap = 256) {
  std::vector<char> out(cap);
  ktls_fmt_name(in.c_str(), in.size(), out.data(), cap);
  return out.data();
}

TEST(KtlsFmtName, Rfc4514OrderMostSpecificFirst) {
  EXPECT_EQ(Name("/C=US/O=Let's Encrypt/CN=R3"), "CN=R3, O=Let's Encrypt, C=US");
  EXPECT_EQ(Name("/CN=localhost"), "CN=localhost");
  // A '/' inside a value is not a separator.
  EXPECT_EQ(Name("/O=A/B Corp/CN=x"), "CN=x, O=A/B Corp");
  EXPECT_EQ(Name(""), "");
}

TEST(KtlsFmtName, TruncatesToTheBuffer) {
  EXPECT_EQ(Name("/C=US/CN=abcdefgh", 8), "CN=abcd");
  EXPECT_EQ(Name("/C=US/CN=abcdefgh", 1), "");
}

TEST(KtlsAlpn, Validates) {
  EXPECT_TRUE(ktls_alpn_valid("h2,http/1.1", 128));
  EXPECT_TRUE(ktls_alpn_valid("x", 128));
  EXPECT_FALSE(ktls_alpn_valid("", 128));
  EXPECT_FALSE(ktls_alpn_valid("h2,", 128));
  EXPECT_FALSE(ktls_alpn_valid(",h2", 128));
  EXPECT_FALSE(ktls_alpn_valid("h2,,x", 128));
  EXPECT_FALSE(ktls_alpn_valid("h 2", 128));
  EXPECT_FALSE(ktls_alpn_valid("h2,http/1.1", 5));
  EXPECT_FALSE(ktls_alpn_valid(std::string(256, 'a').c_str(), 1024));
  EXPECT_TRUE(ktls_alpn_valid(std::string(255, 'a').c_str(), 1024));
}

TEST(KtlsReason, EachFailureHasItsOwnReason) {
  EXPECT_EQ(ktls_reason(FATAL_ERROR, ASN_NO_SIGNER_E, -1), VDOS_ETLS_UNKNOWN_CA);
  EXPECT_EQ(ktls_reason(FATAL_ERROR, DOMAIN_NAME_MISMATCH, -1), VDOS_ETLS_NAME_MISMATCH);
  EXPECT_EQ(ktls_reason(FATAL_ERROR, ASN_AFTER_DATE_E, -1), VDOS_ETLS_EXPIRED);
  EXPECT_EQ(ktls_reason(FATAL_ERROR, ASN_BEFORE_DATE_E, -1), VDOS_ETLS_NOT_YET_VALID);
  EXPECT_EQ(ktls_reason(FATAL_ERROR, ASN_SIG_CONFIRM_E, -1), VDOS_ETLS_BAD_CERT);
  // Without the callback's record, the returned error still names the reason.
  EXPECT_EQ(ktls_reason(DOMAIN_NAME_MISMATCH, 0, -1), VDOS_ETLS_NAME_MISMATCH);
  EXPECT_EQ(ktls_reason(ASN_NO_SIGNER_E, 0, -1), VDOS_ETLS_UNKNOWN_CA);
  // A TLS 1.2-only server: an old ServerHello, or a protocol_version (70) alert.
  EXPECT_EQ(ktls_reason(VERSION_ERROR, 0, -1), VDOS_ETLS_VERSION);
  EXPECT_EQ(ktls_reason(FATAL_ERROR, 0, 70), VDOS_ETLS_VERSION);
  EXPECT_EQ(ktls_reason(FATAL_ERROR, 0, 40), VDOS_ETLS_HANDSHAKE);
  EXPECT_EQ(ktls_reason(SOCKET_PEER_CLOSED_E, 0, -1), VDOS_ETLS_TRUNCATED);
  EXPECT_EQ(ktls_reason(VERIFY_MAC_ERROR, 0, -1), VDOS_ETLS_HANDSHAKE);
}

TEST(KtlsNames, SuitesAndGroups) {
  EXPECT_STREQ(ktls_suite_name(0x13, 0x01), "TLS_AES_128_GCM_SHA256");
  EXPECT_STREQ(ktls_suite_name(0x13, 0x02), "TLS_AES_256_GCM_SHA384");
  EXPECT_STREQ(ktls_suite_name(0x13, 0x03), "TLS_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(ktls_suite_name(0xc0, 0x2f), nullptr);
  EXPECT_STREQ(ktls_group_name(29), "X25519");
  EXPECT_STREQ(ktls_group_name(23), "P-256");
  EXPECT_EQ(ktls_group_name(25), nullptr);
}

}  // namespace
