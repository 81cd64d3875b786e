// Pure conversions of the socket API; see netconv.h.
#include "user/libc/netconv.h"

#include <errno.h>

#include "kernel/abi/syscalls.h"

static int is_digit(char c) { return c >= '0' && c <= '9'; }

int vdos_ipv4_parse(const char *s, uint32_t *out) {
  uint32_t addr = 0;
  for (int part = 0; part < 4; part++) {
    if (part > 0 && *s++ != '.') return 0;
    if (!is_digit(*s)) return 0;
    // A leading zero would be octal to inet_aton: RFC 4001-style text forbids the ambiguity.
    if (s[0] == '0' && is_digit(s[1])) return 0;
    unsigned v = 0;
    int digits = 0;
    while (is_digit(*s)) {
      if (++digits > 3) return 0;
      v = v * 10 + (unsigned)(*s++ - '0');
    }
    if (v > 255) return 0;
    addr = addr << 8 | v;
  }
  if (*s != '\0') return 0;
  *out = addr;
  return 1;
}

// One part of a legacy address: value in *v (up to 32 bits); returns the rest or NULL.
static const char *legacy_part(const char *s, uint32_t *v) {
  unsigned base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
  } else if (s[0] == '0') {
    base = 8;
  }
  uint64_t acc = 0;
  int digits = 0;
  for (;; s++, digits++) {
    unsigned d;
    if (is_digit(*s)) {
      d = (unsigned)(*s - '0');
    } else if (*s >= 'a' && *s <= 'f') {
      d = (unsigned)(*s - 'a' + 10);
    } else if (*s >= 'A' && *s <= 'F') {
      d = (unsigned)(*s - 'A' + 10);
    } else {
      break;
    }
    if (d >= base) return NULL;
    acc = acc * base + d;
    if (acc > UINT32_MAX) return NULL;
  }
  // "0x" alone has no digits; a lone "0" counts as octal zero.
  if (digits == 0 && base != 8) return NULL;
  *v = (uint32_t)acc;
  return s;
}

int vdos_ipv4_parse_legacy(const char *s, uint32_t *out) {
  uint32_t parts[4];
  int n = 0;
  for (;;) {
    if (!is_digit(*s)) return 0;
    s = legacy_part(s, &parts[n]);
    if (!s) return 0;
    n++;
    if (*s == '\0') break;
    if (*s != '.' || n == 4) return 0;
    s++;
  }
  // Every part but the last is one byte; the last fills the remaining (4 - n + 1) bytes.
  uint32_t addr = 0;
  for (int i = 0; i < n - 1; i++) {
    if (parts[i] > 255) return 0;
    addr |= parts[i] << (24 - 8 * i);
  }
  int last_bytes = 4 - (n - 1);
  uint32_t last = parts[n - 1];
  if (last_bytes < 4 && last >> (8 * last_bytes)) return 0;
  *out = addr | last;
  return 1;
}

size_t vdos_ipv4_format(uint32_t addr, char *buf, size_t cap) {
  char tmp[VDOS_IPV4_TEXT_MAX];
  size_t len = 0;
  for (int i = 0; i < 4; i++) {
    unsigned v = (addr >> (24 - 8 * i)) & 255;
    if (i > 0) tmp[len++] = '.';
    if (v >= 100) tmp[len++] = (char)('0' + v / 100);
    if (v >= 10) tmp[len++] = (char)('0' + v / 10 % 10);
    tmp[len++] = (char)('0' + v % 10);
  }
  if (len + 1 > cap) {
    if (cap > 0) buf[0] = '\0';
    return 0;
  }
  for (size_t i = 0; i < len; i++) buf[i] = tmp[i];
  buf[len] = '\0';
  return len;
}

int vdos_port_parse(const char *s, uint16_t *out) {
  if (!is_digit(*s)) return 0;
  uint32_t v = 0;
  for (; is_digit(*s); s++) {
    v = v * 10 + (uint32_t)(*s - '0');
    if (v > 65535) return 0;
  }
  if (*s != '\0') return 0;
  *out = (uint16_t)v;
  return 1;
}

int vdos_gai_numeric(const char *node, const char *service, int flags, uint32_t *addr,
                     uint16_t *port) {
  if (flags & ~VDOS_AI_KNOWN_FLAGS) return VDOS_EAI_BADFLAGS;
  if (!node && !service) return VDOS_EAI_NONAME;
  *port = 0;
  if (service && !vdos_port_parse(service, port)) {
    // Service names would need /etc/services; say so instead of guessing.
    return VDOS_EAI_SERVICE;
  }
  if (!node) {
    *addr = (flags & VDOS_AI_PASSIVE) ? 0 : 0x7F000001u;
    return VDOS_GAI_DONE;
  }
  if (vdos_ipv4_parse(node, addr)) return VDOS_GAI_DONE;
  if (flags & VDOS_AI_NUMERICHOST) return VDOS_EAI_NONAME;
  if (node[0] == '\0') return VDOS_EAI_NONAME;
  return VDOS_GAI_DNS;
}

