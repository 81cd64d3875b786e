// The generated trust store against the package it came from and against wolfSSL as configured
// for ViperDOS: every root is there, well-formed, loadable, and verifies its own signature.
#include "crypto/roots/roots.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/settings.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>

#include "crypto/roots/roots_expected.h"

namespace {

constexpr char kBegin[] = "-----BEGIN CERTIFICATE-----";

class Roots : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(wolfSSL_Init(), WOLFSSL_SUCCESS); }
};

TEST_F(Roots, CountAndVersionMatchThePackage) {
  EXPECT_EQ(viper_roots_count, static_cast<unsigned>(ROOTS_EXPECTED_COUNT));
  EXPECT_STREQ(viper_roots_version, ROOTS_EXPECTED_VERSION);
  // Mozilla's TLS store has well over a hundred roots; a handful would mean a broken extraction.
  EXPECT_GT(viper_roots_count, 100u);
}

TEST_F(Roots, IndexTilesTheBundleExactly) {
  const std::string pem(reinterpret_cast<const char *>(viper_roots_pem), viper_roots_pem_len);
  size_t begins = 0;
  for (size_t at = pem.find(kBegin); at != std::string::npos; at = pem.find(kBegin, at + 1)) {
    ++begins;
  }
  EXPECT_EQ(begins, viper_roots_count);

  size_t next = 0;
  std::set<std::string> names;
  for (unsigned i = 0; i < viper_roots_count; ++i) {
    const viper_root &r = viper_roots[i];
    ASSERT_EQ(r.pem_offset, next) << r.name;
    ASSERT_LE(r.pem_offset + r.pem_len, viper_roots_pem_len) << r.name;
    EXPECT_EQ(pem.compare(r.pem_offset, strlen(kBegin), kBegin), 0) << r.name;
    EXPECT_TRUE(names.insert(r.name).second) << "duplicate " << r.name;
    next = r.pem_offset + r.pem_len;
  }
  EXPECT_EQ(next, viper_roots_pem_len);
}

TEST_F(Roots, WolfSslLoadsTheWholeBundleInOneCall) {
  WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfTLSv1_3_client_method());
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(wolfSSL_CTX_load_verify_buffer(
                ctx, viper_roots_pem, static_cast<long>(viper_roots_pem_len), WOLFSSL_FILETYPE_PEM),
            WOLFSSL_SUCCESS);
  wolfSSL_CTX_free(ctx);
}

// Runs `openssl x509 -checkend 0` on one PEM block: true when openssl says it has expired. An
// opinion independent of wolfSSL's date handling.
bool OpensslSaysExpired(const unsigned char *pem, size_t len) {
  const char *base = getenv("TEST_TMPDIR");
  std::string path = std::string(base != nullptr ? base : "/tmp") + "/root.pem";
  FILE *f = fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool written = fwrite(pem, 1, len, f) == len;
  if (fclose(f) != 0 || !written) return false;
  std::string cmd = "openssl x509 -noout -checkend 0 -in '" + path + "' >/dev/null";
  int status = std::system(cmd.c_str());
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 1;
}

// Each root alone: loads as a CA, and (self-signed) verifies against a store holding only itself,
// which exercises its key type and signature algorithm in our wolfSSL build (RSA 2048/4096, ECDSA
// P-256/P-384, SHA-1/256/384 signatures). Debian keeps a root until Mozilla drops it, which can be
// after it expired (Baltimore CyberTrust Root, May 2025): wolfSSL refuses such a root as a trust
// anchor ("expired"), and openssl must agree that it has.
TEST_F(Roots, EveryRootLoadsAndVerifiesItself) {
  unsigned ok = 0, expired = 0;
  for (unsigned i = 0; i < viper_roots_count; ++i) {
    const viper_root &r = viper_roots[i];
    const unsigned char *pem = viper_roots_pem + r.pem_offset;
    WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfTLSv1_3_client_method());
    ASSERT_NE(ctx, nullptr);
    int load = wolfSSL_CTX_load_verify_buffer(ctx, pem, static_cast<long>(r.pem_len),
                                              WOLFSSL_FILETYPE_PEM);
    if (load == WOLFSSL_SUCCESS) {
      int verify = wolfSSL_CertManagerVerifyBuffer(
          wolfSSL_CTX_GetCertManager(ctx), pem, static_cast<long>(r.pem_len), WOLFSSL_FILETYPE_PEM);
      EXPECT_EQ(verify, WOLFSSL_SUCCESS) << r.name;
      if (verify == WOLFSSL_SUCCESS) ++ok;
    } else if (load == ASN_AFTER_DATE_E) {
      EXPECT_TRUE(OpensslSaysExpired(pem, r.pem_len)) << r.name;
      ++expired;
    } else {
      ADD_FAILURE() << r.name << ": load " << load;
    }
    wolfSSL_CTX_free(ctx);
  }
  EXPECT_EQ(ok + expired, viper_roots_count);
  // A store that is mostly expired would be a stale pin, not a store.
  EXPECT_LT(expired * 10, viper_roots_count);
}

}  // namespace
