// libtls: TLS 1.3 client sessions for ViperDOS programs, shaped after OpenBSD's libtls — an opaque
// session, secure defaults (certificate and host name verification on), one human-readable error
// string per session.
//
// Two implementations share this header: on ViperDOS the session lives in the kernel (SYS_TLS_*
// over a socket descriptor); on the host it runs in-process with the same wolfSSL configuration
// over POSIX sockets, so libraries above it (HTTP, SSH) are testable on the host.
#ifndef USER_LIBTLS_TLS_H_
#define USER_LIBTLS_TLS_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct tls_config {
  const char *hostname;     // SNI and the name to verify; required unless verify_cert is 0
  int verify_cert;          // tls_config_default(): 1. 0 only on explicit request (--insecure)
  unsigned int timeout_ms;  // per blocking call; 0 = wait forever
  const char *alpn;         // comma-separated ALPN protocols, or NULL
  const char *ca_file;      // extra trusted CA certificates (PEM file), or NULL
} tls_config_t;

// Field-by-field: { NULL, 1, 30000, NULL, NULL }.
tls_config_t tls_config_default(void);

struct tls;

struct tls_info {
  char protocol[16];  // "TLSv1.3"
  char cipher[48];
  char group[24];
  char alpn[32];
  int resumed;
  int verify_ok;  // 1 when the chain and name were verified
  char subject[256];
  char issuer[256];
  char not_before[32];
  char not_after[32];
  uint64_t handshake_ns;
};

// Wraps a connected TCP socket. The socket stays the caller's: tls_close() does not close it.
// Returns NULL only when out of memory or cfg is invalid (tls_error(NULL) says why).
struct tls *tls_new(int fd, const tls_config_t *cfg);
// Connects to host:port (name resolved), wraps the socket and completes the handshake. On failure
// returns NULL and tls_error(NULL) holds the reason, e.g. "certificate name mismatch: wanted
// wrong.example, certificate is for localhost".
struct tls *tls_connect(const char *host, uint16_t port, const tls_config_t *cfg);

// 0 on success, -1 on failure (tls_error(t)). Idempotent once complete.
int tls_handshake(struct tls *t);
// Bytes sent (all of len unless the timeout expired) or -1.
ssize_t tls_send(struct tls *t, const void *buf, size_t len);
// Bytes received, 0 at a clean close_notify, -1 on error (incl. truncation without close_notify).
ssize_t tls_recv(struct tls *t, void *buf, size_t len);
// Sends close_notify (best effort) and frees the session; closes the socket only if tls_connect
// opened it. Always frees; returns 0 or -1 if close_notify could not be sent.
int tls_close(struct tls *t);

// Last error of t (or of the last failed tls_new/tls_connect when t is NULL); "" if none.
const char *tls_error(const struct tls *t);
// Stable code of the last error: one of TLS_ERR_*.
int tls_error_code(const struct tls *t);
int tls_info(struct tls *t, struct tls_info *out);

enum {
  TLS_ERR_NONE = 0,
  TLS_ERR_UNKNOWN_CA,
  TLS_ERR_NAME_MISMATCH,
  TLS_ERR_EXPIRED,
  TLS_ERR_NOT_YET_VALID,
  TLS_ERR_BAD_CERT,
  TLS_ERR_VERSION,    // server lacks TLS 1.3
  TLS_ERR_HANDSHAKE,  // other handshake/protocol failure
  TLS_ERR_TRUNCATED,  // peer closed without close_notify
  TLS_ERR_TIMEOUT,
  TLS_ERR_IO,   // socket error (connection refused/reset, name not found)
  TLS_ERR_ARG,  // bad argument or configuration
  TLS_ERR_NOMEM,
};

#endif  // USER_LIBTLS_TLS_H_
