// libtls on ViperDOS: the session lives in the kernel (SYS_TLS_*, kernel/tls), this file only
// turns the API of tls.h into those calls and the kernel's error codes into sentences.
// tls_connect() also opens the TCP connection (SYS_DNS_RESOLVE + SYS_SOCKET_*).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/abi/syscalls.h"
#include "user/libc/vdos.h"
#include "user/libtls/tls.h"
#include "user/libtls/tls_err.h"

struct tls {
  int h;             // kernel session handle, -1 once closed
  int fd;            // the TCP socket
  int own_fd;        // opened by tls_connect: tls_close closes it
  int done;          // handshake complete
  struct tls_err e;  // this session's error (tls_error)
  char host[VDOS_TLS_HOST_MAX + 1];
  unsigned char *ca;  // the CA file's bytes, kept until the handshake is done
  size_t ca_len;
};

static const char *errno_text(long e) {
  switch (e) {
    case VDOS_ECONNREFUSED:
      return "connection refused";
    case VDOS_ECONNRESET:
      return "connection reset by peer";
    case VDOS_ETIMEDOUT:
      return "timed out";
    case VDOS_EHOSTUNREACH:
      return "host unreachable";
    case VDOS_ENETUNREACH:
      return "network unreachable";
    case VDOS_ENETDOWN:
      return "network is down";
    case VDOS_EINTR:
      return "interrupted";
    case VDOS_ENOMEM:
      return "out of kernel memory";
    case VDOS_EMFILE:
      return "too many TLS sessions";
    case VDOS_EBADF:
      return "bad descriptor";
    case VDOS_ENOTSOCK:
      return "not a socket";
    case VDOS_ENOTCONN:
      return "socket not connected";
    case VDOS_EPIPE:
      return "connection closed for writing";
    case VDOS_ENOSYS:
      return "TLS not available in this kernel";
    case VDOS_EINVAL:
      return "invalid argument";
    case VDOS_EFAULT:
      return "bad address";
    default:
      return "error";
  }
}

// The certificate's host as the kernel reported it ("CN=localhost, O=..." -> "localhost").
static void cert_host(const char *subject, char *out, size_t cap) {
  const char *cn = strstr(subject, "CN=");
  if (!cn) {
    snprintf(out, cap, "%s", subject[0] ? subject : "an unknown name");
    return;
  }
  cn += 3;
  size_t n = strcspn(cn, ",");
  if (n >= cap) n = cap - 1;
  memcpy(out, cn, n);
  out[n] = '\0';
}

// The certificate the kernel rejected (SYS_TLS_INFO works after a failed handshake), for the
// error sentence; zeroed when the kernel has none.
static void failed_cert(struct tls *t, struct vdos_tls_info *in) {
  memset(in, 0, sizeof(*in));
  if (t->h < 0 || vdos_syscall(SYS_TLS_INFO, t->h, (long)in, 0, 0, 0) != 0) {
    memset(in, 0, sizeof(*in));
    return;
  }
  in->subject[sizeof(in->subject) - 1] = '\0';
  in->issuer[sizeof(in->issuer) - 1] = '\0';
  in->not_before[sizeof(in->not_before) - 1] = '\0';
  in->not_after[sizeof(in->not_after) - 1] = '\0';
}

// Turns a failed SYS_TLS_* result into t's error; the sentences are those of the host backend
// (crypto_tls_describe), built here from the kernel's reason code and SYS_TLS_INFO.
static void tls_fail(struct tls *t, long r) {
  long e = -r;
  static struct vdos_tls_info in;
  switch (e) {
    case VDOS_ETLS_UNKNOWN_CA:
      failed_cert(t, &in);
      if (in.issuer[0]) {
        tls_err_set(&t->e, TLS_ERR_UNKNOWN_CA, "certificate verify failed: unknown CA (issuer %s)",
                    in.issuer);
      } else {
        tls_err_set(&t->e, TLS_ERR_UNKNOWN_CA, "certificate verify failed: unknown CA");
      }
      return;
    case VDOS_ETLS_NAME_MISMATCH: {
      failed_cert(t, &in);
      char who[128];
      cert_host(in.subject, who, sizeof(who));
      tls_err_set(&t->e, TLS_ERR_NAME_MISMATCH,
                  "certificate name mismatch: wanted %s, certificate is for %s",
                  t->host[0] ? t->host : "(none)", who);
      return;
    }
    case VDOS_ETLS_EXPIRED:
    case VDOS_ETLS_NOT_YET_VALID: {
      int expired = e == VDOS_ETLS_EXPIRED;
      failed_cert(t, &in);
      const char *what = expired ? "certificate has expired" : "certificate is not yet valid";
      const char *when = expired ? in.not_after : in.not_before;
      if (when[0]) {
        tls_err_set(&t->e, expired ? TLS_ERR_EXPIRED : TLS_ERR_NOT_YET_VALID, "%s (%s %s)", what,
                    expired ? "not after" : "not before", when);
      } else {
        tls_err_set(&t->e, expired ? TLS_ERR_EXPIRED : TLS_ERR_NOT_YET_VALID, "%s", what);
      }
      return;
    }
    case VDOS_ETLS_BAD_CERT:
      tls_err_set(&t->e, TLS_ERR_BAD_CERT, "bad certificate");
      return;
    case VDOS_ETLS_VERSION:
      tls_err_set(&t->e, TLS_ERR_VERSION, "server does not support TLS 1.3");
      return;
    case VDOS_ETLS_HANDSHAKE:
      tls_err_set(
          &t->e, TLS_ERR_HANDSHAKE,
          "handshake failed (alert from the server, protocol error, or the server closed the "
          "connection)");
      return;
    case VDOS_ETLS_TRUNCATED:
      tls_err_set(&t->e, TLS_ERR_TRUNCATED, "connection closed without close_notify (truncated)");
      return;
    case VDOS_ETIMEDOUT:
      tls_err_set(&t->e, TLS_ERR_TIMEOUT, "timed out");
      return;
    case VDOS_ENOMEM:
      tls_err_set(&t->e, TLS_ERR_NOMEM, "%s", errno_text(e));
      return;
    case VDOS_EINVAL:
      tls_err_set(&t->e, TLS_ERR_ARG, "invalid TLS configuration");
      return;
    default:
      tls_err_set(&t->e, TLS_ERR_IO, "%s (%ld)", errno_text(e), r);
      return;
  }
}

