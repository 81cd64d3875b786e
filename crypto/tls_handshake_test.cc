// wolfSSL (as configured for ViperDOS) against a real peer: `openssl s_server -tls1_3` on
// 127.0.0.1, with a CA and server certificates the test generates itself. Covers a full TLS 1.3
// handshake with SNI and hostname verification, application data both ways, session-ticket
// resumption, an RSA-4096 root and an Ed25519 leaf, and the failures that must happen: a
// certificate for another host, an unknown CA, an expired certificate, a client without SNI.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/settings.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "crypto/tls_test_util.h"

namespace {

constexpr char kHost[] = "server.viperdos.test";
constexpr char kOtherHost[] = "other.viperdos.test";

using tls_test::ReadFile;

// Certificates for all cases, generated once per test binary with the system's openssl:
//   ca        ECDSA P-256 root that the client trusts
//   ca_rsa    RSA-4096 root that the client trusts (like many public roots)
//   rogue_ca  another root the client does not know
//   server    RSA-2048 leaf for kHost from ca (exercises RSA-PSS signatures in TLS 1.3)
//   server384 ECDSA P-384 leaf for kHost from ca
//   rsachain  RSA-2048 leaf for kHost from ca_rsa (RSA-4096 signature verification)
//   ed25519   Ed25519 leaf for kHost from ca
//   expired   leaf for kHost from ca whose validity ends the second it is issued
//   other     leaf for kOtherHost from ca
//   rogue     leaf for kHost from rogue_ca
class Pki : public tls_test::PkiBuilder {
 public:
  Pki() : PkiBuilder("") {}

  bool Generate() {
    using tls_test::kKeyP256;
    bool ok = Init("tls") && Root("ca", kKeyP256, "ViperDOS Test CA") &&
              Root("ca_rsa", tls_test::kKeyRsa4096, "ViperDOS RSA CA") &&
              Root("rogue_ca", kKeyP256, "Rogue CA") &&
              Leaf("server", tls_test::kKeyRsa2048, kHost, "ca") &&
              Leaf("server384", tls_test::kKeyP384, kHost, "ca") &&
              Leaf("rsachain", tls_test::kKeyRsa2048, kHost, "ca_rsa") &&
              Leaf("ed25519", tls_test::kKeyEd25519, kHost, "ca") &&
              Leaf("other", kKeyP256, kOtherHost, "ca") &&
              Leaf("rogue", kKeyP256, kHost, "rogue_ca");
    // Last, so that it is already expired by the time a test looks at it (see
    // ExpiredCertificateFails).
    expired_issued_at_ = time(nullptr);
    return ok && Leaf("expired", kKeyP256, kHost, "ca", 0);
  }
  time_t expired_issued_at() const { return expired_issued_at_; }

 private:
  time_t expired_issued_at_ = 0;
};

// `openssl s_server -tls1_3 -rev` on 127.0.0.1 with a kernel-chosen port: it answers each line
// with the line reversed, which proves application data went both ways intact.
class Server {
 public:
  ~Server() { Stop(); }

