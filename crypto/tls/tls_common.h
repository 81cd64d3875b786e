// The TLS 1.3 client policy of ViperDOS over wolfSSL, shared by the kernel's TLS sessions
// (kernel/tls) and libtls's host backend (user/libtls/tls_host.c), so both negotiate, verify,
// name errors and report sessions identically:
//
//   - crypto_tls_ctx_new: TLS 1.3 only; suites TLS_AES_128_GCM_SHA256,
//   TLS_CHACHA20_POLY1305_SHA256,
//     TLS_AES_256_GCM_SHA384; groups X25519 then P-256; the built-in roots (//crypto/roots).
//   - crypto_tls_setup: SNI, host name check, verification (or recording only, when the caller
//     turned it off), ALPN.
//   - crypto_tls_reason / crypto_tls_describe: a wolfSSL error as one of a few stable reasons and
//     a sentence ("certificate name mismatch: wanted wrong.example, certificate is for localhost").
//   - crypto_tls_get_info: protocol, suite, group, ALPN, peer certificate fields.
//   - crypto_tls_tickets_*: a bounded session-ticket cache keyed by host, port and trust settings.
//
// Needs no libc (the kernel has none): only wolfSSL and the caller's buffers. Not thread-safe:
// each cache and session belongs to one thread (the kernel's network thread, or a host program).
#ifndef CRYPTO_TLS_TLS_COMMON_H_
#define CRYPTO_TLS_TLS_COMMON_H_

#include <stddef.h>
#include <stdint.h>
// clang-format off
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
// clang-format on

