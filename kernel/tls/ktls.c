// TLS 1.3 client sessions in the kernel (SYS_TLS_CREATE..SYS_TLS_INFO, docs/syscalls.md).
//
// A session wraps a connected TCP socket of the calling program: wolfSSL runs in the kernel and
// moves its records through ksock_send_k/ksock_recv_k (custom I/O callbacks), the program only
// ever sees plaintext. One kernel context serves one syscall at a time, so no locking.
//
// Trust: the built-in roots (//crypto/roots, Debian's ca-certificates) are parsed once into a
// shared WOLFSSL_CTX. A program's own CA (vdos_tls_config.ca_pem) gets a context of its own
// (roots + that CA), cached by the CA's SHA-256, so one program's CA never widens another's trust.
//
// Resumption: TLS 1.3 tickets arrive after the handshake. The newest session with a ticket is
// kept per (host, port, verify mode, extra CA) in a small LRU cache; a later SYS_TLS_CREATE for
// the same key offers it. Keying by the trust configuration matters: a resumed handshake skips
// certificate verification, so a ticket from an unverified (--insecure) or differently-trusted
// connection must never stand in for verification. The peer identity verified on the full
// handshake is kept with the ticket and reported again by SYS_TLS_INFO on resumption.
//
// Early data (0-RTT) is off: it is replayable by a network attacker (RFC 8446 section 8) and no
// caller of this API can tell the kernel which requests are idempotent.
#include <wolfssl/wolfcrypt/settings.h>
// internal.h: the negotiated suite and group, and whether a ticket arrived, are not public.
#include <wolfssl/error-ssl.h>
#include <wolfssl/internal.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/sha256.h>

#include "crypto/roots/roots.h"
#include "kernel/abi/syscalls.h"
#include "kernel/kernel.h"
#include "kernel/net/ksock.h"
#include "kernel/proc/uaccess.h"
#include "kernel/tls/ktls_fmt.h"
#include "kernel/tls/ktls_opts.h"

enum ktls_state { ST_FREE, ST_NEW, ST_OPEN, ST_FAILED, ST_EOF };

struct ktls_ctx {
  WOLFSSL_CTX *ctx;
  uint8_t ca_hash[WC_SHA256_DIGEST_SIZE];  // all zero for the built-in-roots-only context
  int refs;
  uint64_t last_use;
};

struct ktls_ticket {
  int used;
  char host[VDOS_TLS_HOST_MAX + 1];
  uint16_t port;
  int verify;
  uint8_t ca_hash[WC_SHA256_DIGEST_SIZE];
  WOLFSSL_SESSION *sess;
  uint64_t last_use;
  // The identity (and verification result) of the full handshake that produced the ticket.
  int verify_result;
  char subject[256], issuer[256], not_before[32], not_after[32];
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
  int verify;
  uint8_t ca_hash[WC_SHA256_DIGEST_SIZE];
  char host[VDOS_TLS_HOST_MAX + 1];
  uint32_t timeout_ms;
  uint64_t deadline_ns;  // 0: no deadline for the call in progress
  uint64_t hs_start_ns;
  int err;         // negative result of the failed handshake (sticky)
  int io_err;      // socket error seen by the I/O callbacks during the current call
  int verify_err;  // first certificate error (wolfSSL code) seen by the verify callback
  char peer_cn[64];
  int offered_ticket;  // a cached ticket was offered (resumption attempted)
  int ticket_saved;
  int peer_eof;  // TCP end of stream seen
  struct vdos_tls_info info;
};

static struct ktls_session sessions[KTLS_MAX_SESSIONS];
static struct ktls_ctx roots_ctx;
static struct ktls_ctx ca_ctxs[KTLS_CA_CTX_CACHE];
static struct ktls_ticket tickets[KTLS_TICKET_CACHE];
static int initialised;
// The session whose wolfSSL call is running (for the verify callback).
static struct ktls_session *active;
// Between user memory and wolfSSL; one kernel context, so one buffer.
static uint8_t bounce[KTLS_IO_CHUNK];

static uint64_t stamp;

static size_t bounded_strlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