int vdos_gai_from_dns_error(long err) {
  switch (-err) {
    case VDOS_ENOENT:  // NXDOMAIN
    case VDOS_ENODATA:
    case VDOS_EINVAL:  // not a valid DNS name
      return VDOS_EAI_NONAME;
    case VDOS_ETIMEDOUT:
    case VDOS_ECONNREFUSED:
    case VDOS_ENETDOWN:
    case VDOS_ENETUNREACH:
    case VDOS_EHOSTUNREACH:
    case VDOS_EAGAIN:
      return VDOS_EAI_AGAIN;
    case VDOS_ENOMEM:
      return VDOS_EAI_MEMORY;
    default:
      return VDOS_EAI_FAIL;
  }
}

const char *vdos_gai_text(int code) {
  switch (code) {
    case 0:
      return "Success";
    case VDOS_EAI_BADFLAGS:
      return "Bad value for ai_flags";
    case VDOS_EAI_NONAME:
      return "Name or service not known";
    case VDOS_EAI_AGAIN:
      return "Temporary failure in name resolution";
    case VDOS_EAI_FAIL:
      return "Non-recoverable failure in name resolution";
    case VDOS_EAI_FAMILY:
      return "ai_family not supported (IPv4 only)";
    case VDOS_EAI_SOCKTYPE:
      return "ai_socktype not supported";
    case VDOS_EAI_SERVICE:
      return "Servname not supported for ai_socktype (use a port number)";
    case VDOS_EAI_MEMORY:
      return "Memory allocation failure";
    case VDOS_EAI_SYSTEM:
      return "System error";
    case VDOS_EAI_OVERFLOW:
      return "Argument buffer overflow";
    default:
      return "Unknown getaddrinfo error";
  }
}

int vdos_timeval_to_ms(long long sec, long long usec, uint32_t *ms) {
  if (sec < 0 || usec < 0 || usec > 999999) return -1;
  if (sec > (long long)(UINT32_MAX / 1000)) {
    *ms = UINT32_MAX;
    return 0;
  }
  uint64_t v = (uint64_t)sec * 1000 + (uint64_t)(usec + 999) / 1000;
  *ms = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
  return 0;
}

void vdos_ms_to_timeval(uint32_t ms, long long *sec, long long *usec) {
  *sec = ms / 1000;
  *usec = (long long)(ms % 1000) * 1000;
}

// One row per ABI error: its errno in this C library and what a user should read.
struct err_row {
  int vdos;
  int errnum;
  const char *text;
};

