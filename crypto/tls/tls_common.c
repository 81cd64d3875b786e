// See tls_common.h. No libc here: the kernel links this too, so strings are handled by the small
// helpers below and wolfSSL's own X* macros.
#include "crypto/tls/tls_common.h"

// clang-format off
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/hash.h>
#include <wolfssl/wolfcrypt/sha256.h>
// clang-format on

#include "crypto/roots/roots.h"

// ---- strings without libc

static size_t str_len(const char *s) {
  size_t n = 0;
  while (s[n] != '\0') n++;
  return n;
}

static int str_eq(const char *a, const char *b) {
  while (*a != '\0' && *a == *b) {
    a++;
    b++;
  }
  return *a == *b;
}

// A bounded string builder: appends until cap-1 bytes, always NUL-terminated.
struct sbuf {
  char *p;
  size_t cap;
  size_t len;
};

static void sb_init(struct sbuf *b, char *p, size_t cap) {
  b->p = p;
  b->cap = cap;
  b->len = 0;
  if (cap > 0) p[0] = '\0';
}

static void sb_putn(struct sbuf *b, const char *s, size_t n) {
  if (b->cap == 0) return;
  for (size_t i = 0; i < n && b->len + 1 < b->cap; i++) b->p[b->len++] = s[i];
  b->p[b->len] = '\0';
}

static void sb_put(struct sbuf *b, const char *s) { sb_putn(b, s, str_len(s)); }