static void copy_str(char *dst, size_t cap, const char *src) {
  size_t n = bounded_strlen(src, cap - 1);
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

static int io_error(struct ktls_session *s, long err) {
  s->io_err = (int)err;
  if (err == -VDOS_ETIMEDOUT) return WOLFSSL_CBIO_ERR_TIMEOUT;
  if (err == -VDOS_EINTR) return WOLFSSL_CBIO_ERR_ISR;
  if (err == -VDOS_ECONNRESET) return WOLFSSL_CBIO_ERR_CONN_RST;
  return WOLFSSL_CBIO_ERR_GENERAL;
}

static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *arg) {
  (void)ssl;
  struct ktls_session *s = arg;
  if (sz <= 0) return 0;
  int err;
  struct ksock *k = session_sock(s, &err);
  if (!k) return io_error(s, err);
  long n = ksock_recv_k(k, buf, (size_t)sz, remaining_ms(s));
  if (n > 0) return n > sz ? sz : (int)n;
  if (n == 0) {
    s->peer_eof = 1;
    return WOLFSSL_CBIO_ERR_CONN_CLOSE;
  }
  return io_error(s, n);
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

// Records the first certificate problem (for a precise error and for verify_result even when
// the program turned verification off) and lets the handshake go on only when verification is
// off.
static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *store) {
  struct ktls_session *s = active;
  if (!s) return preverify;
  if (!preverify && s->verify_err == 0) s->verify_err = store->error ? store->error : -1;
  if (store->domain && store->error_depth == 0 && !s->peer_cn[0]) {
    copy_str(s->peer_cn, sizeof(s->peer_cn), store->domain);
  }
  return s->verify ? preverify : 1;
}

// ---------------------------------------------------------------- contexts

static const char kSuites[] =
    "TLS13-AES128-GCM-SHA256:TLS13-CHACHA20-POLY1305-SHA256:TLS13-AES256-GCM-SHA384";

static WOLFSSL_CTX *ctx_new(void) {
  WOLFSSL_CTX *c = wolfSSL_CTX_new(wolfTLSv1_3_client_method());
  if (!c) return NULL;
  int groups[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1};
  if (wolfSSL_CTX_set_cipher_list(c, kSuites) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_set_groups(c, groups, 2) != WOLFSSL_SUCCESS) {
    wolfSSL_CTX_free(c);
    return NULL;
  }
  wolfSSL_CTX_set_verify(c, WOLFSSL_VERIFY_PEER, verify_cb);
  wolfSSL_CTX_SetIORecv(c, io_recv);
  wolfSSL_CTX_SetIOSend(c, io_send);
  // Each root on its own: one the library cannot parse must not drop the rest.
  unsigned loaded = 0;
  for (unsigned i = 0; i < viper_roots_count; i++) {
    const struct viper_root *r = &viper_roots[i];
    if (r->pem_offset > viper_roots_pem_len || r->pem_len > viper_roots_pem_len - r->pem_offset) {
      continue;
    }
    if (wolfSSL_CTX_load_verify_buffer(c, viper_roots_pem + r->pem_offset, (long)r->pem_len,
                                       WOLFSSL_FILETYPE_PEM) == WOLFSSL_SUCCESS) {
      loaded++;
    }
  }
  static int logged;
  if (!logged) {
    logged = 1;
    klog(LOG_INFO, "tls: %u of %u built-in roots loaded (ca-certificates %s)", loaded,
         viper_roots_count, viper_roots_version);
  }
  return c;
}

static int init(void) {
  if (initialised) return 0;
  if (wolfSSL_Init() != WOLFSSL_SUCCESS) return -VDOS_EIO;
  roots_ctx.ctx = ctx_new();
  if (!roots_ctx.ctx) return -VDOS_ENOMEM;
  extern void ktls_proc_exit(int pid);
  if (proc_register_exit_hook(ktls_proc_exit) < 0) {
    klog(LOG_WARN, "tls: no exit hook slot; sessions of ended programs leak until reuse");
  }
  initialised = 1;
  return 0;
}