static const struct err_row kErrors[] = {
    {VDOS_EPERM, EPERM, "operation not permitted"},
    {VDOS_ENOENT, ENOENT, "object not found"},
    {VDOS_ESRCH, ESRCH, "no such program"},
    {VDOS_EINTR, EINTR, "interrupted (Ctrl-C)"},
    {VDOS_EIO, EIO, "input/output error"},
    {VDOS_E2BIG, E2BIG, "argument list too long"},
    {VDOS_ENOEXEC, ENOEXEC, "not an executable"},
    {VDOS_EBADF, EBADF, "bad file descriptor"},
    {VDOS_ECHILD, ECHILD, "no such child program"},
    {VDOS_EAGAIN, EAGAIN,
     "resource temporarily unavailable (too many programs, or a non-blocking call would wait)"},
    {VDOS_ENOMEM, ENOMEM, "out of memory"},
    {VDOS_EFAULT, EFAULT, "bad address"},
    {VDOS_EBUSY, EBUSY, "device or resource busy"},
    {VDOS_EEXIST, EEXIST, "object already exists"},
    {VDOS_ENODEV, ENODEV, "no such device (no network card)"},
    {VDOS_ENOTDIR, ENOTDIR, "not a directory"},
    {VDOS_EISDIR, EISDIR, "is a directory"},
    {VDOS_EINVAL, EINVAL, "invalid argument"},
    {VDOS_EMFILE, EMFILE, "too many open files or sockets"},
    {VDOS_EFBIG, EFBIG, "file too large"},
    {VDOS_ENOSPC, ENOSPC, "no space left"},
    {VDOS_ESPIPE, ESPIPE, "cannot seek on this descriptor"},
    {VDOS_EPIPE, EPIPE, "broken pipe (the connection is closed for sending)"},
    {VDOS_ENAMETOOLONG, ENAMETOOLONG, "name too long"},
    {VDOS_ENOSYS, ENOSYS, "function not implemented"},
    {VDOS_ENOTEMPTY, ENOTEMPTY, "directory not empty"},
    {VDOS_ENODATA, ENODATA, "no data (no address of this kind for the name)"},
    {VDOS_ENOTSOCK, ENOTSOCK, "not a socket"},
    {VDOS_EDESTADDRREQ, EDESTADDRREQ, "destination address required"},
    {VDOS_EMSGSIZE, EMSGSIZE, "message too long"},
    {VDOS_EPROTOTYPE, EPROTOTYPE, "protocol wrong type for socket"},
    {VDOS_ENOPROTOOPT, ENOPROTOOPT, "socket option not supported"},
    {VDOS_EPROTONOSUPPORT, EPROTONOSUPPORT, "protocol not supported"},
    {VDOS_EOPNOTSUPP, EOPNOTSUPP, "operation not supported on this socket"},
    {VDOS_EAFNOSUPPORT, EAFNOSUPPORT, "address family not supported (IPv4 only)"},
    {VDOS_EADDRINUSE, EADDRINUSE, "address already in use"},
    {VDOS_EADDRNOTAVAIL, EADDRNOTAVAIL, "address not available on this machine"},
    {VDOS_ENETDOWN, ENETDOWN, "network is down"},
    {VDOS_ENETUNREACH, ENETUNREACH, "network unreachable"},
    {VDOS_ECONNABORTED, ECONNABORTED, "connection aborted"},
    {VDOS_ECONNRESET, ECONNRESET, "connection reset by peer"},
    {VDOS_ENOBUFS, ENOBUFS, "no buffer space available"},
    {VDOS_EISCONN, EISCONN, "socket is already connected"},
    {VDOS_ENOTCONN, ENOTCONN, "socket is not connected"},
    {VDOS_ETIMEDOUT, ETIMEDOUT, "timed out"},
    {VDOS_ECONNREFUSED, ECONNREFUSED, "connection refused"},
    {VDOS_EHOSTUNREACH, EHOSTUNREACH, "no route to host"},
    {VDOS_EALREADY, EALREADY, "operation already in progress"},
    {VDOS_EINPROGRESS, EINPROGRESS, "operation in progress"},
    {VDOS_ETLS_UNKNOWN_CA, VDOS_ETLS_UNKNOWN_CA,
     "TLS: certificate chain does not lead to a trusted root"},
    {VDOS_ETLS_NAME_MISMATCH, VDOS_ETLS_NAME_MISMATCH,
     "TLS: certificate is not for the requested host name"},
    {VDOS_ETLS_EXPIRED, VDOS_ETLS_EXPIRED, "TLS: certificate has expired"},
    {VDOS_ETLS_NOT_YET_VALID, VDOS_ETLS_NOT_YET_VALID, "TLS: certificate is not yet valid"},
    {VDOS_ETLS_BAD_CERT, VDOS_ETLS_BAD_CERT, "TLS: malformed or unacceptable certificate"},
    {VDOS_ETLS_VERSION, VDOS_ETLS_VERSION, "TLS: server does not speak TLS 1.3"},
    {VDOS_ETLS_HANDSHAKE, VDOS_ETLS_HANDSHAKE, "TLS: handshake failed"},
    {VDOS_ETLS_TRUNCATED, VDOS_ETLS_TRUNCATED,
     "TLS: peer closed the connection without close_notify (truncated)"},
};

#define ERR_ROWS (sizeof(kErrors) / sizeof(kErrors[0]))

// errno values the C library itself sets (strtol, math, malloc) that no syscall returns.
static const struct err_row kLibcOnly[] = {
    {0, ERANGE, "result out of range"},
    {0, EDOM, "argument out of domain"},
    {0, EILSEQ, "illegal byte sequence"},
    {0, EOVERFLOW, "value too large for the data type"},
};

int vdos_errno_from(long vdos_err) {
  for (size_t i = 0; i < ERR_ROWS; i++) {
    if (kErrors[i].vdos == vdos_err) return kErrors[i].errnum;
  }
  return EIO;
}

const char *vdos_errno_text(int errnum) {
  if (errnum == 0) return "success";
  for (size_t i = 0; i < ERR_ROWS; i++) {
    if (kErrors[i].errnum == errnum) return kErrors[i].text;
  }
  for (size_t i = 0; i < sizeof(kLibcOnly) / sizeof(kLibcOnly[0]); i++) {
    if (kLibcOnly[i].errnum == errnum) return kLibcOnly[i].text;
  }
  return NULL;
}

const char *vdos_error_text(long vdos_err) {
  for (size_t i = 0; i < ERR_ROWS; i++) {
    if (kErrors[i].vdos == vdos_err) return kErrors[i].text;
  }
  return NULL;
}
