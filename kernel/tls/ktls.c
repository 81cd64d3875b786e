// TLS 1.3 client sessions in the kernel (SYS_TLS_CREATE..SYS_TLS_INFO, docs/syscalls.md).
//
// A session wraps a connected TCP socket of the calling program: wolfSSL runs in the kernel and
// moves its records through ksock_send_k/ksock_recv_k (custom I/O callbacks), the program only
// ever sees plaintext. One kernel context serves one syscall at a time, so no locking.
//
// The TLS policy (suites, groups, built-in roots, SNI and name check, verification recording,
// failure reasons, session info, the ticket cache) is //crypto/tls:tls_common, the same code
// libtls's host backend runs; this file adds what only the kernel has: sessions owned by
// programs, socket I/O with deadlines and Ctrl-C, user-memory copies, contexts per extra CA.
//
// Trust: the built-in roots are parsed once into a shared WOLFSSL_CTX. A program's own CA
// (vdos_tls_config.ca_pem) gets a context of its own (roots + that CA), cached by the CA's
// SHA-256, so one program's CA never widens another's trust.
//
// Resumption: TLS 1.3 tickets arrive after the handshake. The ticket cache is keyed by host,
// port and trust (extra CA and verify flag): a resumed handshake skips certificate verification,
// so a ticket from an unverified or differently-trusted connection must never stand in for
// verification. The identity verified on the full handshake is kept with the ticket and
// reported again by SYS_TLS_INFO on resumption.
//
// Early data (0-RTT) is off: it is replayable by a network attacker (RFC 8446 section 8) and no
// caller of this API can tell the kernel which requests are idempotent.
// clang-format off
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/sha256.h>
// clang-format on

#include "crypto/roots/roots.h"
#include "crypto/tls/tls_common.h"
#include "kernel/abi/syscalls.h"
#include "kernel/kernel.h"
#include "kernel/net/ksock.h"
#include "kernel/proc/uaccess.h"
#include "kernel/tls/ktls_check.h"
#include "kernel/tls/ktls_opts.h"

enum ktls_state { ST_FREE, ST_NEW, ST_OPEN, ST_FAILED, ST_EOF };

struct ktls_ctx {
  WOLFSSL_CTX *ctx;
  uint8_t ca_hash[WC_SHA256_DIGEST_SIZE];
  int refs;
  uint64_t last_use;
};

struct ktls_session {
  enum ktls_state state;
  uint16_t gen;
  int pid;
  int fd;
  uint32_t remote_ip;
  uint16_t remote_port;
  WOLFSSL *ssl;
  struct ktls_ctx *ctx;
  struct crypto_tls_verify verify;  // wolfSSL's verify callback records into it
  uint8_t trust[32];                // ticket cache key part: extra CA and verify flag
  char host[VDOS_TLS_HOST_MAX + 1];
  uint32_t timeout_ms;
  uint64_t deadline_ns;  // 0: no deadline for the call in progress
  uint64_t hs_start_ns;
  int err;     // negative result of the failed handshake (sticky)
  int io_err;  // socket error seen by the I/O callbacks during the current call
  int offered_ticket;
  // What the full handshake behind the offered ticket showed (reported if the server resumes).
  struct crypto_tls_info ticket_info;
  int ticket_reason;
  int ticket_saved;
  int peer_eof;  // TCP end of stream seen
  // Read-ahead (KTLS_RX_AHEAD bytes, allocated at the first read): wolfSSL asks for a record's
  // 5-byte header and then its body, two socket reads per record; one read of what TCP holds
  // serves both, often several records, and shows sys_recv whether another record is already
  // here (see no_wait).
  uint8_t *rx;
  size_t rx_off, rx_len;
  int no_wait;  // io_recv: serve only from rx, else WANT_READ (sys_recv's extra records)
  struct vdos_tls_info info;
};

static struct ktls_session sessions[KTLS_MAX_SESSIONS];
static struct ktls_ctx roots_ctx;
static struct ktls_ctx ca_ctxs[KTLS_CA_CTX_CACHE];
static struct crypto_tls_tickets tickets;
static int initialised;
// Between user memory and wolfSSL; one kernel context, so one buffer.
static uint8_t bounce[KTLS_IO_CHUNK];