static int hash_zero(const uint8_t *h) {
  for (int i = 0; i < WC_SHA256_DIGEST_SIZE; i++) {
    if (h[i]) return 0;
  }
  return 1;
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
  if (wolfSSL_CTX_load_verify_buffer(c, pem, (long)len, WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
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

static struct ktls_ticket *ticket_find(const struct ktls_session *s) {
  for (int i = 0; i < KTLS_TICKET_CACHE; i++) {
    struct ktls_ticket *t = &tickets[i];
    if (t->used && t->port == s->remote_port && t->verify == s->verify &&
        strcmp(t->host, s->host) == 0 && memcmp(t->ca_hash, s->ca_hash, sizeof(t->ca_hash)) == 0) {
      return t;
    }
  }
  return NULL;
}

static void ticket_drop(struct ktls_ticket *t) {
  if (t->sess) wolfSSL_SESSION_free(t->sess);
  memset(t, 0, sizeof(*t));
}

// Keeps the session's current ticket (once per connection) for the next connection.
static void ticket_save(struct ktls_session *s) {
  if (s->ticket_saved || s->state != ST_OPEN || !s->ssl->session ||
      s->ssl->session->ticketLen == 0) {
    return;
  }
  // A connection that did not verify the peer can still resume later connections that also
  // don't; one that failed verification never reaches ST_OPEN with verify on.
  WOLFSSL_SESSION *sess = wolfSSL_get1_session(s->ssl);
  if (!sess) return;
  struct ktls_ticket *t = ticket_find(s);
  if (!t) {
    for (int i = 0; i < KTLS_TICKET_CACHE; i++) {
      struct ktls_ticket *c = &tickets[i];
      if (!c->used) {
        t = c;
        break;
      }
      if (!t || c->last_use < t->last_use) t = c;
    }
  }
  ticket_drop(t);
  t->used = 1;
  memcpy(t->host, s->host, sizeof(t->host));
  t->port = s->remote_port;
  t->verify = s->verify;
  memcpy(t->ca_hash, s->ca_hash, sizeof(t->ca_hash));
  t->sess = sess;
  t->last_use = ++stamp;
  t->verify_result = s->info.verify_result;
  memcpy(t->subject, s->info.subject, sizeof(t->subject));
  memcpy(t->issuer, s->info.issuer, sizeof(t->issuer));
  memcpy(t->not_before, s->info.not_before, sizeof(t->not_before));
  memcpy(t->not_after, s->info.not_after, sizeof(t->not_after));
  s->ticket_saved = 1;
}

// ---------------------------------------------------------------- sessions

static void session_free(struct ktls_session *s) {
  if (s->ssl) wolfSSL_free(s->ssl);
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
  active = s;
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
    // An all-zero digest names the roots-only context; a real one is never all zero in practice,
    // but mark it anyway so the two can't be confused.
    if (hash_zero(ca_hash)) ca_hash[0] = 1;
    if (r == 0) r = ctx_for_ca(pem, cfg.ca_pem_len, ca_hash, &ctx);
    kfree(pem);
    if (r) return r;
  } else {
    roots_ctx.refs++;
  }

  uint16_t gen = (uint16_t)((s->gen + 1) & 0x7fff);
  memset(s, 0, sizeof(*s));
  s->gen = gen;
  s->ctx = ctx;
  s->pid = proc_current_pid();
  s->fd = (int)fd;
  ksock_addrs(k, NULL, NULL, &s->remote_ip, &s->remote_port);
  s->verify = cfg.verify;
  memcpy(s->ca_hash, ca_hash, sizeof(ca_hash));
  memcpy(s->host, host, sizeof(host));
  s->timeout_ms = cfg.timeout_ms;
  s->state = ST_NEW;

  s->ssl = wolfSSL_new(ctx->ctx);
  if (!s->ssl) {
    session_free(s);
    return -VDOS_ENOMEM;
  }
  wolfSSL_SetIOReadCtx(s->ssl, s);
  wolfSSL_SetIOWriteCtx(s->ssl, s);
  int ok = 1;
  if (host[0]) {
    // UseSNI only puts the name on the wire; check_domain_name makes wolfSSL verify it.
    ok = wolfSSL_UseSNI(s->ssl, WOLFSSL_SNI_HOST_NAME, host, (word16)strlen(host)) ==
             WOLFSSL_SUCCESS &&
         wolfSSL_check_domain_name(s->ssl, host) == WOLFSSL_SUCCESS;
  }
  if (ok && alpn[0]) {
    ok = wolfSSL_UseALPN(s->ssl, alpn, (word32)strlen(alpn), WOLFSSL_ALPN_CONTINUE_ON_MISMATCH) ==
         WOLFSSL_SUCCESS;
  }
  if (!ok) {
    session_free(s);
    return -VDOS_ENOMEM;
  }
  struct ktls_ticket *t = host[0] ? ticket_find(s) : NULL;
  if (t) {
    t->last_use = ++stamp;
    // A ticket wolfSSL no longer accepts (expired) just means a full handshake.
    s->offered_ticket = wolfSSL_set_session(s->ssl, t->sess) == WOLFSSL_SUCCESS;
  }
  return handle_of(s);
}

static void fill_info(struct ktls_session *s) {
  struct vdos_tls_info *in = &s->info;
  WOLFSSL *ssl = s->ssl;
  copy_str(in->protocol, sizeof(in->protocol), "TLSv1.3");
  const char *suite = ktls_suite_name(ssl->options.cipherSuite0, ssl->options.cipherSuite);
  copy_str(in->cipher, sizeof(in->cipher), suite ? suite : "unknown");
  const char *group = ktls_group_name(ssl->namedGroup);
  copy_str(in->group, sizeof(in->group), group ? group : "unknown");
  char *proto = NULL;
  word16 plen = 0;
  in->alpn[0] = '\0';
  if (wolfSSL_ALPN_GetProtocol(ssl, &proto, &plen) == WOLFSSL_SUCCESS && proto) {
    size_t n = plen < sizeof(in->alpn) - 1 ? plen : sizeof(in->alpn) - 1;
    memcpy(in->alpn, proto, n);
    in->alpn[n] = '\0';
  }
  in->resumed = wolfSSL_session_reused(ssl) ? 1 : 0;
  in->verify_result = s->verify_err ? ktls_reason(0, s->verify_err, -1) : 0;
  struct ktls_ticket *t = in->resumed ? ticket_find(s) : NULL;
  if (t) {
    // No certificate on a resumed handshake: report what the full one verified.
    in->verify_result = t->verify_result;
    copy_str(in->subject, sizeof(in->subject), t->subject);
    copy_str(in->issuer, sizeof(in->issuer), t->issuer);
    copy_str(in->not_before, sizeof(in->not_before), t->not_before);
    copy_str(in->not_after, sizeof(in->not_after), t->not_after);
    return;
  }
  WOLFSSL_X509 *x = wolfSSL_get_peer_certificate(ssl);
  if (!x) return;
  static char line[512];
  char *p = wolfSSL_X509_NAME_oneline(wolfSSL_X509_get_subject_name(x), line, sizeof(line));
  if (p) ktls_fmt_name(line, sizeof(line), in->subject, sizeof(in->subject));
  p = wolfSSL_X509_NAME_oneline(wolfSSL_X509_get_issuer_name(x), line, sizeof(line));
  if (p) ktls_fmt_name(line, sizeof(line), in->issuer, sizeof(in->issuer));
  // The date blobs are [tag, length, text] in a CTC_DATE_SIZE buffer (wolfSSL_X509_notBefore).
  const byte *d = wolfSSL_X509_notBefore(x);
  if (d) ktls_fmt_time(d, CTC_DATE_SIZE, in->not_before, sizeof(in->not_before));
  d = wolfSSL_X509_notAfter(x);
  if (d) ktls_fmt_time(d, CTC_DATE_SIZE, in->not_after, sizeof(in->not_after));
  wolfSSL_X509_free(x);
}

static int last_alert(WOLFSSL *ssl) {
  WOLFSSL_ALERT_HISTORY h;
  if (wolfSSL_get_alert_history(ssl, &h) != WOLFSSL_SUCCESS) return -1;
  return h.last_rx.code > 0 ? h.last_rx.code : -1;
}

// The negative result for a failed wolfSSL call: a socket error the callbacks saw wins (timeout,
// Ctrl-C, reset), then the TLS reason.
static int fail_code(struct ktls_session *s, int ret) {
  int e = wolfSSL_get_error(s->ssl, ret);
  if (s->io_err && s->io_err != -VDOS_EPIPE) return s->io_err;
  if (e == MEMORY_E || e == MEMORY_ERROR) return -VDOS_ENOMEM;
  if (s->peer_eof && s->verify_err == 0 && e != FATAL_ERROR) {
    // TCP closed under us: after the handshake a truncation, during it a failed handshake.
    return s->state == ST_OPEN ? -VDOS_ETLS_TRUNCATED : -VDOS_ETLS_HANDSHAKE;
  }
  return -ktls_reason(e, s->verify_err, last_alert(s->ssl));
}

static long sys_handshake(struct ktls_session *s) {
  if (s->state == ST_OPEN || s->state == ST_EOF) return 0;
  if (s->state == ST_FAILED) return s->err;
  start_call(s);
  if (!s->hs_start_ns) s->hs_start_ns = time_ns();
  int ret = wolfSSL_connect(s->ssl);
  active = NULL;
  if (ret != WOLFSSL_SUCCESS) {
    int r = fail_code(s, ret);
    // An interrupted or timed-out handshake can't be resumed midway either: the session is done.
    s->state = ST_FAILED;
    s->err = r;
    klog(LOG_INFO, "tls: handshake with %s failed: %d (wolfSSL %d, certificate %d, alert %d)",
         s->host[0] ? s->host : "?", r, wolfSSL_get_error(s->ssl, ret), s->verify_err,
         last_alert(s->ssl));
    // Still report who the peer claimed to be (the error text names the certificate's host).
    if (s->peer_cn[0]) ksnprintf(s->info.subject, sizeof(s->info.subject), "CN=%s", s->peer_cn);
    s->info.verify_result = s->verify_err ? ktls_reason(0, s->verify_err, -1) : 0;
    return r;
  }
  s->state = ST_OPEN;
  fill_info(s);
  s->info.handshake_ns = time_ns() - s->hs_start_ns;
  if (s->info.resumed)
    s->ticket_saved = 1;  // the offered ticket stays cached (single-use
                          // semantics are the server's to enforce)
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
  active = NULL;
  return done ? (long)done : result;
}

static long sys_recv(struct ktls_session *s, uint64_t ubuf, uint64_t len) {
  if (s->state == ST_FAILED) return s->err;
  if (s->state == ST_EOF) return 0;
  if (s->state != ST_OPEN) return -VDOS_ENOTCONN;
  if (len == 0) return 0;
  size_t n = len > KTLS_IO_CHUNK ? KTLS_IO_CHUNK : (size_t)len;
  // Checked before reading: a record consumed and then not deliverable would be lost.
  if (!user_range_ok(ubuf, n, 1)) return -VDOS_EFAULT;
  start_call(s);
  int r = wolfSSL_read(s->ssl, bounce, (int)n);
  active = NULL;
  ticket_save(s);
  if (r > 0) {
    if ((size_t)r > n) return -VDOS_EIO;  // never more than asked for
    if (copy_to_user(ubuf, bounce, (size_t)r)) return -VDOS_EFAULT;
    return r;
  }
  int e = wolfSSL_get_error(s->ssl, r);
  if (e == WOLFSSL_ERROR_ZERO_RETURN || e == ZERO_RETURN) {
    s->state = ST_EOF;
    return 0;
  }
  return fail_code(s, r);
}

// Picks up a NewSessionTicket that may already be on its way, without waiting long for one that
// might never come.
static void wait_for_ticket(struct ktls_session *s) {
  if (s->ticket_saved || s->info.resumed || s->peer_eof || !s->host[0]) return;
  s->io_err = 0;
  s->deadline_ns = time_ns() + (uint64_t)KTLS_TICKET_WAIT_MS * 1000000u;
  active = s;
  // Each read either processes records or ends with the timeout; the deadline bounds the loop.
  for (int i = 0; i < 4 && !s->ticket_saved && time_ns() < s->deadline_ns; i++) {
    int r = wolfSSL_read(s->ssl, bounce, (int)sizeof(bounce));
    ticket_save(s);
    if (r <= 0) break;  // data is discarded: the program is closing
  }
  active = NULL;
}

static long sys_close(struct ktls_session *s) {
  long r = 0;
  if (s->state == ST_OPEN) {
    wait_for_ticket(s);
    start_call(s);
    if (!s->peer_eof) {
      // One call sends our close_notify; we don't wait for the peer's (the socket stays the
      // program's, RFC 8446 6.1 allows closing the write side only).
      int ret = wolfSSL_shutdown(s->ssl);
      if (ret != WOLFSSL_SUCCESS && ret != WOLFSSL_SHUTDOWN_NOT_DONE) {
        r = s->io_err ? s->io_err : -VDOS_EIO;
      }
    }
    active = NULL;
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
