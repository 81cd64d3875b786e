// libtls on the host: the TLS 1.3 client runs in-process over a POSIX socket, with the same
// wolfSSL configuration and policy as the ViperDOS kernel (crypto/tls/tls_common.h), so programs
// and libraries above tls.h are testable on Linux against real servers.
//
// Blocking calls honour cfg->timeout_ms as a deadline per call (tls_handshake, tls_send,
// tls_recv), enforced in wolfSSL's I/O callbacks with poll(). TLS 1.3 session tickets arrive
// after the handshake; they are picked up by reads and, before close_notify, by a short bounded
// wait, and kept in one process-wide cache (crypto_tls_tickets) keyed by host, port and trust
// settings so that the next connection to the same server resumes.
#define _GNU_SOURCE 1  // getaddrinfo, MSG_NOSIGNAL, clock_gettime

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

// clang-format off
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
// clang-format on

#include "crypto/tls/tls_common.h"
#include "user/libtls/tls.h"
#include "user/libtls/tls_err.h"

// ---- Tunables
// Largest extra CA file read (a bundle of a few hundred roots is well under this).
#define TLS_CA_FILE_MAX (4u << 20)
// How long tls_close waits for a NewSessionTicket still in flight (the server sends it one round
// trip after our Finished). Only when none has arrived yet, and only once per session.
#define TLS_TICKET_WAIT_MS 100

struct tls {
  int fd;
  int own_fd;  // opened by tls_connect: tls_close closes it
  WOLFSSL_CTX *ctx;
  WOLFSSL *ssl;
  struct crypto_tls_verify verify;
  unsigned timeout_ms;
  char host[CRYPTO_TLS_HOST_MAX + 1];
  uint16_t port;
  uint8_t trust[32];
  // The ticket offered for resumption, and what its full handshake showed (copied: the cache
  // entry may be reused by another connection meanwhile).
  int offered;
  struct crypto_tls_info offered_info;
  int offered_reason;
  int done;             // handshake complete
  int ticket_stored;    // this session's ticket is in the cache
  int nonblocking;      // I/O callbacks: don't wait (post-handshake ticket pick-up)
  int64_t deadline_ms;  // of the current call; -1 = none
  // What the I/O callbacks saw, to tell a timeout or socket error from a protocol failure.
  int io_timeout;
  int io_errno;
  struct crypto_tls_info info;  // the full handshake's (cert fields kept across resumption)
  int verify_reason;
  uint64_t handshake_ns;
  struct tls_err e;  // this session's error (tls_error)
};

static struct crypto_tls_tickets g_tickets;
static int g_wolfssl_ready;

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void start_call(struct tls *t) {
  t->deadline_ms = t->timeout_ms != 0 ? now_ms() + t->timeout_ms : -1;
  t->io_timeout = 0;
  t->io_errno = 0;
}