static int read_file(const char *path, unsigned char **out, size_t *len, char *err, size_t cap) {
  long fd = vdos_open(path, VDOS_O_RDONLY);
  if (fd < 0) {
    snprintf(err, cap, "cannot open CA file %s (%ld)", path, fd);
    return -1;
  }
  unsigned char *buf = malloc(VDOS_TLS_CA_MAX);
  size_t n = 0;
  long r = 0;
  if (buf) {
    while (n < VDOS_TLS_CA_MAX && (r = vdos_read((int)fd, buf + n, VDOS_TLS_CA_MAX - n)) > 0) {
      n += (size_t)r;
    }
  }
  unsigned char extra;
  int too_big = buf && n == VDOS_TLS_CA_MAX && vdos_read((int)fd, &extra, 1) > 0;
  vdos_close((int)fd);
  if (!buf || r < 0 || too_big || n == 0) {
    snprintf(err, cap, "CA file %s: %s", path,
             !buf      ? "out of memory"
             : too_big ? "larger than 64 KiB"
             : n == 0  ? "empty"
                       : "read error");
    free(buf);
    return -1;
  }
  *out = buf;
  *len = n;
  return 0;
}

struct tls *tls_new(int fd, const tls_config_t *cfg) {
  tls_config_t def = tls_config_default();
  if (!cfg) cfg = &def;
  if (cfg->verify_cert && (!cfg->hostname || !cfg->hostname[0])) {
    tls_err_set(NULL, TLS_ERR_ARG, "a host name is required to verify the certificate");
    return NULL;
  }
  if (cfg->hostname && strlen(cfg->hostname) > VDOS_TLS_HOST_MAX) {
    tls_err_set(NULL, TLS_ERR_ARG, "host name too long");
    return NULL;
  }
  struct tls *t = calloc(1, sizeof(*t));
  if (!t) {
    tls_err_set(NULL, TLS_ERR_NOMEM, "out of memory");
    return NULL;
  }
  t->h = -1;
  t->fd = fd;
  if (cfg->hostname) snprintf(t->host, sizeof(t->host), "%s", cfg->hostname);
  if (cfg->ca_file &&
      read_file(cfg->ca_file, &t->ca, &t->ca_len, tls_last_err.msg, sizeof(tls_last_err.msg))) {
    tls_last_err.code = TLS_ERR_ARG;
    free(t);
    return NULL;
  }
  struct vdos_tls_config k = {
      .hostname = cfg->hostname,
      .verify = cfg->verify_cert ? 1 : 0,
      .timeout_ms = cfg->timeout_ms,
      .alpn = cfg->alpn,
      .ca_pem = t->ca,
      .ca_pem_len = t->ca_len,
  };
  long h = vdos_syscall(SYS_TLS_CREATE, fd, (long)&k, 0, 0, 0);
  // The kernel copied the CA; it is not needed any more.
  free(t->ca);
  t->ca = NULL;
  if (h < 0) {
    tls_fail(t, h);
    tls_err_set(NULL, t->e.code, "%s", t->e.msg);
    free(t);
    return NULL;
  }
  t->h = (int)h;
  return t;
}

int tls_handshake(struct tls *t) {
  if (!t || t->h < 0) return -1;
  if (t->done) return 0;
  long r = vdos_syscall(SYS_TLS_HANDSHAKE, t->h, 0, 0, 0, 0);
  if (r < 0) {
    tls_fail(t, r);
    return -1;
  }
  t->done = 1;
  return 0;
}

static int parse_ipv4(const char *s, unsigned *out) {
  unsigned v = 0;
  for (int part = 0; part < 4; part++) {
    if (*s < '0' || *s > '9') return -1;
    unsigned b = 0;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
      b = b * 10 + (unsigned)(*s++ - '0');
      if (++digits > 3 || b > 255) return -1;
    }
    v = v << 8 | b;
    if (part < 3 && *s++ != '.') return -1;
  }
  if (*s) return -1;
  *out = v;
  return 0;
}