  bool Start(const std::vector<std::string> &extra_args, std::string *error) {
    std::vector<std::string> args = {"openssl", "s_server", "-accept",  "127.0.0.1:0",
                                     "-tls1_3", "-rev",     "-naccept", "16"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    int out[2];
    if (pipe(out) != 0) {
      *error = "pipe failed";
      return false;
    }
    pid_ = fork();
    if (pid_ < 0) {
      *error = "fork failed";
      return false;
    }
    if (pid_ == 0) {
      // Never outlive the test, even if it crashes.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      int devnull = open("/dev/null", O_RDONLY);
      dup2(devnull, 0);
      dup2(out[1], 1);
      dup2(out[1], 2);
      close(out[0]);
      std::vector<char *> argv;
      for (auto &a : args) argv.push_back(const_cast<char *>(a.c_str()));
      argv.push_back(nullptr);
      execvp(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_fd_ = out[0];
    // Wait (bounded) for "ACCEPT 127.0.0.1:<port>".
    for (int waited_ms = 0; waited_ms < 10000;) {
      struct pollfd p = {out_fd_, POLLIN, 0};
      int r = poll(&p, 1, 100);
      waited_ms += 100;
      if (r <= 0) continue;
      char buf[512];
      ssize_t n = read(out_fd_, buf, sizeof(buf));
      if (n <= 0) break;
      output_.append(buf, static_cast<size_t>(n));
      size_t at = output_.find("ACCEPT 127.0.0.1:");
      size_t eol = at == std::string::npos ? at : output_.find('\n', at);
      if (eol != std::string::npos) {
        port_ = atoi(output_.c_str() + at + strlen("ACCEPT 127.0.0.1:"));
        if (port_ > 0 && port_ < 65536) return true;
        break;
      }
    }
    *error = "s_server did not start listening: " + output_;
    return false;
  }

  void Stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    if (out_fd_ >= 0) close(out_fd_);
    out_fd_ = -1;
  }

  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int port_ = 0;
  std::string output_;
};

// wolfSSL is built with WOLFSSL_USER_IO: bytes move through these callbacks, as they will over
// the ViperDOS TCP stack.
int RecvCb(WOLFSSL *, char *buf, int sz, void *ctx) {
  int fd = *static_cast<int *>(ctx);
  for (;;) {
    ssize_t n = recv(fd, buf, static_cast<size_t>(sz), 0);
    if (n > 0) return static_cast<int>(n);
    if (n == 0) return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return WOLFSSL_CBIO_ERR_TIMEOUT;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
}

int SendCb(WOLFSSL *, char *buf, int sz, void *ctx) {
  int fd = *static_cast<int *>(ctx);
  for (;;) {
    ssize_t n = send(fd, buf, static_cast<size_t>(sz), MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    if (errno == EPIPE || errno == ECONNRESET) return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
}

int ConnectTcp(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  // A hung peer must fail the test, not stall it.
  struct timeval tv = {10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  struct sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<struct sockaddr *>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

class TlsHandshakeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(wolfSSL_Init(), WOLFSSL_SUCCESS);
    bool ok = false;
    pki_ = &tls_test::SharedPki<Pki>(&ok);
    ASSERT_TRUE(ok) << "openssl failed, see " << pki_->log() << ":\n" << ReadFile(pki_->log());
  }
  static void TearDownTestSuite() {
    pki_ = nullptr;
    wolfSSL_Cleanup();
  }

  void SetUp() override {
    ctx_ = wolfSSL_CTX_new(wolfTLSv1_3_client_method());
    ASSERT_NE(ctx_, nullptr);
    for (const char *name : {"ca", "ca_rsa"}) {
      std::string ca = ReadFile(pki_->Cert(name));
      ASSERT_FALSE(ca.empty());
      ASSERT_EQ(
          wolfSSL_CTX_load_verify_buffer(ctx_, reinterpret_cast<const unsigned char *>(ca.data()),
                                         static_cast<long>(ca.size()), WOLFSSL_FILETYPE_PEM),
          WOLFSSL_SUCCESS)
          << name;
    }
    wolfSSL_CTX_set_verify(ctx_, WOLFSSL_VERIFY_PEER, nullptr);
    wolfSSL_CTX_SetIORecv(ctx_, RecvCb);
    wolfSSL_CTX_SetIOSend(ctx_, SendCb);
  }

  void TearDown() override {
    Disconnect();
    if (ctx_ != nullptr) wolfSSL_CTX_free(ctx_);
  }

  void StartServer(const std::string &leaf, std::vector<std::string> extra = {}) {
    extra.insert(extra.end(), {"-cert", pki_->Cert(leaf), "-key", pki_->Key(leaf)});
    std::string error;
    ASSERT_TRUE(server_.Start(extra, &error)) << error;
  }

  // TCP connect + wolfSSL_connect as `host` (SNI on request). Returns wolfSSL_connect's result;
  // *err gets wolfSSL_get_error() on failure.
  int Connect(const char *host, bool sni, int *err, WOLFSSL_SESSION *resume = nullptr) {
    Disconnect();
    fd_ = ConnectTcp(server_.port());
    if (fd_ < 0) {
      ADD_FAILURE() << "TCP connect to port " << server_.port() << " failed";
      return WOLFSSL_FATAL_ERROR;
    }
    ssl_ = wolfSSL_new(ctx_);
    if (ssl_ == nullptr) {
      ADD_FAILURE() << "wolfSSL_new failed";
      return WOLFSSL_FATAL_ERROR;
    }
    wolfSSL_SetIOReadCtx(ssl_, &fd_);
    wolfSSL_SetIOWriteCtx(ssl_, &fd_);
    EXPECT_EQ(wolfSSL_check_domain_name(ssl_, host), WOLFSSL_SUCCESS);
    if (sni) {
      EXPECT_EQ(wolfSSL_UseSNI(ssl_, WOLFSSL_SNI_HOST_NAME, host,
                               static_cast<unsigned short>(strlen(host))),
                WOLFSSL_SUCCESS);
    }
    if (resume != nullptr) EXPECT_EQ(wolfSSL_set_session(ssl_, resume), WOLFSSL_SUCCESS);
    int ret = wolfSSL_connect(ssl_);
    *err = ret == WOLFSSL_SUCCESS ? 0 : wolfSSL_get_error(ssl_, ret);
    return ret;
  }

  // Sends one line, expects it back reversed (s_server -rev).
  void ExpectEcho(const std::string &line) {
    std::string msg = line + "\n";
    ASSERT_EQ(wolfSSL_write(ssl_, msg.data(), static_cast<int>(msg.size())),
              static_cast<int>(msg.size()));
    std::string want(line.rbegin(), line.rend());
    want += "\n";
    std::string got;
    char buf[256];
    while (got.size() < want.size()) {
      int n = wolfSSL_read(ssl_, buf, sizeof(buf));
      ASSERT_GT(n, 0) << "read failed, error " << wolfSSL_get_error(ssl_, n);
      got.append(buf, static_cast<size_t>(n));
    }
    EXPECT_EQ(got, want);
  }

  void Disconnect() {
    if (ssl_ != nullptr) {
      wolfSSL_shutdown(ssl_);
      wolfSSL_free(ssl_);
      ssl_ = nullptr;
    }
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

  static Pki *pki_;
  Server server_;
  WOLFSSL_CTX *ctx_ = nullptr;
  WOLFSSL *ssl_ = nullptr;
  int fd_ = -1;
};

Pki *TlsHandshakeTest::pki_ = nullptr;

// Handshakes that must succeed: the server's certificate (signature algorithm, chain), suite and
// key-exchange group, the suite wolfSSL reports, then data both ways.
struct HandshakeCase {
  const char *name;
  const char *leaf;         // the server's certificate and key in the Pki
  const char *suite;        // s_server -ciphersuites, nullptr: its default
  const char *group;        // s_server -groups, nullptr: its default
  const char *want_cipher;  // wolfSSL's name of the suite, nullptr: any
};

const HandshakeCase kHandshakeCases[] = {
    // RSA-PSS signatures in TLS 1.3.
    {"RsaServerAesGcm", "server", "TLS_AES_128_GCM_SHA256", "X25519", "TLS13-AES128-GCM-SHA256"},
    {"EcdsaP384ServerChaChaP256KeyShare", "server384", "TLS_CHACHA20_POLY1305_SHA256", "P-256",
     "TLS13-CHACHA20-POLY1305-SHA256"},
    {"Aes256GcmP384KeyShare", "server", "TLS_AES_256_GCM_SHA384", "P-384",
     "TLS13-AES256-GCM-SHA384"},
    // An RSA-4096 signature to verify on the chain.
    {"Rsa4096RootChain", "rsachain", nullptr, nullptr, nullptr},
    {"Ed25519ServerCertificate", "ed25519", nullptr, nullptr, nullptr},
};

class TlsHandshakeCaseTest : public TlsHandshakeTest,
                             public ::testing::WithParamInterface<HandshakeCase> {};

TEST_P(TlsHandshakeCaseTest, HandshakeAndData) {
  const HandshakeCase &c = GetParam();
  std::vector<std::string> args;
  if (c.suite != nullptr) args.insert(args.end(), {"-ciphersuites", c.suite});
  if (c.group != nullptr) args.insert(args.end(), {"-groups", c.group});
  ASSERT_NO_FATAL_FAILURE(StartServer(c.leaf, args));
  int err = 0;
  ASSERT_EQ(Connect(kHost, true, &err), WOLFSSL_SUCCESS) << "error " << err;
  EXPECT_STREQ(wolfSSL_get_version(ssl_), "TLSv1.3");
  if (c.want_cipher != nullptr) EXPECT_STREQ(wolfSSL_get_cipher_name(ssl_), c.want_cipher);
  ExpectEcho(std::string("hello from viperdos over ") + c.leaf);
  ExpectEcho(std::string(3000, 'x') + "end");  // more than one record's worth of plain TCP reads
}

INSTANTIATE_TEST_SUITE_P(Servers, TlsHandshakeCaseTest, ::testing::ValuesIn(kHandshakeCases),
                         [](const ::testing::TestParamInfo<HandshakeCase> &info) {
                           return std::string(info.param.name);
                         });

TEST_F(TlsHandshakeTest, SessionTicketResumption) {
  StartServer("server");
  int err = 0;
  ASSERT_EQ(Connect(kHost, true, &err), WOLFSSL_SUCCESS) << "error " << err;
  EXPECT_FALSE(wolfSSL_session_reused(ssl_));
  // In TLS 1.3 the ticket arrives after the handshake; the first read processes it.
  ExpectEcho("first");
  WOLFSSL_SESSION *session = wolfSSL_get1_session(ssl_);
  ASSERT_NE(session, nullptr);
  ASSERT_EQ(Connect(kHost, true, &err, session), WOLFSSL_SUCCESS) << "error " << err;
  EXPECT_TRUE(wolfSSL_session_reused(ssl_));
  ExpectEcho("resumed");
  wolfSSL_SESSION_free(session);
}

TEST_F(TlsHandshakeTest, CertificateForAnotherHostFailsHostnameCheck) {
  StartServer("other");
  int err = 0;
  EXPECT_NE(Connect(kHost, true, &err), WOLFSSL_SUCCESS);
  EXPECT_EQ(err, DOMAIN_NAME_MISMATCH);
}

TEST_F(TlsHandshakeTest, UnknownCaFails) {
  StartServer("rogue");
  int err = 0;
  EXPECT_NE(Connect(kHost, true, &err), WOLFSSL_SUCCESS);
  EXPECT_EQ(err, ASN_NO_SIGNER_E);
}

TEST_F(TlsHandshakeTest, ExpiredCertificateFails) {
  // Its notAfter is the second it was issued; make sure that second is over (bounded wait).
  while (time(nullptr) <= pki_->expired_issued_at() + 1) usleep(100 * 1000);
  StartServer("expired");
  int err = 0;
  EXPECT_NE(Connect(kHost, true, &err), WOLFSSL_SUCCESS);
  EXPECT_EQ(err, ASN_AFTER_DATE_E);
}

TEST_F(TlsHandshakeTest, SniSelectsTheServerCertificate) {
  // The server's default certificate names another host; only a client that sends SNI for kHost
  // gets the right one. Proves wolfSSL_UseSNI really puts the name on the wire.
  StartServer("other",
              {"-servername", kHost, "-cert2", pki_->Cert("server"), "-key2", pki_->Key("server")});
  int err = 0;
  ASSERT_EQ(Connect(kHost, true, &err), WOLFSSL_SUCCESS) << "error " << err;
  ExpectEcho("with sni");
  EXPECT_NE(Connect(kHost, false, &err), WOLFSSL_SUCCESS);
  EXPECT_EQ(err, DOMAIN_NAME_MISMATCH);
}

}  // namespace
