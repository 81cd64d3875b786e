// libFuzzer target: the fuzzer's bytes are everything a (hostile) server sends. A client set up
// exactly like libtls's (crypto_tls_ctx_new + crypto_tls_setup: TLS 1.3 only, our suites and
// groups, built-in roots, SNI, name check, ALPN) runs its handshake, and reads if the handshake
// somehow completes, with wolfSSL's I/O callbacks fed from the input — so the record layer,
// handshake parsing (ServerHello, HelloRetryRequest, extensions, encrypted records, alerts) and
// our error classification and messages all see arbitrary input. Nothing touches the network.
//
// Input layout: byte 0 chooses how many bytes each recv callback may return at most (1..256),
// so records also arrive split at every boundary; the rest is the server's byte stream.
#define _GNU_SOURCE 1  // strnlen
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// clang-format off
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
// clang-format on

#include "crypto/tls/tls_common.h"
#include "tools/fuzz/fuzz_seeds.h"

// Bounds the reads after a (very unlikely) completed handshake: every loop must end.
#define FUZZ_MAX_READS 64

struct feed {
  const uint8_t *p;
  size_t left;
  size_t chunk;
};

static int feed_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  struct feed *f = ctx;
  if (f->left == 0) return WOLFSSL_CBIO_ERR_CONN_CLOSE;
  size_t n = f->left < f->chunk ? f->left : f->chunk;
  if (n > (size_t)sz) n = (size_t)sz;
  memcpy(buf, f->p, n);
  f->p += n;
  f->left -= n;
  return (int)n;
}

// Whatever the client sends is dropped (the "server" has already said everything it will say).
static int sink_send(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  (void)buf;
  (void)ctx;
  return sz;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static WOLFSSL_CTX *ctx;
  if (ctx == NULL) {
    if (wolfSSL_Init() != WOLFSSL_SUCCESS) return 0;
    ctx = crypto_tls_ctx_new();
    if (ctx == NULL) return 0;
  }
  if (size < 1) return 0;
  struct feed f = {data + 1, size - 1, (size_t)data[0] + 1};
  WOLFSSL *ssl = wolfSSL_new(ctx);
  if (ssl == NULL) return 0;
  wolfSSL_SSLSetIORecv(ssl, feed_recv);
  wolfSSL_SSLSetIOSend(ssl, sink_send);
  wolfSSL_SetIOReadCtx(ssl, &f);
  wolfSSL_SetIOWriteCtx(ssl, &f);
  struct crypto_tls_verify v = {.enforce = 1};
  if (crypto_tls_setup(ssl, "localhost", &v, "h2,http/1.1") != WOLFSSL_SUCCESS) {
    wolfSSL_free(ssl);
    return 0;
  }
  int done = 0;
  int r = wolfSSL_connect(ssl);
  int err = 0;
  if (r == WOLFSSL_SUCCESS) {
    done = 1;
    struct crypto_tls_info info;
    crypto_tls_get_info(ssl, &info);
    char buf[512];
    for (int i = 0; i < FUZZ_MAX_READS; i++) {
      r = wolfSSL_read(ssl, buf, (int)sizeof(buf));
      if (r <= 0) break;
    }
  }
  if (r <= 0) err = wolfSSL_get_error(ssl, r);
  // The error paths libtls and the kernel take: classification and the message (which reads
  // the peer certificate and alert history, whatever state the failure left behind).
  char msg[320];
  (void)crypto_tls_reason(ssl, err, done);
  crypto_tls_describe(ssl, err, done, "localhost", msg, sizeof(msg));
  // The message must always fit and be terminated, whatever the input.
  if (strnlen(msg, sizeof(msg)) == sizeof(msg)) __builtin_trap();
  wolfSSL_free(ssl);
  return 0;
}

// ---- seeds: well-formed server flights that reach deep paths.

// ServerHello choosing TLS 1.3, TLS_AES_128_GCM_SHA256 and X25519 (an arbitrary, non-zero
// public key), with the empty legacy session id our client sends; then a change_cipher_spec and
// an encrypted record that cannot decrypt.
static const uint8_t kServerHello[] = {
    0x10,                                            // chunk: 17 bytes per recv
    0x16, 0x03, 0x03, 0x00, 0x5a,                    // handshake record, 90 bytes
    0x02, 0x00, 0x00, 0x56,                          // ServerHello, 86 bytes
    0x03, 0x03,                                      // legacy_version
    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,  // random
    0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00, 0x10, 0x20, 0x30, 0x40, 0x50,
    0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0, 0xd0, 0xe0, 0xf0, 0x01,
    0x00,                                            // legacy_session_id_echo: empty
    0x13, 0x01,                                      // TLS_AES_128_GCM_SHA256
    0x00,                                            // compression
    0x00, 0x2e,                                      // extensions, 46 bytes
    0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,              // supported_versions: TLS 1.3
    0x00, 0x33, 0x00, 0x24, 0x00, 0x1d, 0x00, 0x20,  // key_share: X25519, 32 bytes
    0x09, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, 0x0f, 0x0e, 0x0d, 0x0c,
    0x0b, 0x0a, 0x19, 0x18, 0x17, 0x16, 0x15, 0x14, 0x13, 0x12, 0x11, 0x1f, 0x1e,
    0x1d, 0x1c, 0x1b, 0x1a, 0x2a, 0x29, 0x14, 0x03, 0x03, 0x00, 0x01, 0x01,  // change_cipher_spec
    0x17, 0x03, 0x03, 0x00, 0x15,  // application_data, 21 bytes
    0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef, 0xde,
    0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0x05,
};

// HelloRetryRequest (the special random of RFC 8446 4.1.3) asking for a P-256 key share.
static const uint8_t kHelloRetry[] = {
    0xff,                                            // chunk: 256 bytes per recv
    0x16, 0x03, 0x03, 0x00, 0x38,                    // handshake record, 56 bytes
    0x02, 0x00, 0x00, 0x34,                          // ServerHello (HRR), 52 bytes
    0x03, 0x03,                                      // legacy_version
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11,  // SHA-256("HelloRetryRequest")
    0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16,
    0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
    0x00,                                // legacy_session_id_echo: empty
    0x13, 0x02,                          // TLS_AES_256_GCM_SHA384
    0x00,                                // compression
    0x00, 0x0c,                          // extensions, 12 bytes
    0x00, 0x2b, 0x00, 0x02, 0x03, 0x04,  // supported_versions: TLS 1.3
    0x00, 0x33, 0x00, 0x02, 0x00, 0x17,  // key_share: wants secp256r1
};

// A TLS 1.2-only server's answer: a fatal protocol_version alert.
static const uint8_t kAlert[] = {0x00, 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46};

static const struct fuzz_seed kSeeds[] = {
    FUZZ_SEED(kServerHello),
    FUZZ_SEED(kHelloRetry),
    FUZZ_SEED(kAlert),
};

const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}