struct tls *tls_connect(const char *host, uint16_t port, const tls_config_t *cfg) {
  if (!host || !host[0] || port == 0) {
    tls_err_set(NULL, TLS_ERR_ARG, "host and port required");
    return NULL;
  }
  tls_config_t c = cfg ? *cfg : tls_config_default();
  if (!c.hostname) c.hostname = host;
  unsigned addr;
  if (parse_ipv4(host, &addr) != 0) {
    static struct vdos_dns_result res;
    long r = vdos_syscall(SYS_DNS_RESOLVE, (long)host, (long)&res, 0, 0, 0);
    if (r <= 0 || res.count == 0) {
      tls_err_set(NULL, TLS_ERR_IO, "cannot resolve %s (%s)", host,
                  r == -VDOS_ENOENT || r == 0 ? "name does not exist" : errno_text(-r));
      return NULL;
    }
    addr = res.addrs[0];
  }
  long fd = vdos_syscall(SYS_SOCKET_CREATE, VDOS_AF_INET, VDOS_SOCK_STREAM, VDOS_IPPROTO_TCP, 0, 0);
  if (fd < 0) {
    tls_err_set(NULL, TLS_ERR_IO, "socket: %s", errno_text(-fd));
    return NULL;
  }
  struct vdos_sockaddr_in to = {VDOS_AF_INET, port, addr};
  long r = vdos_syscall(SYS_SOCKET_CONNECT, fd, (long)&to, 0, 0, 0);
  if (r < 0) {
    tls_err_set(NULL, r == -VDOS_ETIMEDOUT ? TLS_ERR_TIMEOUT : TLS_ERR_IO, "%s by %u.%u.%u.%u:%u",
                errno_text(-r), addr >> 24, (addr >> 16) & 255, (addr >> 8) & 255, addr & 255,
                port);
    if (r != -VDOS_ECONNREFUSED) {
      // "timed out by" reads oddly; say what happened to what.
      tls_err_set(NULL, tls_last_err.code, "connecting to %u.%u.%u.%u:%u: %s", addr >> 24,
                  (addr >> 16) & 255, (addr >> 8) & 255, addr & 255, port, errno_text(-r));
    }
    vdos_close((int)fd);
    return NULL;
  }
  struct tls *t = tls_new((int)fd, &c);
  if (!t) {
    vdos_close((int)fd);
    return NULL;
  }
  t->own_fd = 1;
  if (tls_handshake(t) != 0) {
    tls_err_set(NULL, t->e.code, "%s", t->e.msg);
    tls_close(t);
    return NULL;
  }
  return t;
}

ssize_t tls_send(struct tls *t, const void *buf, size_t len) {
  if (!t || t->h < 0) return -1;
  if (!t->done && tls_handshake(t) != 0) return -1;
  long r = vdos_syscall(SYS_TLS_SEND, t->h, (long)buf, (long)len, 0, 0);
  if (r < 0) {
    tls_fail(t, r);
    return -1;
  }
  return r;
}

ssize_t tls_recv(struct tls *t, void *buf, size_t len) {
  if (!t || t->h < 0) return -1;
  if (!t->done && tls_handshake(t) != 0) return -1;
  long r = vdos_syscall(SYS_TLS_RECV, t->h, (long)buf, (long)len, 0, 0);
  if (r < 0) {
    tls_fail(t, r);
    return -1;
  }
  return r;
}

int tls_close(struct tls *t) {
  if (!t) return -1;
  long r = 0;
  if (t->h >= 0) r = vdos_syscall(SYS_TLS_CLOSE, t->h, 0, 0, 0, 0);
  if (t->own_fd) vdos_close(t->fd);
  free(t);
  return r < 0 ? -1 : 0;
}

const char *tls_error(const struct tls *t) { return t ? t->e.msg : tls_last_err.msg; }

int tls_error_code(const struct tls *t) { return t ? t->e.code : tls_last_err.code; }

int tls_info(struct tls *t, struct tls_info *out) {
  if (!t || t->h < 0 || !out) return -1;
  struct vdos_tls_info in;
  long r = vdos_syscall(SYS_TLS_INFO, t->h, (long)&in, 0, 0, 0);
  if (r < 0) {
    tls_fail(t, r);
    return -1;
  }
  memset(out, 0, sizeof(*out));
  // The kernel NUL-terminates; terminate again so a short copy can never run off the end.
#define COPY(f) snprintf(out->f, sizeof(out->f), "%.*s", (int)sizeof(in.f) - 1, in.f)
  COPY(protocol);
  COPY(cipher);
  COPY(group);
  COPY(alpn);
  COPY(subject);
  COPY(issuer);
  COPY(not_before);
  COPY(not_after);
#undef COPY
  out->resumed = in.resumed;
  out->verify_ok = in.verify_result == 0;
  out->handshake_ns = in.handshake_ns;
  return 0;
}