// Waits for `events` on the socket within the call's deadline: 1 ready, 0 timed out, -1 error.
static int wait_fd(struct tls *t, short events) {
  for (;;) {
    int ms = -1;
    if (t->nonblocking) {
      ms = 0;
    } else if (t->deadline_ms >= 0) {
      int64_t left = t->deadline_ms - now_ms();
      ms = left > 0 ? (left > INT_MAX ? INT_MAX : (int)left) : 0;
    }
    struct pollfd p = {.fd = t->fd, .events = events};
    int r = poll(&p, 1, ms);
    if (r > 0) return 1;
    if (r == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  struct tls *t = ctx;
  int w = wait_fd(t, POLLIN);
  if (w == 0) {
    if (t->nonblocking) return WOLFSSL_CBIO_ERR_WANT_READ;
    t->io_timeout = 1;
    return WOLFSSL_CBIO_ERR_TIMEOUT;
  }
  if (w < 0) {
    t->io_errno = errno;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  for (;;) {
    ssize_t n = recv(t->fd, buf, (size_t)sz, 0);
    if (n > 0) return (int)n;
    if (n == 0) return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return WOLFSSL_CBIO_ERR_WANT_READ;
    t->io_errno = errno;
    return errno == ECONNRESET ? WOLFSSL_CBIO_ERR_CONN_RST : WOLFSSL_CBIO_ERR_GENERAL;
  }
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  struct tls *t = ctx;
  int saved = t->nonblocking;
  t->nonblocking = 0;  // writes always wait (within the deadline), even during ticket pick-up
  int w = wait_fd(t, POLLOUT);
  t->nonblocking = saved;
  if (w == 0) {
    t->io_timeout = 1;
    return WOLFSSL_CBIO_ERR_TIMEOUT;
  }
  if (w < 0) {
    t->io_errno = errno;
    return WOLFSSL_CBIO_ERR_GENERAL;
  }
  for (;;) {
    ssize_t n = send(t->fd, buf, (size_t)sz, MSG_NOSIGNAL);
    if (n >= 0) return (int)n;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return WOLFSSL_CBIO_ERR_WANT_WRITE;
    t->io_errno = errno;
    return (errno == ECONNRESET || errno == EPIPE) ? WOLFSSL_CBIO_ERR_CONN_RST
                                                   : WOLFSSL_CBIO_ERR_GENERAL;
  }
}

static int to_tls_err(enum crypto_tls_reason r) {
  switch (r) {
    case CRYPTO_TLS_OK:
      return TLS_ERR_NONE;
    case CRYPTO_TLS_UNKNOWN_CA:
      return TLS_ERR_UNKNOWN_CA;
    case CRYPTO_TLS_NAME_MISMATCH:
      return TLS_ERR_NAME_MISMATCH;
    case CRYPTO_TLS_EXPIRED:
      return TLS_ERR_EXPIRED;
    case CRYPTO_TLS_NOT_YET_VALID:
      return TLS_ERR_NOT_YET_VALID;
    case CRYPTO_TLS_BAD_CERT:
      return TLS_ERR_BAD_CERT;
    case CRYPTO_TLS_VERSION:
      return TLS_ERR_VERSION;
    case CRYPTO_TLS_TRUNCATED:
      return TLS_ERR_TRUNCATED;
    case CRYPTO_TLS_IO:
      return TLS_ERR_IO;
    case CRYPTO_TLS_NOMEM:
      return TLS_ERR_NOMEM;
    case CRYPTO_TLS_HANDSHAKE:
      break;
  }
  return TLS_ERR_HANDSHAKE;
}

// Records why a wolfSSL call failed: the transport's own report first (timeout, socket error),
// then a certificate problem the verify callback saw, then wolfSSL's error.
static void fail_wolfssl(struct tls *t, int ret) {
  int err = wolfSSL_get_error(t->ssl, ret);
  if (t->io_timeout) {
    tls_err_set(&t->e, TLS_ERR_TIMEOUT, "timed out after %u ms waiting for %s", t->timeout_ms,
                t->host[0] ? t->host : "the peer");
    return;
  }
  if (t->io_errno != 0) {
    tls_err_set(&t->e, TLS_ERR_IO, "connection to %s: %s", t->host[0] ? t->host : "the peer",
                strerror(t->io_errno));
    return;
  }
  if (t->verify.reason != CRYPTO_TLS_OK && !t->done) err = t->verify.wolfssl_error;
  char msg[TLS_ERR_MAX];
  crypto_tls_describe(t->ssl, err, t->done, t->host[0] ? t->host : NULL, msg, sizeof(msg));
  tls_err_set(&t->e, to_tls_err(crypto_tls_reason(t->ssl, err, t->done)), "%s", msg);
}

static void ensure_wolfssl(void) {
  if (!g_wolfssl_ready && wolfSSL_Init() == WOLFSSL_SUCCESS) g_wolfssl_ready = 1;
}

// Reads the extra CA file into memory (bounded): NULL with *why set on failure.
static unsigned char *read_ca_file(const char *path, size_t *len, int *why) {
  *why = 0;
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    *why = errno;
    return NULL;
  }
  unsigned char *buf = malloc(TLS_CA_FILE_MAX);
  size_t n = buf != NULL ? fread(buf, 1, TLS_CA_FILE_MAX, f) : 0;
  int too_big = buf != NULL && n == TLS_CA_FILE_MAX && fgetc(f) != EOF;
  int rerr = ferror(f);
  fclose(f);
  if (buf == NULL || rerr || too_big) {
    free(buf);
    *why = buf == NULL ? ENOMEM : too_big ? EFBIG : EIO;
    return NULL;
  }
  *len = n;
  return buf;
}

static void free_tls(struct tls *t) {
  if (t == NULL) return;
  if (t->ssl != NULL) wolfSSL_free(t->ssl);
  if (t->ctx != NULL) wolfSSL_CTX_free(t->ctx);
  if (t->own_fd && t->fd >= 0) close(t->fd);
  free(t);
}

struct tls *tls_new(int fd, const tls_config_t *cfg) {
  if (cfg == NULL || fd < 0) {
    tls_err_set(NULL, TLS_ERR_ARG, "tls_new: %s", cfg == NULL ? "no configuration" : "bad socket");
    return NULL;
  }
  if (cfg->verify_cert && (cfg->hostname == NULL || cfg->hostname[0] == '\0')) {
    tls_err_set(NULL, TLS_ERR_ARG, "a host name is required to verify the certificate");
    return NULL;
  }
  if (cfg->hostname != NULL && strlen(cfg->hostname) > CRYPTO_TLS_HOST_MAX) {
    tls_err_set(NULL, TLS_ERR_ARG, "host name longer than %d bytes", CRYPTO_TLS_HOST_MAX);
    return NULL;
  }
  ensure_wolfssl();
  struct tls *t = calloc(1, sizeof(*t));
  if (t == NULL) {
    tls_err_set(NULL, TLS_ERR_NOMEM, "out of memory");
    return NULL;
  }
  t->fd = fd;
  t->timeout_ms = cfg->timeout_ms;
  t->deadline_ms = -1;
  t->verify.enforce = cfg->verify_cert ? 1 : 0;
  if (cfg->hostname != NULL) snprintf(t->host, sizeof(t->host), "%s", cfg->hostname);
  // The ticket cache is keyed by port too; the socket knows it.
  struct sockaddr_storage ss;
  socklen_t sl = sizeof(ss);
  if (getpeername(fd, (struct sockaddr *)&ss, &sl) == 0) {
    if (ss.ss_family == AF_INET) t->port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6) t->port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
  }

  t->ctx = crypto_tls_ctx_new();
  if (t->ctx == NULL) {
    tls_err_set(NULL, TLS_ERR_NOMEM, "cannot set up the TLS context (out of memory)");
    free_tls(t);
    return NULL;
  }
  unsigned char *ca = NULL;
  size_t ca_len = 0;
  if (cfg->ca_file != NULL) {
    int why;
    ca = read_ca_file(cfg->ca_file, &ca_len, &why);
    if (ca == NULL) {
      tls_err_set(NULL, TLS_ERR_ARG, "cannot read CA file %s: %s", cfg->ca_file, strerror(why));
      free_tls(t);
      return NULL;
    }
    int r = crypto_tls_ctx_add_ca(t->ctx, ca, ca_len);
    if (r != WOLFSSL_SUCCESS) {
      tls_err_set(NULL, TLS_ERR_ARG, "CA file %s holds no usable PEM certificate (wolfSSL %d)",
                  cfg->ca_file, r);
      free(ca);
      free_tls(t);
      return NULL;
    }
  }
  crypto_tls_trust_key(ca, ca_len, t->verify.enforce, t->trust);
  free(ca);

  t->ssl = wolfSSL_new(t->ctx);
  if (t->ssl == NULL) {
    tls_err_set(NULL, TLS_ERR_NOMEM, "out of memory");
    free_tls(t);
    return NULL;
  }
  wolfSSL_SSLSetIORecv(t->ssl, io_recv);
  wolfSSL_SSLSetIOSend(t->ssl, io_send);
  wolfSSL_SetIOReadCtx(t->ssl, t);
  wolfSSL_SetIOWriteCtx(t->ssl, t);
  int r = crypto_tls_setup(t->ssl, t->host[0] ? t->host : NULL, &t->verify, cfg->alpn);
  if (r != WOLFSSL_SUCCESS) {
    tls_err_set(NULL, r == MEMORY_E ? TLS_ERR_NOMEM : TLS_ERR_ARG,
                "bad TLS configuration (host name or ALPN list; wolfSSL %d)", r);
    free_tls(t);
    return NULL;
  }
  if (t->host[0]) {
    const struct crypto_tls_ticket *e =
        crypto_tls_tickets_offer(&g_tickets, t->ssl, t->host, t->port, t->trust);
    if (e != NULL) {
      t->offered = 1;
      t->offered_info = e->cert_info;
      t->offered_reason = e->verify_reason;
    }
  }
  return t;
}

// Puts this session's ticket into the cache if one has arrived.
static void keep_ticket(struct tls *t) {
  if (t->ticket_stored || !t->done || !t->host[0]) return;
  if (t->verify.enforce && t->verify_reason != CRYPTO_TLS_OK) return;
  t->ticket_stored = crypto_tls_tickets_store(&g_tickets, t->ssl, t->host, t->port, t->trust,
                                              &t->info, t->verify_reason);
}

// Processes records that are already here (or arrive within wait_ms) without consuming
// application data: that is how a NewSessionTicket sent after the handshake gets read when the
// program itself reads nothing.
static void pick_up_ticket(struct tls *t, int wait_ms) {
  int64_t until = now_ms() + wait_ms;
  while (!t->ticket_stored) {
    int64_t left = until - now_ms();
    struct pollfd p = {.fd = t->fd, .events = POLLIN};
    if (poll(&p, 1, left > 0 ? (int)left : 0) <= 0) break;
    char c;
    t->nonblocking = 1;
    int r = wolfSSL_peek(t->ssl, &c, 1);
    t->nonblocking = 0;
    keep_ticket(t);
    // Application data waiting, or the stream ended or failed: the reads will see it.
    if (r > 0 || wolfSSL_get_error(t->ssl, r) != WOLFSSL_ERROR_WANT_READ) break;
  }
}

int tls_handshake(struct tls *t) {
  if (t == NULL) {
    tls_err_set(NULL, TLS_ERR_ARG, "tls_handshake: no session");
    return -1;
  }
  if (t->done) return 0;
  if (t->e.code != TLS_ERR_NONE) return -1;  // a failed handshake stays failed
  start_call(t);
  uint64_t start = now_ns();
  int r = wolfSSL_connect(t->ssl);
  if (r != WOLFSSL_SUCCESS) {
    fail_wolfssl(t, r);
    if (t->offered) crypto_tls_tickets_forget(&g_tickets, t->host, t->port, t->trust);
    return -1;
  }
  t->handshake_ns = now_ns() - start;
  t->done = 1;
  crypto_tls_get_info(t->ssl, &t->info);
  t->verify_reason = t->verify.reason;
  if (t->info.resumed && t->offered) {
    // No certificate in a resumed handshake: show (and vouch with) the one the ticket came from.
    memcpy(t->info.subject, t->offered_info.subject, sizeof(t->info.subject));
    memcpy(t->info.issuer, t->offered_info.issuer, sizeof(t->info.issuer));
    memcpy(t->info.not_before, t->offered_info.not_before, sizeof(t->info.not_before));
    memcpy(t->info.not_after, t->offered_info.not_after, sizeof(t->info.not_after));
    t->verify_reason = t->offered_reason;
  }
  pick_up_ticket(t, 0);
  return 0;
}

struct tls *tls_connect(const char *host, uint16_t port, const tls_config_t *cfg) {
  if (host == NULL || host[0] == '\0' || cfg == NULL) {
    tls_err_set(NULL, TLS_ERR_ARG, "tls_connect: %s", cfg == NULL ? "no configuration" : "no host");
    return NULL;
  }
  tls_config_t c = *cfg;
  if (c.hostname == NULL) c.hostname = host;
  char service[8];
  snprintf(service, sizeof(service), "%u", (unsigned)port);
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
  struct addrinfo *res = NULL;
  int gai = getaddrinfo(host, service, &hints, &res);
  if (gai != 0) {
    tls_err_set(NULL, TLS_ERR_IO, "cannot resolve %s: %s", host, gai_strerror(gai));
    return NULL;
  }
  int fd = -1, why = 0;
  for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) {
      why = errno;
      continue;
    }
    // Non-blocking connect so that timeout_ms bounds it too.
    int r = connect(fd, a->ai_addr, a->ai_addrlen);
    if (r != 0 && errno == EINPROGRESS) {
      struct pollfd p = {.fd = fd, .events = POLLOUT};
      int pr;
      do {
        pr = poll(&p, 1, c.timeout_ms != 0 ? (int)c.timeout_ms : -1);
      } while (pr < 0 && errno == EINTR);
      int soerr = 0;
      socklen_t sl = sizeof(soerr);
      if (pr == 0) {
        soerr = ETIMEDOUT;
      } else if (pr < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0) {
        soerr = errno;
      }
      r = soerr == 0 ? 0 : -1;
      errno = soerr;
    }
    if (r != 0) {
      why = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(res);
  if (fd < 0) {
    tls_err_set(NULL, why == ETIMEDOUT ? TLS_ERR_TIMEOUT : TLS_ERR_IO, "connect to %s:%u: %s", host,
                (unsigned)port, strerror(why));
    return NULL;
  }
  // Back to blocking mode: the I/O callbacks poll before every recv/send anyway.
  int fl = fcntl(fd, F_GETFL);
  if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  struct tls *t = tls_new(fd, &c);
  if (t == NULL) {
    close(fd);
    return NULL;
  }
  t->own_fd = 1;
  if (t->port == 0) t->port = port;
  if (tls_handshake(t) != 0) {
    tls_err_set(NULL, t->e.code, "%s", t->e.msg);
    free_tls(t);
    return NULL;
  }
  return t;
}

ssize_t tls_send(struct tls *t, const void *buf, size_t len) {
  if (t == NULL || (buf == NULL && len > 0)) {
    tls_err_set(&t->e, TLS_ERR_ARG, "tls_send: bad argument");
    return -1;
  }
  if (!t->done && tls_handshake(t) != 0) return -1;
  start_call(t);
  size_t sent = 0;
  while (sent < len) {
    size_t chunk = len - sent > INT_MAX ? INT_MAX : len - sent;
    int r = wolfSSL_write(t->ssl, (const char *)buf + sent, (int)chunk);
    if (r <= 0) {
      fail_wolfssl(t, r);
      // A timeout after some bytes went out reports those bytes (tls.h).
      return (t->e.code == TLS_ERR_TIMEOUT && sent > 0) ? (ssize_t)sent : -1;
    }
    sent += (size_t)r;
  }
  return (ssize_t)sent;
}

ssize_t tls_recv(struct tls *t, void *buf, size_t len) {
  if (t == NULL || (buf == NULL && len > 0)) {
    tls_err_set(&t->e, TLS_ERR_ARG, "tls_recv: bad argument");
    return -1;
  }
  if (!t->done && tls_handshake(t) != 0) return -1;
  if (len == 0) return 0;
  start_call(t);
  int r = wolfSSL_read(t->ssl, buf, len > INT_MAX ? INT_MAX : (int)len);
  keep_ticket(t);
  if (r > 0) return r;
  if (wolfSSL_get_error(t->ssl, r) == WOLFSSL_ERROR_ZERO_RETURN) return 0;
  fail_wolfssl(t, r);
  return -1;
}

int tls_close(struct tls *t) {
  if (t == NULL) return 0;
  int rc = 0;
  if (t->done && t->e.code == TLS_ERR_NONE) {
    pick_up_ticket(t, TLS_TICKET_WAIT_MS);
    start_call(t);
    // WOLFSSL_SHUTDOWN_NOT_DONE: our close_notify went out, the peer's is not awaited.
    int r = wolfSSL_shutdown(t->ssl);
    if (r != WOLFSSL_SUCCESS && r != WOLFSSL_SHUTDOWN_NOT_DONE) rc = -1;
  }
  free_tls(t);
  return rc;
}

const char *tls_error(const struct tls *t) { return t ? t->e.msg : tls_last_err.msg; }

int tls_error_code(const struct tls *t) { return t ? t->e.code : tls_last_err.code; }

int tls_info(struct tls *t, struct tls_info *out) {
  if (t == NULL || out == NULL) return -1;
  if (!t->done) {
    tls_err_set(&t->e, TLS_ERR_ARG, "tls_info: handshake not complete");
    return -1;
  }
  memset(out, 0, sizeof(*out));
  memcpy(out->protocol, t->info.protocol, sizeof(out->protocol));
  memcpy(out->cipher, t->info.cipher, sizeof(out->cipher));
  memcpy(out->group, t->info.group, sizeof(out->group));
  memcpy(out->alpn, t->info.alpn, sizeof(out->alpn));
  out->resumed = t->info.resumed;
  out->verify_ok = t->host[0] != '\0' && t->verify_reason == CRYPTO_TLS_OK;
  memcpy(out->subject, t->info.subject, sizeof(out->subject));
  memcpy(out->issuer, t->info.issuer, sizeof(out->issuer));
  memcpy(out->not_before, t->info.not_before, sizeof(out->not_before));
  memcpy(out->not_after, t->info.not_after, sizeof(out->not_after));
  out->handshake_ns = t->handshake_ns;
  return 0;
}