static void sb_int(struct sbuf *b, long v) {
  char tmp[24];
  size_t n = 0;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  do {
    tmp[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0 && n < sizeof(tmp));
  if (v < 0) sb_putn(b, "-", 1);
  while (n > 0) sb_putn(b, &tmp[--n], 1);
}

static void copy_str(char *dst, size_t cap, const char *src) {
  struct sbuf b;
  sb_init(&b, dst, cap);
  if (src != NULL) sb_put(&b, src);
}

// ---- context and session setup

// IANA names; wolfSSL's own names differ ("TLS13-AES128-GCM-SHA256").
static const char kSuites[] =
    "TLS13-AES128-GCM-SHA256:TLS13-CHACHA20-POLY1305-SHA256:TLS13-AES256-GCM-SHA384";

WOLFSSL_CTX *crypto_tls_ctx_new(void) {
  WOLFSSL_CTX *ctx = wolfSSL_CTX_new(wolfTLSv1_3_client_method());
  if (ctx == NULL) return NULL;
  // X25519 first: the key share we send up front; P-256 when the server asks for it (HRR).
  int groups[] = {WOLFSSL_ECC_X25519, WOLFSSL_ECC_SECP256R1};
  if (wolfSSL_CTX_set_cipher_list(ctx, kSuites) != WOLFSSL_SUCCESS ||
      wolfSSL_CTX_set_groups(ctx, groups, (int)(sizeof(groups) / sizeof(groups[0]))) !=
          WOLFSSL_SUCCESS ||
      wolfSSL_CTX_load_verify_buffer(ctx, viper_roots_pem, (long)viper_roots_pem_len,
                                     WOLFSSL_FILETYPE_PEM) != WOLFSSL_SUCCESS) {
    wolfSSL_CTX_free(ctx);
    return NULL;
  }
  return ctx;
}

int crypto_tls_ctx_add_ca(WOLFSSL_CTX *ctx, const unsigned char *pem, size_t len) {
  if (ctx == NULL || pem == NULL || len == 0 || len > 0x7fffffffUL) return BAD_FUNC_ARG;
  return wolfSSL_CTX_load_verify_buffer(ctx, pem, (long)len, WOLFSSL_FILETYPE_PEM);
}

// Certificate errors reach this callback (wolfSSL calls it only on failure): record the first
// reason, and let the handshake go on only when the caller turned enforcement off.
static int verify_cb(int preverify, WOLFSSL_X509_STORE_CTX *store) {
  struct crypto_tls_verify *v = store != NULL ? (struct crypto_tls_verify *)store->userCtx : NULL;
  if (preverify) return 1;
  if (v == NULL) return 0;
  if (v->reason == CRYPTO_TLS_OK) {
    v->wolfssl_error = store->error;
    v->reason = (int)crypto_tls_reason(NULL, store->error, 0);
    // A certificate problem that is not one of ours is still a certificate problem.
    if (v->reason == CRYPTO_TLS_HANDSHAKE || v->reason == CRYPTO_TLS_OK) {
      v->reason = CRYPTO_TLS_BAD_CERT;
    }
  }
  return v->enforce ? 0 : 1;
}

// RFC 6066: no SNI for address literals. Only IPv4 dotted quads and anything with ':' (IPv6).
static int is_ip_literal(const char *host) {
  int dots = 0;
  for (const char *p = host; *p != '\0'; p++) {
    if (*p == ':') return 1;
    if (*p == '.') {
      dots++;
    } else if (*p < '0' || *p > '9') {
      return 0;
    }
  }
  return dots == 3;
}

int crypto_tls_setup(WOLFSSL *ssl, const char *host, struct crypto_tls_verify *v,
                     const char *alpn) {
  if (ssl == NULL || v == NULL) return BAD_FUNC_ARG;
  v->reason = CRYPTO_TLS_OK;
  v->wolfssl_error = 0;
  if (host != NULL && host[0] != '\0') {
    size_t n = str_len(host);
    if (n > CRYPTO_TLS_HOST_MAX) return BAD_FUNC_ARG;
    if (!is_ip_literal(host) &&
        wolfSSL_UseSNI(ssl, WOLFSSL_SNI_HOST_NAME, host, (unsigned short)n) != WOLFSSL_SUCCESS) {
      return MEMORY_E;
    }
    int r = wolfSSL_check_domain_name(ssl, host);
    if (r != WOLFSSL_SUCCESS) return r;
  } else if (v->enforce) {
    return BAD_FUNC_ARG;  // nothing to verify the certificate against
  }
  // Always VERIFY_PEER so that problems are seen and recorded; verify_cb decides.
  wolfSSL_set_verify(ssl, WOLFSSL_VERIFY_PEER, verify_cb);
  wolfSSL_SetCertCbCtx(ssl, v);
  if (alpn != NULL && alpn[0] != '\0') {
    char list[CRYPTO_TLS_ALPN_LIST_MAX + 1];
    size_t n = str_len(alpn);
    if (n > CRYPTO_TLS_ALPN_LIST_MAX) return BAD_FUNC_ARG;
    for (size_t i = 0; i <= n; i++) list[i] = alpn[i];
    int r = wolfSSL_UseALPN(ssl, list, (unsigned)n, WOLFSSL_ALPN_FAILED_ON_MISMATCH);
    if (r != WOLFSSL_SUCCESS) return r;
  }
  return WOLFSSL_SUCCESS;
}

// ---- errors

// TLS alert numbers (RFC 8446 6.2) we name in messages.
enum {
  ALERT_HANDSHAKE_FAILURE = 40,
  ALERT_BAD_CERTIFICATE = 42,
  ALERT_CERTIFICATE_UNKNOWN = 46,
  ALERT_ILLEGAL_PARAMETER = 47,
  ALERT_UNKNOWN_CA = 48,
  ALERT_DECODE_ERROR = 50,
  ALERT_DECRYPT_ERROR = 51,
  ALERT_PROTOCOL_VERSION = 70,
  ALERT_INSUFFICIENT_SECURITY = 71,
  ALERT_INTERNAL_ERROR = 80,
  ALERT_MISSING_EXTENSION = 109,
  ALERT_UNRECOGNIZED_NAME = 112,
  ALERT_NO_APPLICATION_PROTOCOL = 120,
};

static const char *alert_name(int code) {
  switch (code) {
    case ALERT_HANDSHAKE_FAILURE:
      return "handshake_failure";
    case ALERT_BAD_CERTIFICATE:
      return "bad_certificate";
    case ALERT_CERTIFICATE_UNKNOWN:
      return "certificate_unknown";
    case ALERT_ILLEGAL_PARAMETER:
      return "illegal_parameter";
    case ALERT_UNKNOWN_CA:
      return "unknown_ca";
    case ALERT_DECODE_ERROR:
      return "decode_error";
    case ALERT_DECRYPT_ERROR:
      return "decrypt_error";
    case ALERT_PROTOCOL_VERSION:
      return "protocol_version";
    case ALERT_INSUFFICIENT_SECURITY:
      return "insufficient_security";
    case ALERT_INTERNAL_ERROR:
      return "internal_error";
    case ALERT_MISSING_EXTENSION:
      return "missing_extension";
    case ALERT_UNRECOGNIZED_NAME:
      return "unrecognized_name";
    case ALERT_NO_APPLICATION_PROTOCOL:
      return "no_application_protocol";
    default:
      return "alert";
  }
}

// The fatal alert the server sent, or -1.
static int received_alert(WOLFSSL *ssl) {
  WOLFSSL_ALERT_HISTORY h;
  if (ssl == NULL || wolfSSL_get_alert_history(ssl, &h) != WOLFSSL_SUCCESS) return -1;
  return h.last_rx.level == alert_fatal ? h.last_rx.code : -1;
}

enum crypto_tls_reason crypto_tls_reason(WOLFSSL *ssl, int err, int handshake_done) {
  switch (err) {
    case 0:
    case WOLFSSL_SUCCESS:
      return CRYPTO_TLS_OK;
    case ASN_NO_SIGNER_E:
    case ASN_SELF_SIGNED_E:
      return CRYPTO_TLS_UNKNOWN_CA;
    case DOMAIN_NAME_MISMATCH:
    case IPADDR_MISMATCH:
      return CRYPTO_TLS_NAME_MISMATCH;
    case ASN_AFTER_DATE_E:
      return CRYPTO_TLS_EXPIRED;
    case ASN_BEFORE_DATE_E:
      return CRYPTO_TLS_NOT_YET_VALID;
    case ASN_PARSE_E:
    case ASN_SIG_CONFIRM_E:
    case ASN_SIG_OID_E:
    case ASN_SIG_HASH_E:
    case ASN_SIG_KEY_E:
    case ASN_PATHLEN_INV_E:
    case ASN_PATHLEN_SIZE_E:
    case ASN_CRIT_EXT_E:
    case ASN_UNKNOWN_OID_E:
    case NO_PEER_CERT:
    case MAX_CHAIN_ERROR:
      return CRYPTO_TLS_BAD_CERT;
    case VERSION_ERROR:
      return CRYPTO_TLS_VERSION;
    case SOCKET_PEER_CLOSED_E:
      return handshake_done ? CRYPTO_TLS_TRUNCATED : CRYPTO_TLS_HANDSHAKE;
    case SOCKET_ERROR_E:
    case WANT_READ:
    case WANT_WRITE:
    case WOLFSSL_ERROR_WANT_READ:
    case WOLFSSL_ERROR_WANT_WRITE:
      return CRYPTO_TLS_IO;
    case MEMORY_E:
    case MEMORY_ERROR:
      return CRYPTO_TLS_NOMEM;
    default:
      break;
  }
  // A TLS 1.2-only server answers our 1.3-only ClientHello with protocol_version.
  if (received_alert(ssl) == ALERT_PROTOCOL_VERSION) return CRYPTO_TLS_VERSION;
  return CRYPTO_TLS_HANDSHAKE;
}

// "/C=DE/O=Example/CN=host" (wolfSSL's one-line form) -> "CN=host, O=Example, C=DE". A '/' only
// starts a new attribute when followed by "KEY=", so values containing '/' survive.
static void rfc4514(const char *oneline, char *out, size_t cap) {
  struct sbuf b;
  sb_init(&b, out, cap);
  size_t n = str_len(oneline);
  size_t starts[32];
  size_t count = 0;
  for (size_t i = 0; i < n && count < sizeof(starts) / sizeof(starts[0]); i++) {
    if (oneline[i] != '/') continue;
    size_t j = i + 1;
    while (j < n &&
           ((oneline[j] >= 'A' && oneline[j] <= 'Z') || (oneline[j] >= 'a' && oneline[j] <= 'z') ||
            (oneline[j] >= '0' && oneline[j] <= '9') || oneline[j] == '.')) {
      j++;
    }
    if (j > i + 1 && j < n && oneline[j] == '=') starts[count++] = i;
  }
  if (count == 0) {
    sb_put(&b, oneline);
    return;
  }
  for (size_t k = count; k > 0; k--) {
    size_t from = starts[k - 1] + 1;
    size_t to = k < count ? starts[k] : n;
    sb_putn(&b, oneline + from, to - from);
    if (k > 1) sb_put(&b, ", ");
  }
}

// X.690 universal tags of the two X.509 time encodings.
enum { ASN1_TAG_UTC_TIME = 0x17, ASN1_TAG_GENERALIZED_TIME = 0x18 };

// wolfSSL_X509_notBefore/notAfter give [ASN.1 type, length, bytes...]: UTCTime "YYMMDDHHMMSSZ"
// or GeneralizedTime "YYYYMMDDHHMMSSZ". -> "2026-01-01 00:00:00 UTC".
static void asn_time(const unsigned char *t, char *out, size_t cap) {
  struct sbuf b;
  sb_init(&b, out, cap);
  if (t == NULL) return;
  size_t len = t[1];
  const unsigned char *s = t + 2;
  char year[5];
  size_t rest;
  if (t[0] == ASN1_TAG_UTC_TIME && len >= 13) {
    // RFC 5280 4.1.2.5.1: YY >= 50 is 19YY.
    int yy = (s[0] - '0') * 10 + (s[1] - '0');
    year[0] = yy >= 50 ? '1' : '2';
    year[1] = yy >= 50 ? '9' : '0';
    year[2] = (char)s[0];
    year[3] = (char)s[1];
    rest = 2;
  } else if (t[0] == ASN1_TAG_GENERALIZED_TIME && len >= 15) {
    for (int i = 0; i < 4; i++) year[i] = (char)s[i];
    rest = 4;
  } else {
    return;
  }
  for (size_t i = rest; i < rest + 10; i++) {
    if (s[i] < '0' || s[i] > '9') return;
  }
  year[4] = '\0';
  const char *d = (const char *)s + rest;
  sb_put(&b, year);
  sb_putn(&b, "-", 1);
  sb_putn(&b, d, 2);
  sb_putn(&b, "-", 1);
  sb_putn(&b, d + 2, 2);
  sb_putn(&b, " ", 1);
  sb_putn(&b, d + 4, 2);
  sb_putn(&b, ":", 1);
  sb_putn(&b, d + 6, 2);
  sb_putn(&b, ":", 1);
  sb_putn(&b, d + 8, 2);
  sb_put(&b, " UTC");
}

// The names a certificate is for: its DNS subjectAltNames (up to CRYPTO_TLS_MISMATCH_NAMES_MAX),
// else its subject CN.
static void cert_names(WOLFSSL_X509 *x, struct sbuf *b) {
  int n = 0;
  const char *name;
  while ((name = wolfSSL_X509_get_next_altname(x)) != NULL) {
    if (n == CRYPTO_TLS_MISMATCH_NAMES_MAX) {
      sb_put(b, ", ...");
      return;
    }
    if (n > 0) sb_put(b, ", ");
    sb_put(b, name);
    n++;
  }
  if (n == 0) {
    const char *cn = wolfSSL_X509_get_subjectCN(x);
    sb_put(b, cn != NULL && cn[0] != '\0' ? cn : "(no name)");
  }
}

char *crypto_tls_describe(WOLFSSL *ssl, int err, int handshake_done, const char *host, char *out,
                          size_t cap) {
  struct sbuf b;
  sb_init(&b, out, cap);
  enum crypto_tls_reason r = crypto_tls_reason(ssl, err, handshake_done);
  WOLFSSL_X509 *peer = ssl != NULL ? wolfSSL_get_peer_certificate(ssl) : NULL;
  switch (r) {
    case CRYPTO_TLS_OK:
      break;
    case CRYPTO_TLS_UNKNOWN_CA:
      sb_put(&b, "certificate verify failed: unknown CA");
      if (peer != NULL) {
        char oneline[256], issuer[256];
        if (wolfSSL_X509_NAME_oneline(wolfSSL_X509_get_issuer_name(peer), oneline,
                                      (int)sizeof(oneline)) != NULL) {
          rfc4514(oneline, issuer, sizeof(issuer));
          sb_put(&b, " (issuer ");
          sb_put(&b, issuer);
          sb_put(&b, ")");
        }
      }
      break;
    case CRYPTO_TLS_NAME_MISMATCH:
      sb_put(&b, "certificate name mismatch: wanted ");
      sb_put(&b, host != NULL ? host : "(none)");
      if (peer != NULL) {
        sb_put(&b, ", certificate is for ");
        cert_names(peer, &b);
      }
      break;
    case CRYPTO_TLS_EXPIRED:
    case CRYPTO_TLS_NOT_YET_VALID: {
      sb_put(&b,
             r == CRYPTO_TLS_EXPIRED ? "certificate has expired" : "certificate is not yet valid");
      if (peer != NULL) {
        char when[32];
        asn_time(
            r == CRYPTO_TLS_EXPIRED ? wolfSSL_X509_notAfter(peer) : wolfSSL_X509_notBefore(peer),
            when, sizeof(when));
        if (when[0] != '\0') {
          sb_put(&b, r == CRYPTO_TLS_EXPIRED ? " (not after " : " (not before ");
          sb_put(&b, when);
          sb_put(&b, ")");
        }
      }
      break;
    }
    case CRYPTO_TLS_BAD_CERT:
      sb_put(&b, "bad certificate");
      break;
    case CRYPTO_TLS_VERSION:
      sb_put(&b, "server does not support TLS 1.3");
      break;
    case CRYPTO_TLS_TRUNCATED:
      sb_put(&b, "connection closed without close_notify (truncated)");
      break;
    case CRYPTO_TLS_IO:
      sb_put(&b, "transport error");
      break;
    case CRYPTO_TLS_NOMEM:
      sb_put(&b, "out of memory");
      break;
    case CRYPTO_TLS_HANDSHAKE: {
      int alert = received_alert(ssl);
      if (err == SOCKET_PEER_CLOSED_E) {
        sb_put(&b, "handshake failed: server closed the connection");
      } else if (alert >= 0) {
        sb_put(&b, "handshake failed: server sent alert ");
        sb_put(&b, alert_name(alert));
        sb_put(&b, " (");
        sb_int(&b, alert);
        sb_put(&b, ")");
      } else {
        char why[WOLFSSL_MAX_ERROR_SZ];
        wolfSSL_ERR_error_string_n((unsigned long)err, why, sizeof(why));
        sb_put(&b, "handshake failed: ");
        sb_put(&b, why);
      }
      break;
    }
  }
  // The generic failure carries wolfSSL's code too, for bug reports; the specific ones speak
  // for themselves.
  if (r == CRYPTO_TLS_HANDSHAKE && err < 0) {
    sb_put(&b, " [");
    sb_int(&b, err);
    sb_put(&b, "]");
  }
  if (peer != NULL) wolfSSL_X509_free(peer);
  return out;
}

// ---- session info

static const char *suite_name(int suite) {
  switch (suite) {
    case 0x1301:
      return "TLS_AES_128_GCM_SHA256";
    case 0x1302:
      return "TLS_AES_256_GCM_SHA384";
    case 0x1303:
      return "TLS_CHACHA20_POLY1305_SHA256";
    default:
      return "unknown";
  }
}

static const char *group_name(const char *wolf) {
  if (wolf == NULL) return "";
  if (str_eq(wolf, "SECP256R1")) return "P-256";
  if (str_eq(wolf, "SECP384R1")) return "P-384";
  return wolf;
}

void crypto_tls_get_info(WOLFSSL *ssl, struct crypto_tls_info *out) {
  static const struct crypto_tls_info kEmpty;
  *out = kEmpty;
  if (ssl == NULL) return;
  copy_str(out->protocol, sizeof(out->protocol), wolfSSL_get_version(ssl));
  copy_str(out->cipher, sizeof(out->cipher), suite_name(wolfSSL_get_current_cipher_suite(ssl)));
  copy_str(out->group, sizeof(out->group), group_name(wolfSSL_get_curve_name(ssl)));
  char *proto = NULL;
  unsigned short proto_len = 0;
  if (wolfSSL_ALPN_GetProtocol(ssl, &proto, &proto_len) == WOLFSSL_SUCCESS && proto != NULL) {
    struct sbuf b;
    sb_init(&b, out->alpn, sizeof(out->alpn));
    sb_putn(&b, proto, proto_len);
  }
  out->resumed = wolfSSL_session_reused(ssl) ? 1 : 0;
  WOLFSSL_X509 *peer = wolfSSL_get_peer_certificate(ssl);
  if (peer != NULL) {
    char oneline[256];
    if (wolfSSL_X509_NAME_oneline(wolfSSL_X509_get_subject_name(peer), oneline,
                                  (int)sizeof(oneline)) != NULL) {
      rfc4514(oneline, out->subject, sizeof(out->subject));
    }
    if (wolfSSL_X509_NAME_oneline(wolfSSL_X509_get_issuer_name(peer), oneline,
                                  (int)sizeof(oneline)) != NULL) {
      rfc4514(oneline, out->issuer, sizeof(out->issuer));
    }
    asn_time(wolfSSL_X509_notBefore(peer), out->not_before, sizeof(out->not_before));
    asn_time(wolfSSL_X509_notAfter(peer), out->not_after, sizeof(out->not_after));
    wolfSSL_X509_free(peer);
  }
}

// ---- ticket cache

void crypto_tls_trust_key(const unsigned char *ca, size_t ca_len, int verify, uint8_t out[32]) {
  for (int i = 0; i < 32; i++) out[i] = 0;
  if (ca != NULL && ca_len > 0 && ca_len <= 0xffffffffUL) {
    if (wc_Sha256Hash(ca, (word32)ca_len, out) != 0) {
      // Could not hash: a key no real CA set produces, so nothing is shared wrongly.
      for (int i = 0; i < 32; i++) out[i] = 0xff;
    }
  }
  // The last byte also says whether verification was on: an unverified session's ticket must
  // never let a verifying connection skip the certificate check.
  out[31] ^= verify ? 0x01 : 0x02;
}

static int key_eq(const struct crypto_tls_ticket *e, const char *host, uint16_t port,
                  const uint8_t trust[32]) {
  if (e->session == NULL || e->port != port || !str_eq(e->host, host)) return 0;
  for (int i = 0; i < 32; i++) {
    if (e->trust[i] != trust[i]) return 0;
  }
  return 1;
}

static struct crypto_tls_ticket *find(struct crypto_tls_tickets *c, const char *host, uint16_t port,
                                      const uint8_t trust[32]) {
  for (int i = 0; i < CRYPTO_TLS_TICKET_CACHE_ENTRIES; i++) {
    if (key_eq(&c->e[i], host, port, trust)) return &c->e[i];
  }
  return NULL;
}

const struct crypto_tls_ticket *crypto_tls_tickets_offer(struct crypto_tls_tickets *c, WOLFSSL *ssl,
                                                         const char *host, uint16_t port,
                                                         const uint8_t trust[32]) {
  if (c == NULL || ssl == NULL || host == NULL) return NULL;
  struct crypto_tls_ticket *e = find(c, host, port, trust);
  if (e == NULL) return NULL;
  e->last_used = ++c->clock;
  // wolfSSL refuses an expired session (ticket lifetime): then this is a full handshake.
  if (wolfSSL_set_session(ssl, e->session) != WOLFSSL_SUCCESS) return NULL;
  return e;
}

// Whether the server sent a NewSessionTicket. wolfSSL_SESSION_has_ticket needs OPENSSL_EXTRA,
// and the ticket callback is TLS 1.2 only, so copy the ticket out (bounded) and look at its length.
static int has_ticket(WOLFSSL *ssl) {
  byte *buf = (byte *)XMALLOC(CRYPTO_TLS_TICKET_MAX, NULL, DYNAMIC_TYPE_TMP_BUFFER);
  if (buf == NULL) return 0;
  word32 len = CRYPTO_TLS_TICKET_MAX;
  int ok = wolfSSL_get_SessionTicket(ssl, buf, &len) == WOLFSSL_SUCCESS && len > 0;
  XFREE(buf, NULL, DYNAMIC_TYPE_TMP_BUFFER);
  return ok;
}

int crypto_tls_tickets_store(struct crypto_tls_tickets *c, WOLFSSL *ssl, const char *host,
                             uint16_t port, const uint8_t trust[32],
                             const struct crypto_tls_info *info, int verify_reason) {
  if (c == NULL || ssl == NULL || host == NULL || host[0] == '\0' ||
      str_len(host) > CRYPTO_TLS_HOST_MAX) {
    return 0;
  }
  WOLFSSL_SESSION *s = wolfSSL_get1_session(ssl);
  if (s == NULL) return 0;
  if (!has_ticket(ssl)) {
    wolfSSL_SESSION_free(s);
    return 0;
  }
  struct crypto_tls_ticket *e = find(c, host, port, trust);
  if (e == NULL) {
    // A free slot, else the least recently used one.
    e = &c->e[0];
    for (int i = 0; i < CRYPTO_TLS_TICKET_CACHE_ENTRIES; i++) {
      if (c->e[i].session == NULL) {
        e = &c->e[i];
        break;
      }
      if (c->e[i].last_used < e->last_used) e = &c->e[i];
    }
  }
  if (e->session != NULL && e->session != s) wolfSSL_SESSION_free(e->session);
  e->session = s;
  copy_str(e->host, sizeof(e->host), host);
  e->port = port;
  for (int i = 0; i < 32; i++) e->trust[i] = trust[i];
  e->last_used = ++c->clock;
  if (info != NULL) e->cert_info = *info;
  e->verify_reason = verify_reason;
  return 1;
}

void crypto_tls_tickets_forget(struct crypto_tls_tickets *c, const char *host, uint16_t port,
                               const uint8_t trust[32]) {
  if (c == NULL || host == NULL) return;
  struct crypto_tls_ticket *e = find(c, host, port, trust);
  if (e == NULL) return;
  wolfSSL_SESSION_free(e->session);
  e->session = NULL;
}

void crypto_tls_tickets_clear(struct crypto_tls_tickets *c) {
  if (c == NULL) return;
  for (int i = 0; i < CRYPTO_TLS_TICKET_CACHE_ENTRIES; i++) {
    if (c->e[i].session != NULL) wolfSSL_SESSION_free(c->e[i].session);
    c->e[i].session = NULL;
  }
}