static uint64_t stamp;

static void copy_str(char *dst, size_t cap, const char *src) {
  size_t n = 0;
  while (n + 1 < cap && src[n]) n++;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

// ---------------------------------------------------------------- I/O callbacks

static uint32_t remaining_ms(struct ktls_session *s) {
  if (!s->deadline_ns) return 0;  // no limit
  uint64_t now = time_ns();
  if (now >= s->deadline_ns) return 1;  // ksock reports the timeout; 0 would mean "forever"
  uint64_t ms = (s->deadline_ns - now + 999999u) / 1000000u;
  return ms > 0xffffffffu ? 0xffffffffu : (uint32_t)ms;
}

// The program's socket, looked up again on every call (it may have been closed or its number
// reused for another connection since the session was created).
static struct ksock *session_sock(struct ktls_session *s, int *err) {
  struct ksock *k = ksock_get(s->fd, err);
  if (!k) return NULL;
  uint32_t rip;
  uint16_t rport;
  ksock_addrs(k, NULL, NULL, &rip, &rport);
  if (rip != s->remote_ip || rport != s->remote_port) {
    *err = -VDOS_EBADF;
    return NULL;
  }
  return k;
}

// Records the socket error for the syscall's result and tells wolfSSL to give up. Never
// WOLFSSL_CBIO_ERR_ISR for Ctrl-C: wolfSSL retries the read at once on it ("interrupted system
// call"), and with the interrupt still pending it would spin until the connection ended
// (//tests/tls:tls_interrupt_test).
static int io_error(struct ktls_session *s, long err) {
  s->io_err = (int)err;
  if (err == -VDOS_ETIMEDOUT) return WOLFSSL_CBIO_ERR_TIMEOUT;
  if (err == -VDOS_ECONNRESET) return WOLFSSL_CBIO_ERR_CONN_RST;
  return WOLFSSL_CBIO_ERR_GENERAL;
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *arg) {
  (void)ssl;
  struct ktls_session *s = arg;
  if (sz <= 0) return 0;
  if (s->rx_len == 0) {
    if (s->no_wait) return WOLFSSL_CBIO_ERR_WANT_READ;
    int err;
    struct ksock *k = session_sock(s, &err);
    if (!k) return io_error(s, err);
    if (!s->rx) s->rx = kmalloc(KTLS_RX_AHEAD);  // NULL: read straight into wolfSSL's buffer
    long n = s->rx ? ksock_recv_k(k, s->rx, KTLS_RX_AHEAD, remaining_ms(s))
                   : ksock_recv_k(k, buf, (size_t)sz, remaining_ms(s));
    if (n == 0) {
      s->peer_eof = 1;
      return WOLFSSL_CBIO_ERR_CONN_CLOSE;
    }
    if (n < 0) return io_error(s, n);
    if (!s->rx) return n > sz ? sz : (int)n;
    s->rx_off = 0;
    s->rx_len = (size_t)n > KTLS_RX_AHEAD ? KTLS_RX_AHEAD : (size_t)n;
  }
  size_t m = (size_t)sz < s->rx_len ? (size_t)sz : s->rx_len;
  memcpy(buf, s->rx + s->rx_off, m);
  s->rx_off += m;
  s->rx_len -= m;
  return (int)m;
}

// 1 when rx holds a whole TLS record (5-byte header: type, version, 16-bit length), so
// wolfSSL can decrypt it without waiting for the network.
static int rx_has_record(const struct ktls_session *s) {
  if (s->rx_len < 5) return 0;
  const uint8_t *h = s->rx + s->rx_off;
  return 5u + ((size_t)h[3] << 8 | h[4]) <= s->rx_len;
}

static int io_send(WOLFSSL *ssl, char *buf, int sz, void *arg) {
  (void)ssl;
  struct ktls_session *s = arg;
  if (sz <= 0) return 0;
  int err;
  struct ksock *k = session_sock(s, &err);
  if (!k) return io_error(s, err);
  long n = ksock_send_k(k, buf, (size_t)sz, remaining_ms(s));
  if (n > 0) return n > sz ? sz : (int)n;
  if (n == 0) return io_error(s, -VDOS_EPIPE);
  return io_error(s, n);
}

// The policy's context plus our socket I/O, and the kernel's own suite order (KTLS_SUITES: the
// policy's suites, ChaCha20-Poly1305 first, because this kernel has no AES instructions).
static WOLFSSL_CTX *ctx_new(void) {
  WOLFSSL_CTX *c = crypto_tls_ctx_new();
  if (!c) return NULL;
  if (wolfSSL_CTX_set_cipher_list(c, KTLS_SUITES) != WOLFSSL_SUCCESS) {
    wolfSSL_CTX_free(c);
    return NULL;
  }
  wolfSSL_CTX_SetIORecv(c, io_recv);
  wolfSSL_CTX_SetIOSend(c, io_send);
  return c;
}

static int init(void) {
  if (initialised) return 0;
  if (wolfSSL_Init() != WOLFSSL_SUCCESS) return -VDOS_EIO;
  uint64_t t0 = time_ns();
  roots_ctx.ctx = ctx_new();
  if (!roots_ctx.ctx) return -VDOS_ENOMEM;
  klog(LOG_INFO, "tls: %u built-in roots (ca-certificates %s) parsed in %lu ms", viper_roots_count,
       viper_roots_version, (unsigned long)((time_ns() - t0) / 1000000u));
  extern void ktls_proc_exit(int pid);
  if (proc_register_exit_hook(ktls_proc_exit) < 0) {
    klog(LOG_WARN, "tls: no exit hook slot; sessions of ended programs leak until reuse");
  }
  initialised = 1;
  return 0;
}

// A context trusting the built-in roots plus the PEM CA(s) in pem[0..len).
static int ctx_for_ca(const uint8_t *pem, size_t len, const uint8_t *hash, struct ktls_ctx **out) {
  struct ktls_ctx *victim = NULL;
  for (int i = 0; i < KTLS_CA_CTX_CACHE; i++) {
    struct ktls_ctx *c = &ca_ctxs[i];
    if (c->ctx && memcmp(c->ca_hash, hash, sizeof(c->ca_hash)) == 0) {
      c->refs++;
      c->last_use = ++stamp;
      *out = c;
      return 0;
    }
    if (c->refs == 0 && (!victim || !c->ctx || (victim->ctx && c->last_use < victim->last_use))) {
      victim = c;
    }
  }
  if (!victim) return -VDOS_EBUSY;  // every cached context is in use by a live session
  if (victim->ctx) wolfSSL_CTX_free(victim->ctx);
  victim->ctx = NULL;
  WOLFSSL_CTX *c = ctx_new();
  if (!c) return -VDOS_ENOMEM;
  if (crypto_tls_ctx_add_ca(c, pem, len) != WOLFSSL_SUCCESS) {
    wolfSSL_CTX_free(c);
    return -VDOS_ETLS_BAD_CERT;
  }
  victim->ctx = c;
  memcpy(victim->ca_hash, hash, sizeof(victim->ca_hash));
  victim->refs = 1;
  victim->last_use = ++stamp;
  *out = victim;
  return 0;
}

static void ctx_put(struct ktls_ctx *c) {
  if (c && c->refs > 0) c->refs--;
}

// ---------------------------------------------------------------- ticket cache

static struct crypto_tls_info *full_info(struct ktls_session *s, struct crypto_tls_info *tmp) {
  // The identity stored with a ticket is the full handshake's: for a resumed session that is the
  // one its own ticket carried.
  if (s->info.resumed) return &s->ticket_info;
  copy_str(tmp->subject, sizeof(tmp->subject), s->info.subject);
  copy_str(tmp->issuer, sizeof(tmp->issuer), s->info.issuer);
  copy_str(tmp->not_before, sizeof(tmp->not_before), s->info.not_before);
  copy_str(tmp->not_after, sizeof(tmp->not_after), s->info.not_after);
  return tmp;
}

// Keeps the session's ticket (once per connection) for the next connection to the same server.
static void ticket_save(struct ktls_session *s) {
  if (s->ticket_saved || s->state != ST_OPEN || !s->host[0]) return;
  static struct crypto_tls_info tmp;
  int reason = s->info.resumed ? s->ticket_reason : s->verify.reason;
  if (crypto_tls_tickets_store(&tickets, s->ssl, s->host, s->remote_port, s->trust,
                               full_info(s, &tmp), reason)) {
    s->ticket_saved = 1;
  }
}

// ---------------------------------------------------------------- sessions

static void session_free(struct ktls_session *s) {
  if (s->ssl) wolfSSL_free(s->ssl);
  if (s->rx) kfree(s->rx);
  ctx_put(s->ctx);
  uint16_t gen = s->gen;
  memset(s, 0, sizeof(*s));
  s->gen = gen;
}

void ktls_proc_exit(int pid) {
  // No close_notify: the program is gone and its sockets are being torn down with it.
  for (int i = 0; i < KTLS_MAX_SESSIONS; i++) {
    if (sessions[i].state != ST_FREE && sessions[i].pid == pid) session_free(&sessions[i]);
  }
}

static int handle_of(const struct ktls_session *s) {
  return (int)(((unsigned)s->gen << 8) | (unsigned)(s - sessions));
}

static struct ktls_session *session_get(uint64_t h, int *err) {
  unsigned idx = (unsigned)(h & 0xff);
  if (h > 0x7fffffffu || idx >= KTLS_MAX_SESSIONS) {
    *err = -VDOS_EBADF;
    return NULL;
  }
  struct ktls_session *s = &sessions[idx];
  if (s->state == ST_FREE || s->gen != (uint16_t)(h >> 8) || s->pid != proc_current_pid()) {
    *err = -VDOS_EBADF;
    return NULL;
  }
  return s;
}

static void start_call(struct ktls_session *s) {
  s->io_err = 0;
  s->deadline_ns = s->timeout_ms ? time_ns() + (uint64_t)s->timeout_ms * 1000000u : 0;
}

static long sys_create(uint64_t fd, uint64_t ucfg) {
  int r = init();
  if (r) return r;
  struct vdos_tls_config cfg;
  if (copy_from_user(&cfg, ucfg, sizeof(cfg))) return -VDOS_EFAULT;
  if (cfg.verify != 0 && cfg.verify != 1) return -VDOS_EINVAL;
  if (fd > 0x7fffffffu) return -VDOS_EBADF;
  int err;
  struct ksock *k = ksock_get((int)fd, &err);
  if (!k) return err;

  struct ktls_session *s = NULL;
  for (int i = 0; i < KTLS_MAX_SESSIONS; i++) {
    if (sessions[i].state == ST_FREE) {
      s = &sessions[i];
      break;
    }
  }
  if (!s) return -VDOS_EMFILE;
  struct vdos_meminfo mi;
  kmeminfo(&mi);
  if (mi.heap_used + KTLS_SESSION_HEAP_RESERVE > mi.heap_limit) return -VDOS_ENOMEM;

  char host[VDOS_TLS_HOST_MAX + 1] = "";
  if (cfg.hostname) {
    r = copy_str_from_user(host, (uint64_t)cfg.hostname, sizeof(host));
    if (r == -VDOS_ENAMETOOLONG) return -VDOS_EINVAL;
    if (r) return r;
  }
  if (cfg.verify && !host[0]) return -VDOS_EINVAL;  // nothing to check the certificate against
  static char alpn[KTLS_ALPN_MAX + 1];
  alpn[0] = '\0';
  if (cfg.alpn) {
    r = copy_str_from_user(alpn, (uint64_t)cfg.alpn, sizeof(alpn));
    if (r == -VDOS_ENAMETOOLONG) return -VDOS_EINVAL;
    if (r) return r;
    if (!ktls_alpn_valid(alpn, KTLS_ALPN_MAX)) return -VDOS_EINVAL;
  }
  uint8_t ca_hash[WC_SHA256_DIGEST_SIZE] = {0};
  uint8_t trust[32];
  struct ktls_ctx *ctx = &roots_ctx;
  if (cfg.ca_pem || cfg.ca_pem_len) {
    if (!cfg.ca_pem || cfg.ca_pem_len == 0 || cfg.ca_pem_len > VDOS_TLS_CA_MAX) {
      return -VDOS_EINVAL;
    }
    uint8_t *pem = kmalloc(cfg.ca_pem_len);
    if (!pem) return -VDOS_ENOMEM;
    if (copy_from_user(pem, (uint64_t)cfg.ca_pem, cfg.ca_pem_len)) {
      kfree(pem);
      return -VDOS_EFAULT;
    }
    r = wc_Sha256Hash(pem, (word32)cfg.ca_pem_len, ca_hash) == 0 ? 0 : -VDOS_EIO;
    if (r == 0) r = ctx_for_ca(pem, cfg.ca_pem_len, ca_hash, &ctx);
    crypto_tls_trust_key(pem, cfg.ca_pem_len, cfg.verify, trust);
    kfree(pem);
    if (r) return r;
  } else {
    crypto_tls_trust_key(NULL, 0, cfg.verify, trust);
    roots_ctx.refs++;
  }

  uint16_t gen = (uint16_t)((s->gen + 1) & 0x7fff);
  memset(s, 0, sizeof(*s));
  s->gen = gen;
  s->ctx = ctx;
  s->pid = proc_current_pid();
  s->fd = (int)fd;
  ksock_addrs(k, NULL, NULL, &s->remote_ip, &s->remote_port);
  s->verify.enforce = cfg.verify;
  memcpy(s->host, host, sizeof(host));
  memcpy(s->trust, trust, sizeof(trust));
  s->timeout_ms = cfg.timeout_ms;
  s->state = ST_NEW;

  s->ssl = wolfSSL_new(ctx->ctx);
  if (!s->ssl) {
    session_free(s);
    return -VDOS_ENOMEM;
  }
  wolfSSL_SetIOReadCtx(s->ssl, s);
  wolfSSL_SetIOWriteCtx(s->ssl, s);
  // SNI (not for address literals), the name check, verification recorded by wolfSSL's verify
  // callback into s->verify (enforced or not), ALPN.
  r = crypto_tls_setup(s->ssl, host[0] ? host : NULL, &s->verify, alpn[0] ? alpn : NULL);
  if (r != WOLFSSL_SUCCESS) {
    session_free(s);
    return r == BAD_FUNC_ARG ? -VDOS_EINVAL : -VDOS_ENOMEM;
  }
  const struct crypto_tls_ticket *t =
      host[0] ? crypto_tls_tickets_offer(&tickets, s->ssl, host, s->remote_port, trust) : NULL;
  if (t) {
    // Copied now: the cache entry may be replaced before the handshake ends.
    s->offered_ticket = 1;
    s->ticket_info = t->cert_info;
    s->ticket_reason = t->verify_reason;
  }
  return handle_of(s);
}

// VDOS_ETLS_* (positive) for a reason of the shared policy; 0 for none.
static int vdos_reason(int reason) {
  switch (reason) {
    case CRYPTO_TLS_OK:
      return 0;
    case CRYPTO_TLS_UNKNOWN_CA:
      return VDOS_ETLS_UNKNOWN_CA;
    case CRYPTO_TLS_NAME_MISMATCH:
      return VDOS_ETLS_NAME_MISMATCH;
    case CRYPTO_TLS_EXPIRED:
      return VDOS_ETLS_EXPIRED;
    case CRYPTO_TLS_NOT_YET_VALID:
      return VDOS_ETLS_NOT_YET_VALID;
    case CRYPTO_TLS_BAD_CERT:
      return VDOS_ETLS_BAD_CERT;
    case CRYPTO_TLS_VERSION:
      return VDOS_ETLS_VERSION;
    case CRYPTO_TLS_TRUNCATED:
      return VDOS_ETLS_TRUNCATED;
    default:
      return VDOS_ETLS_HANDSHAKE;
  }
}

// The session's info from wolfSSL (also after a failed handshake: the certificate it rejected).
static void fill_info(struct ktls_session *s) {
  static struct crypto_tls_info ci;
  crypto_tls_get_info(s->ssl, &ci);
  struct vdos_tls_info *in = &s->info;
  // Resumed: no certificate this time; report what the full handshake behind the ticket showed.
  const struct crypto_tls_info *cert = ci.resumed && s->offered_ticket ? &s->ticket_info : &ci;
  copy_str(in->protocol, sizeof(in->protocol), ci.protocol);
  copy_str(in->cipher, sizeof(in->cipher), ci.cipher);
  copy_str(in->group, sizeof(in->group), ci.group);
  copy_str(in->alpn, sizeof(in->alpn), ci.alpn);
  copy_str(in->subject, sizeof(in->subject), cert->subject);
  copy_str(in->issuer, sizeof(in->issuer), cert->issuer);
  copy_str(in->not_before, sizeof(in->not_before), cert->not_before);
  copy_str(in->not_after, sizeof(in->not_after), cert->not_after);
  in->resumed = ci.resumed;
  in->verify_result =
      vdos_reason(ci.resumed && s->offered_ticket ? s->ticket_reason : s->verify.reason);
}

// The negative result for a failed wolfSSL call: a socket error the callbacks saw wins (timeout,
// Ctrl-C, reset), then the certificate problem the verify callback recorded, then the policy's
// reason for wolfSSL's error.
static int fail_code(struct ktls_session *s, int ret) {
  int e = wolfSSL_get_error(s->ssl, ret);
  if (s->io_err && s->io_err != -VDOS_EPIPE) return s->io_err;
  if (s->verify.reason != CRYPTO_TLS_OK) return -vdos_reason(s->verify.reason);
  int reason = crypto_tls_reason(s->ssl, e, s->state == ST_OPEN);
  if (reason == CRYPTO_TLS_NOMEM) return -VDOS_ENOMEM;
  if (reason == CRYPTO_TLS_IO) return s->io_err ? s->io_err : -VDOS_EIO;
  return -vdos_reason(reason);
}

static long sys_handshake(struct ktls_session *s) {
  if (s->state == ST_OPEN || s->state == ST_EOF) return 0;
  if (s->state == ST_FAILED) return s->err;
  start_call(s);
  if (!s->hs_start_ns) s->hs_start_ns = time_ns();
  int ret = wolfSSL_connect(s->ssl);
  if (ret != WOLFSSL_SUCCESS) {
    int r = fail_code(s, ret);
    // An interrupted or timed-out handshake can't be resumed midway either: the session is done.
    s->state = ST_FAILED;
    s->err = r;
    klog(LOG_INFO, "tls: handshake with %s failed: %d (wolfSSL %d, certificate %d)",
         s->host[0] ? s->host : "?", r, wolfSSL_get_error(s->ssl, ret), s->verify.wolfssl_error);
    // Still report the certificate (the error text names its host, issuer or dates).
    fill_info(s);
    return r;
  }
  s->state = ST_OPEN;
  fill_info(s);
  s->info.handshake_ns = time_ns() - s->hs_start_ns;
  // A resumed session keeps the ticket it came with cached; servers that want tickets used once
  // send new ones, which we don't need to chase.
  if (s->info.resumed) s->ticket_saved = 1;
  return 0;
}

static long sys_send(struct ktls_session *s, uint64_t ubuf, uint64_t len) {
  if (s->state == ST_FAILED) return s->err;
  if (s->state != ST_OPEN) return s->state == ST_NEW ? -VDOS_ENOTCONN : -VDOS_EPIPE;
  if (len > 0x7fffffffu) return -VDOS_EINVAL;
  if (!user_range_ok(ubuf, (size_t)len, 0)) return -VDOS_EFAULT;
  start_call(s);
  size_t done = 0;
  long result = 0;
  while (done < len) {
    size_t n = len - done > KTLS_IO_CHUNK ? KTLS_IO_CHUNK : (size_t)(len - done);
    if (copy_from_user(bounce, ubuf + done, n)) {
      result = -VDOS_EFAULT;
      break;
    }
    int w = wolfSSL_write(s->ssl, bounce, (int)n);
    if (w <= 0) {
      result = fail_code(s, w);
      break;
    }
    done += (size_t)w;
  }
  return done ? (long)done : result;
}

static long sys_recv(struct ktls_session *s, uint64_t ubuf, uint64_t len) {
  if (s->state == ST_FAILED) return s->err;
  if (s->state == ST_EOF) return 0;
  if (s->state != ST_OPEN) return -VDOS_ENOTCONN;
  if (len == 0) return 0;
  if (len > 0x7fffffffu) len = 0x7fffffffu;
  start_call(s);
  // The first record may wait (the call's deadline); later ones only if already here (rx or
  // wolfSSL's own buffer), so a call never waits once it has data to return.
  size_t done = 0;
  long result = 0;
  while (done < len) {
    size_t n = len - done > KTLS_IO_CHUNK ? KTLS_IO_CHUNK : (size_t)(len - done);
    if (done && !wolfSSL_pending(s->ssl) && !rx_has_record(s)) break;
    // Checked before reading: a record consumed and then not deliverable would be lost.
    if (!user_range_ok(ubuf + done, n, 1)) {
      if (!done) return -VDOS_EFAULT;
      break;
    }
    s->no_wait = done != 0;
    int r = wolfSSL_read(s->ssl, bounce, (int)n);
    s->no_wait = 0;
    ticket_save(s);
    if (r > 0) {
      if ((size_t)r > n) return -VDOS_EIO;  // never more than asked for
      if (copy_to_user(ubuf + done, bounce, (size_t)r)) return -VDOS_EFAULT;
      done += (size_t)r;
      continue;
    }
    int e = wolfSSL_get_error(s->ssl, r);
    if (done && (e == WOLFSSL_ERROR_WANT_READ || e == WANT_READ)) break;  // rest not here yet
    if (e == WOLFSSL_ERROR_ZERO_RETURN || e == ZERO_RETURN) {
      s->state = ST_EOF;
      break;
    }
    result = fail_code(s, r);
    if (done) {
      // Deliver what arrived; the session reports the failure on the next call.
      s->state = ST_FAILED;
      s->err = (int)result;
    }
    break;
  }
  return done ? (long)done : result;
}

// Picks up a NewSessionTicket that may already be on its way, without waiting long for one that
// might never come.
static void wait_for_ticket(struct ktls_session *s) {
  if (s->ticket_saved || s->info.resumed || s->peer_eof || !s->host[0]) return;
  s->io_err = 0;
  s->deadline_ns = time_ns() + (uint64_t)KTLS_TICKET_WAIT_MS * 1000000u;
  // Each read either processes records or ends with the timeout; the deadline bounds the loop.
  for (int i = 0; i < 4 && !s->ticket_saved && time_ns() < s->deadline_ns; i++) {
    int r = wolfSSL_read(s->ssl, bounce, (int)sizeof(bounce));
    ticket_save(s);
    if (r <= 0) break;  // data is discarded: the program is closing
  }
}

static long sys_close(struct ktls_session *s) {
  long r = 0;
  if (s->state == ST_OPEN || s->state == ST_EOF) {
    if (s->state == ST_OPEN) wait_for_ticket(s);
    start_call(s);
    if (!s->peer_eof) {
      // One call sends our close_notify (also in answer to the peer's); we don't wait for the
      // peer's (the socket stays the program's, RFC 8446 6.1 allows closing the write side only).
      int ret = wolfSSL_shutdown(s->ssl);
      if (ret != WOLFSSL_SUCCESS && ret != WOLFSSL_SHUTDOWN_NOT_DONE) {
        r = s->io_err ? s->io_err : -VDOS_EIO;
      }
    }
  }
  session_free(s);
  return r;
}

static long sys_info(struct ktls_session *s, uint64_t uout) {
  if (s->state == ST_NEW) return -VDOS_ENOTCONN;
  if (copy_to_user(uout, &s->info, sizeof(s->info))) return -VDOS_EFAULT;
  return 0;
}

long ktls_syscall(uint64_t nr, const uint64_t args[6]) {
  if (nr == SYS_TLS_CREATE) return sys_create(args[0], args[1]);
  if (!initialised) return -VDOS_EBADF;
  int err;
  struct ktls_session *s = session_get(args[0], &err);
  if (!s) return err;
  switch (nr) {
    case SYS_TLS_HANDSHAKE:
      return sys_handshake(s);
    case SYS_TLS_SEND:
      return sys_send(s, args[1], args[2]);
    case SYS_TLS_RECV:
      return sys_recv(s, args[1], args[2]);
    case SYS_TLS_CLOSE:
      return sys_close(s);
    case SYS_TLS_INFO:
      return sys_info(s, args[1]);
    default:
      return -VDOS_ENOSYS;
  }
}