#ifdef __cplusplus
extern "C" {
#endif

// ---- Tunables
// Session tickets kept at once (one per host/port/trust setting, least recently used evicted).
#define CRYPTO_TLS_TICKET_CACHE_ENTRIES 16
// Largest ticket we keep (OpenSSL-based servers send ~250 bytes); larger ones are not cached.
#define CRYPTO_TLS_TICKET_MAX 2048
#define CRYPTO_TLS_HOST_MAX 253
// Peer certificate names listed in a name-mismatch message.
#define CRYPTO_TLS_MISMATCH_NAMES_MAX 3
// Longest comma-separated ALPN list accepted (the extension itself allows 2^16-1 bytes; real
// lists are a few protocol names).
#define CRYPTO_TLS_ALPN_LIST_MAX 255

// Why a session failed; the same order as user/libtls/tls.h's TLS_ERR_* and the kernel ABI's
// VDOS_ETLS_* (200 + reason - 1), but each side maps explicitly.
enum crypto_tls_reason {
  CRYPTO_TLS_OK = 0,
  CRYPTO_TLS_UNKNOWN_CA,
  CRYPTO_TLS_NAME_MISMATCH,
  CRYPTO_TLS_EXPIRED,
  CRYPTO_TLS_NOT_YET_VALID,
  CRYPTO_TLS_BAD_CERT,
  CRYPTO_TLS_VERSION,    // server does not speak TLS 1.3
  CRYPTO_TLS_HANDSHAKE,  // any other protocol failure (alert, malformed record, ...)
  CRYPTO_TLS_TRUNCATED,  // TCP closed without close_notify (after the handshake)
  CRYPTO_TLS_IO,         // the transport failed (the I/O callback said so); caller has the details
  CRYPTO_TLS_NOMEM,
};

// The peer certificate and negotiated parameters. Field sizes match tls_info / vdos_tls_info.
struct crypto_tls_info {
  char protocol[16];  // "TLSv1.3"
  char cipher[48];    // "TLS_AES_128_GCM_SHA256"
  char group[24];     // "X25519", "P-256"; empty when resumed without a key exchange (psk_ke)
  char alpn[32];      // negotiated protocol, or empty
  int resumed;        // 1 when the session was resumed from a ticket
  char subject[256];  // "CN=localhost, O=Example, C=DE" (RFC 4514 order: most specific first)
  char issuer[256];
  char not_before[32];  // "2026-01-01 00:00:00 UTC"
  char not_after[32];
};

// Per-session verification state, owned by the caller for the lifetime of the WOLFSSL object.
struct crypto_tls_verify {
  int enforce;        // 1: a failure aborts the handshake. 0: recorded in `reason` only
  int reason;         // first certificate problem seen (enum crypto_tls_reason), 0 if none
  int wolfssl_error;  // the wolfSSL code behind `reason`
};

// A configured client context holding the built-in roots. NULL when out of memory (or wolfSSL
// refuses the configuration, which a test catches). wolfSSL_Init() must have been called.
WOLFSSL_CTX *crypto_tls_ctx_new(void);
// Adds trusted CA certificates (PEM) to ctx. Returns WOLFSSL_SUCCESS or a wolfSSL error.
int crypto_tls_ctx_add_ca(WOLFSSL_CTX *ctx, const unsigned char *pem, size_t len);

// Prepares ssl for a handshake with `host` (SNI + name check; may be NULL only when
// v->enforce is 0). alpn: comma-separated list or NULL. v must outlive ssl. Returns
// WOLFSSL_SUCCESS or a wolfSSL error.
int crypto_tls_setup(WOLFSSL *ssl, const char *host, struct crypto_tls_verify *v, const char *alpn);

// Classifies the error of a failed wolfSSL call: `err` is wolfSSL_get_error(ssl, ret) (or a
// wolfSSL error code); `handshake_done` tells a truncated stream from a server that hung up
// mid-handshake.
enum crypto_tls_reason crypto_tls_reason(WOLFSSL *ssl, int err, int handshake_done);

// Writes a sentence for the failure into out (always NUL-terminated when cap > 0), e.g.
// "certificate name mismatch: wanted wrong.example, certificate is for localhost". host may be
// NULL. Returns `out`.
char *crypto_tls_describe(WOLFSSL *ssl, int err, int handshake_done, const char *host, char *out,
                          size_t cap);

// Fills *out from a completed handshake (the certificate fields stay empty on a resumed
// session, where the server sends none; the ticket cache keeps the original's).
void crypto_tls_get_info(WOLFSSL *ssl, struct crypto_tls_info *out);

// ---- Session tickets
struct crypto_tls_ticket {
  char host[CRYPTO_TLS_HOST_MAX + 1];
  uint16_t port;
  uint8_t trust[32];  // SHA-256 of the extra CA PEM (zero when none) plus the verify flag
  WOLFSSL_SESSION *session;
  uint64_t last_used;
  // What the full handshake showed; a resumed session has no certificate to show.
  struct crypto_tls_info cert_info;
  int verify_reason;
};

struct crypto_tls_tickets {
  struct crypto_tls_ticket e[CRYPTO_TLS_TICKET_CACHE_ENTRIES];
  uint64_t clock;
};

// The trust key of a session: extra CA bytes (NULL/0 when none) and whether verification was on.
void crypto_tls_trust_key(const unsigned char *ca, size_t ca_len, int verify, uint8_t out[32]);
// Offers the cached ticket for (host, port, trust) to ssl before its handshake. Returns the entry
// used (for crypto_tls_tickets_resumed) or NULL when there is none.
const struct crypto_tls_ticket *crypto_tls_tickets_offer(struct crypto_tls_tickets *c, WOLFSSL *ssl,
                                                         const char *host, uint16_t port,
                                                         const uint8_t trust[32]);
// Keeps ssl's current session if it carries a ticket (TLS 1.3 tickets arrive after the
// handshake: call after reads and before closing). info/verify_reason are those of the full
// handshake (for a resumed session: those of the entry it resumed). Returns 1 if stored.
int crypto_tls_tickets_store(struct crypto_tls_tickets *c, WOLFSSL *ssl, const char *host,
                             uint16_t port, const uint8_t trust[32],
                             const struct crypto_tls_info *info, int verify_reason);
// Drops the ticket of (host, port, trust), e.g. after the server refused it.
void crypto_tls_tickets_forget(struct crypto_tls_tickets *c, const char *host, uint16_t port,
                               const uint8_t trust[32]);
void crypto_tls_tickets_clear(struct crypto_tls_tickets *c);

#ifdef __cplusplus
}
#endif

#endif  // CRYPTO_TLS_TLS_COMMON_H_
