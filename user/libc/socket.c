// POSIX sockets, poll, read/write/close, getaddrinfo and strerror on top of the ViperDOS syscalls.
// Failures return -1 with errno set from the negative syscall result (netconv.c maps VDOS_E* to
// this C library's errno values). Addresses cross the ABI in host byte order
// (struct vdos_sockaddr_in); struct sockaddr_in is network byte order.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "user/libc/netconv.h"
#include "user/libc/vdos.h"

// The POSIX constants pass through to the ABI unchanged; keep the two in step.
_Static_assert(AF_INET == VDOS_AF_INET, "AF_INET");
_Static_assert(SOCK_STREAM == VDOS_SOCK_STREAM && SOCK_DGRAM == VDOS_SOCK_DGRAM, "SOCK_*");
_Static_assert(SOCK_NONBLOCK == VDOS_SOCK_NONBLOCK, "SOCK_NONBLOCK");
_Static_assert(MSG_PEEK == VDOS_MSG_PEEK && MSG_DONTWAIT == VDOS_MSG_DONTWAIT, "MSG_*");
_Static_assert(SHUT_RD == VDOS_SHUT_RD && SHUT_WR == VDOS_SHUT_WR && SHUT_RDWR == VDOS_SHUT_RDWR,
               "SHUT_*");
_Static_assert(SOL_SOCKET == VDOS_SOL_SOCKET && SO_REUSEADDR == VDOS_SO_REUSEADDR &&
                   SO_TYPE == VDOS_SO_TYPE && SO_ERROR == VDOS_SO_ERROR &&
                   SO_SNDBUF == VDOS_SO_SNDBUF && SO_RCVBUF == VDOS_SO_RCVBUF &&
                   SO_KEEPALIVE == VDOS_SO_KEEPALIVE && SO_RCVTIMEO == VDOS_SO_RCVTIMEO &&
                   SO_SNDTIMEO == VDOS_SO_SNDTIMEO,
               "SO_*");
_Static_assert(TCP_NODELAY == VDOS_TCP_NODELAY && TCP_KEEPIDLE == VDOS_TCP_KEEPIDLE &&
                   TCP_KEEPINTVL == VDOS_TCP_KEEPINTVL && TCP_KEEPCNT == VDOS_TCP_KEEPCNT,
               "TCP_*");
_Static_assert(IPPROTO_TCP == VDOS_IPPROTO_TCP && IPPROTO_UDP == VDOS_IPPROTO_UDP, "IPPROTO_*");
_Static_assert(POLLIN == VDOS_POLLIN && POLLPRI == VDOS_POLLPRI && POLLOUT == VDOS_POLLOUT &&
                   POLLERR == VDOS_POLLERR && POLLHUP == VDOS_POLLHUP && POLLNVAL == VDOS_POLLNVAL,
               "POLL*");
_Static_assert(sizeof(struct pollfd) == sizeof(struct vdos_pollfd), "struct pollfd");
_Static_assert(AI_PASSIVE == VDOS_AI_PASSIVE && AI_CANONNAME == VDOS_AI_CANONNAME &&
                   AI_NUMERICHOST == VDOS_AI_NUMERICHOST && AI_NUMERICSERV == VDOS_AI_NUMERICSERV,
               "AI_*");
_Static_assert(EAI_NONAME == VDOS_EAI_NONAME && EAI_AGAIN == VDOS_EAI_AGAIN &&
                   EAI_FAIL == VDOS_EAI_FAIL && EAI_SERVICE == VDOS_EAI_SERVICE &&
                   EAI_FAMILY == VDOS_EAI_FAMILY && EAI_SOCKTYPE == VDOS_EAI_SOCKTYPE &&
                   EAI_BADFLAGS == VDOS_EAI_BADFLAGS && EAI_MEMORY == VDOS_EAI_MEMORY,
               "EAI_*");

// Longest timeout the kernel takes (SO_RCVTIMEO/SO_SNDTIMEO, poll), one day; see docs/syscalls.md.
// Longer ones are clamped, as Linux clamps what it cannot represent.
#define SOCK_TIMEOUT_MAX_MS 86400000

// A syscall result as the POSIX convention: >= 0 passes, < 0 sets errno and gives -1.
static long ret(long r) {
  if (r < 0) {
    errno = vdos_errno_from(-r);
    return -1;
  }
  return r;
}

static int fail(int e) {
  errno = e;
  return -1;
}

// struct sockaddr (POSIX, network order) -> ABI address; -1 with errno on bad input.
static int to_vdos(const struct sockaddr *sa, socklen_t len, struct vdos_sockaddr_in *out) {
  if (!sa) return fail(EFAULT);
  if (len < sizeof(struct sockaddr_in)) return fail(EINVAL);
  const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
  if (in->sin_family != AF_INET) return fail(EAFNOSUPPORT);
  out->family = VDOS_AF_INET;
  out->port = ntohs(in->sin_port);
  out->addr = ntohl(in->sin_addr.s_addr);
  return 0;
}

// ABI address -> caller's buffer, truncated to *len as POSIX says; *len becomes the full size.
static void from_vdos(const struct vdos_sockaddr_in *v, struct sockaddr *sa, socklen_t *len) {
  if (!sa || !len) return;
  struct sockaddr_in in;
  memset(&in, 0, sizeof(in));
  in.sin_family = AF_INET;
  in.sin_port = htons(v->port);
  in.sin_addr.s_addr = htonl(v->addr);
  size_t n = *len < sizeof(in) ? *len : sizeof(in);
  memcpy(sa, &in, n);
  *len = sizeof(in);
}

int socket(int domain, int type, int protocol) {
  // Programs never exec, so close-on-exec has nothing to do.
  type &= ~SOCK_CLOEXEC;
  return (int)ret(vdos_syscall(SYS_SOCKET_CREATE, domain, type, protocol, 0, 0));
}

int connect(int fd, const struct sockaddr *addr, socklen_t len) {
  struct vdos_sockaddr_in v;
  if (to_vdos(addr, len, &v) < 0) return -1;
  return (int)ret(vdos_syscall(SYS_SOCKET_CONNECT, fd, (long)&v, 0, 0, 0));
}

int bind(int fd, const struct sockaddr *addr, socklen_t len) {
  struct vdos_sockaddr_in v;
  if (to_vdos(addr, len, &v) < 0) return -1;
  return (int)ret(vdos_syscall(SYS_SOCKET_BIND, fd, (long)&v, 0, 0, 0));
}

int listen(int fd, int backlog) {
  return (int)ret(vdos_syscall(SYS_SOCKET_LISTEN, fd, backlog, 0, 0, 0));
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
  struct vdos_sockaddr_in v;
  flags &= ~SOCK_CLOEXEC;
  long r = vdos_syscall(SYS_SOCKET_ACCEPT, fd, (long)&v, flags, 0, 0);
  if (r < 0) return (int)ret(r);
  from_vdos(&v, addr, len);
  return (int)r;
}

int accept(int fd, struct sockaddr *addr, socklen_t *len) { return accept4(fd, addr, len, 0); }

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
               socklen_t tolen) {
  struct vdos_sockaddr_in v, *vp = NULL;
  if (to) {
    if (to_vdos(to, tolen, &v) < 0) return -1;
    vp = &v;
  }
  flags &= ~MSG_NOSIGNAL;
  return ret(vdos_syscall(SYS_SOCKET_SEND, fd, (long)buf, (long)len, flags, (long)vp));
}

ssize_t send(int fd, const void *buf, size_t len, int flags) {
  return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
                 socklen_t *fromlen) {
  struct vdos_sockaddr_in v;
  int waitall = (flags & MSG_WAITALL) && !(flags & (MSG_PEEK | MSG_DONTWAIT));
  int type_known = 0;
  flags &= ~(MSG_WAITALL | MSG_NOSIGNAL);
  size_t got = 0;
  // MSG_WAITALL is the C library's loop: stop at the end of the stream or on an error after
  // some data (returned now; the error shows up on the next call).
  for (;;) {
    long r = vdos_syscall(SYS_SOCKET_RECV, fd, (long)((char *)buf + got), (long)(len - got), flags,
                          from ? (long)&v : 0);
    if (r < 0) {
      if (got > 0) break;
      return ret(r);
    }
    if (got == 0) from_vdos(&v, from, fromlen);
    got += (size_t)r;
    if (r == 0 || !waitall || got >= len) break;
    if (!type_known) {
      // Only a byte stream can be filled up; a datagram socket returns one datagram regardless.
      // Asked only after a short read: a read that filled the buffer needs no second call.
      type_known = 1;
      int32_t type = 0;
      if (vdos_syscall(SYS_SOCKET_GETOPT, fd, SOL_SOCKET, SO_TYPE, (long)&type, sizeof(type)) !=
              sizeof(type) ||
          type != SOCK_STREAM) {
        break;
      }
    }
  }
  return (ssize_t)got;
}

ssize_t recv(int fd, void *buf, size_t len, int flags) {
  return recvfrom(fd, buf, len, flags, NULL, NULL);
}

int shutdown(int fd, int how) {
  return (int)ret(vdos_syscall(SYS_SOCKET_SHUTDOWN, fd, how, 0, 0, 0));
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len) {
  if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
    if (!val) return fail(EFAULT);
    if (len < sizeof(struct timeval)) return fail(EINVAL);
    const struct timeval *tv = val;
    uint32_t ms;
    if (vdos_timeval_to_ms(tv->tv_sec, tv->tv_usec, &ms) < 0) return fail(EDOM);
    int32_t v = ms > SOCK_TIMEOUT_MAX_MS ? SOCK_TIMEOUT_MAX_MS : (int32_t)ms;
    return (int)ret(vdos_syscall(SYS_SOCKET_SETOPT, fd, level, name, (long)&v, sizeof(v)));
  }
  return (int)ret(vdos_syscall(SYS_SOCKET_SETOPT, fd, level, name, (long)val, (long)len));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len) {
  if (!val || !len) return fail(EFAULT);
  int32_t v = 0;
  long r = vdos_syscall(SYS_SOCKET_GETOPT, fd, level, name, (long)&v, sizeof(v));
  if (r < 0) return (int)ret(r);
  if (level == SOL_SOCKET && (name == SO_RCVTIMEO || name == SO_SNDTIMEO)) {
    if (*len < sizeof(struct timeval)) return fail(EINVAL);
    long long sec, usec;
    vdos_ms_to_timeval((uint32_t)v, &sec, &usec);
    struct timeval tv = {.tv_sec = (time_t)sec, .tv_usec = (suseconds_t)usec};
    memcpy(val, &tv, sizeof(tv));
    *len = sizeof(tv);
    return 0;
  }
  // SO_ERROR carries an ABI error number: the program compares it with errno values.
  if (level == SOL_SOCKET && name == SO_ERROR && v != 0) v = vdos_errno_from(v < 0 ? -v : v);
  size_t n = *len < sizeof(v) ? *len : sizeof(v);
  memcpy(val, &v, n);
  *len = (socklen_t)n;
  return 0;
}

static int getname(int fd, int peer, struct sockaddr *addr, socklen_t *len) {
  if (!addr || !len) return fail(EFAULT);
  struct vdos_sockaddr_in v;
  long r = vdos_syscall(SYS_SOCKET_GETNAME, fd, peer, (long)&v, 0, 0);
  if (r < 0) return (int)ret(r);
  from_vdos(&v, addr, len);
  return 0;
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len) { return getname(fd, 0, addr, len); }

int getpeername(int fd, struct sockaddr *addr, socklen_t *len) { return getname(fd, 1, addr, len); }

int poll(struct pollfd *fds, nfds_t n, int timeout_ms) {
  if (n > VDOS_POLL_MAX) return fail(EINVAL);
  if (timeout_ms > SOCK_TIMEOUT_MAX_MS) timeout_ms = SOCK_TIMEOUT_MAX_MS;
  return (int)ret(vdos_syscall(SYS_SOCKET_POLL, (long)fds, (long)n, timeout_ms, 0, 0));
}

// select() as a front end to poll: the kernel has one readiness call. FD_SETSIZE (64) equals
// the most descriptors poll takes, so every set fits in one call.
int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *timeout) {
  if (nfds < 0 || nfds > FD_SETSIZE) return fail(EINVAL);
  struct pollfd p[FD_SETSIZE];
  nfds_t n = 0;
  for (int fd = 0; fd < nfds; fd++) {
    short ev = 0;
    if (rd && FD_ISSET(fd, rd)) ev |= POLLIN;
    if (wr && FD_ISSET(fd, wr)) ev |= POLLOUT;
    if (ex && FD_ISSET(fd, ex)) ev |= POLLPRI;
    if (ev) p[n++] = (struct pollfd){.fd = fd, .events = ev};
  }
  int ms = -1;
  if (timeout) {
    uint32_t t;
    if (vdos_timeval_to_ms(timeout->tv_sec, timeout->tv_usec, &t) < 0) return fail(EINVAL);
    ms = t > SOCK_TIMEOUT_MAX_MS ? SOCK_TIMEOUT_MAX_MS : (int)t;
  }
  int r = poll(p, n, ms);
  if (r < 0) return -1;
  for (nfds_t i = 0; i < n; i++) {
    if (p[i].revents & POLLNVAL) return fail(EBADF);
  }
  if (rd) FD_ZERO(rd);
  if (wr) FD_ZERO(wr);
  if (ex) FD_ZERO(ex);
  int ready = 0;
  for (nfds_t i = 0; i < n; i++) {
    short re = p[i].revents;
    // As Linux does: end of stream and errors make a descriptor readable (the read tells which).
    if ((p[i].events & POLLIN) && (re & (POLLIN | POLLHUP | POLLERR))) {
      FD_SET(p[i].fd, rd);
      ready++;
    }
    if ((p[i].events & POLLOUT) && (re & (POLLOUT | POLLERR))) {
      FD_SET(p[i].fd, wr);
      ready++;
    }
    if ((p[i].events & POLLPRI) && (re & POLLPRI)) {
      FD_SET(p[i].fd, ex);
      ready++;
    }
  }
  return ready;
}

// fcntl: what portable network code uses it for. O_NONBLOCK on a socket is the kernel's
// SO_NONBLOCK option; other descriptors (console, files) have no non-blocking mode and report
// O_RDWR. FD_CLOEXEC is accepted and ignored: programs never exec.
int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long);
  va_end(ap);
  int32_t v = 0;
  long r = vdos_syscall(SYS_SOCKET_GETOPT, fd, SOL_SOCKET, VDOS_SO_NONBLOCK, (long)&v, sizeof(v));
  int is_socket = r >= 0;
  if (!is_socket && r != -VDOS_ENOTSOCK) return (int)ret(r);  // -EBADF for a closed descriptor
  switch (cmd) {
    case F_GETFD:
      return 0;
    case F_SETFD:
      return 0;
    case F_GETFL:
      return O_RDWR | (v ? O_NONBLOCK : 0);
    case F_SETFL:
      if (!is_socket) return 0;
      v = (arg & O_NONBLOCK) ? 1 : 0;
      return (int)ret(
          vdos_syscall(SYS_SOCKET_SETOPT, fd, SOL_SOCKET, VDOS_SO_NONBLOCK, (long)&v, sizeof(v)));
    default:
      return fail(EINVAL);
  }
}

ssize_t read(int fd, void *buf, size_t n) { return ret(vdos_read(fd, buf, n)); }

ssize_t write(int fd, const void *buf, size_t n) { return ret(vdos_write(fd, buf, n)); }

int close(int fd) { return (int)ret(vdos_close(fd)); }

// --- Addresses

int inet_pton(int af, const char *src, void *dst) {
  if (af != AF_INET) return fail(EAFNOSUPPORT);
  uint32_t a;
  if (!vdos_ipv4_parse(src, &a)) return 0;
  uint32_t net = htonl(a);
  memcpy(dst, &net, sizeof(net));
  return 1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size) {
  if (af != AF_INET) {
    errno = EAFNOSUPPORT;
    return NULL;
  }
  uint32_t net;
  memcpy(&net, src, sizeof(net));
  if (vdos_ipv4_format(ntohl(net), dst, size) == 0) {
    errno = ENOSPC;
    return NULL;
  }
  return dst;
}

int inet_aton(const char *cp, struct in_addr *inp) {
  uint32_t a;
  if (!vdos_ipv4_parse_legacy(cp, &a)) return 0;
  if (inp) inp->s_addr = htonl(a);
  return 1;
}

in_addr_t inet_addr(const char *cp) {
  struct in_addr in;
  return inet_aton(cp, &in) ? in.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in) {
  static char buf[INET_ADDRSTRLEN];
  vdos_ipv4_format(ntohl(in.s_addr), buf, sizeof(buf));
  return buf;
}

// --- getaddrinfo

// One result: the addrinfo, its sockaddr_in and the canonical name live in one allocation.
static struct addrinfo *new_ai(uint32_t addr, uint16_t port, int socktype, int protocol,
                               const char *canon) {
  size_t canon_len = canon ? strlen(canon) + 1 : 0;
  struct addrinfo *ai = calloc(1, sizeof(*ai) + sizeof(struct sockaddr_in) + canon_len);
  if (!ai) return NULL;
  struct sockaddr_in *in = (struct sockaddr_in *)(ai + 1);
  in->sin_family = AF_INET;
  in->sin_port = htons(port);
  in->sin_addr.s_addr = htonl(addr);
  ai->ai_family = AF_INET;
  ai->ai_socktype = socktype;
  ai->ai_protocol = protocol;
  ai->ai_addrlen = sizeof(*in);
  ai->ai_addr = (struct sockaddr *)in;
  if (canon) {
    ai->ai_canonname = (char *)(in + 1);
    memcpy(ai->ai_canonname, canon, canon_len);
  }
  return ai;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res) {
  if (!res) return EAI_FAIL;
  *res = NULL;
  int flags = hints ? hints->ai_flags : 0;
  int family = hints ? hints->ai_family : AF_UNSPEC;
  int socktype = hints ? hints->ai_socktype : 0;
  int protocol = hints ? hints->ai_protocol : 0;
  if (family != AF_UNSPEC && family != AF_INET) return EAI_FAMILY;
  if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM) return EAI_SOCKTYPE;
  uint32_t addrs[VDOS_DNS_MAX_ADDRS];
  unsigned count = 1;
  uint16_t port;
  int plan = vdos_gai_numeric(node, service, flags, &addrs[0], &port);
  if (plan < 0) return plan;
  static struct vdos_dns_result dns;  // 300 bytes: kept off small program stacks
  const char *canon = (flags & AI_CANONNAME) ? node : NULL;
  if (plan == VDOS_GAI_DNS) {
    long r = vdos_syscall(SYS_DNS_RESOLVE, (long)node, (long)&dns, 0, 0, 0);
    if (r < 0) return vdos_gai_from_dns_error(r);
    count = dns.count < VDOS_DNS_MAX_ADDRS ? dns.count : VDOS_DNS_MAX_ADDRS;
    if (count == 0) return EAI_NONAME;
    memcpy(addrs, dns.addrs, count * sizeof(addrs[0]));
    if (canon && dns.canonical[0]) canon = dns.canonical;
  }
  // Without a socket type, one entry per type (as glibc does), stream first.
  int types[2] = {socktype ? socktype : SOCK_STREAM, socktype ? 0 : SOCK_DGRAM};
  struct addrinfo **tail = res;
  for (unsigned i = 0; i < count; i++) {
    for (int t = 0; t < 2 && types[t]; t++) {
      int proto = protocol ? protocol : (types[t] == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP);
      struct addrinfo *ai = new_ai(addrs[i], port, types[t], proto, *res ? NULL : canon);
      if (!ai) {
        freeaddrinfo(*res);
        *res = NULL;
        return EAI_MEMORY;
      }
      ai->ai_flags = flags;
      *tail = ai;
      tail = &ai->ai_next;
    }
  }
  return 0;
}

void freeaddrinfo(struct addrinfo *res) {
  while (res) {
    struct addrinfo *next = res->ai_next;
    free(res);
    res = next;
  }
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
                char *serv, socklen_t servlen, int flags) {
  if (!sa || salen < sizeof(struct sockaddr_in)) return EAI_FAMILY;
  const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
  if (in->sin_family != AF_INET) return EAI_FAMILY;
  if (flags & NI_NAMEREQD) return EAI_NONAME;
  if (host && hostlen && !vdos_ipv4_format(ntohl(in->sin_addr.s_addr), host, hostlen)) {
    return EAI_OVERFLOW;
  }
  if (serv && servlen) {
    int n = snprintf(serv, servlen, "%u", ntohs(in->sin_port));
    if (n < 0 || (socklen_t)n >= servlen) return EAI_OVERFLOW;
  }
  return 0;
}

const char *gai_strerror(int code) { return vdos_gai_text(code); }

int h_errno;

struct hostent *gethostbyname(const char *name) {
  static struct hostent he;
  static char canon[VDOS_DNS_NAME_MAX + 1];
  static struct in_addr addrs[VDOS_DNS_MAX_ADDRS];
  static char *list[VDOS_DNS_MAX_ADDRS + 1];
  static char *no_aliases[1];
  struct addrinfo hints = {
      .ai_family = AF_INET, .ai_socktype = SOCK_STREAM, .ai_flags = AI_CANONNAME};
  struct addrinfo *res;
  int g = name ? getaddrinfo(name, NULL, &hints, &res) : EAI_NONAME;
  if (g != 0) {
    h_errno = g == EAI_AGAIN ? TRY_AGAIN : g == EAI_NONAME ? HOST_NOT_FOUND : NO_RECOVERY;
    return NULL;
  }
  size_t n = 0;
  for (struct addrinfo *ai = res; ai && n < VDOS_DNS_MAX_ADDRS; ai = ai->ai_next) {
    addrs[n] = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
    list[n] = (char *)&addrs[n];
    n++;
  }
  list[n] = NULL;
  snprintf(canon, sizeof(canon), "%s", res->ai_canonname ? res->ai_canonname : name);
  freeaddrinfo(res);
  he = (struct hostent){.h_name = canon,
                        .h_aliases = no_aliases,
                        .h_addrtype = AF_INET,
                        .h_length = sizeof(struct in_addr),
                        .h_addr_list = list};
  return &he;
}

const char *hstrerror(int err) {
  switch (err) {
    case HOST_NOT_FOUND:
      return "Unknown host";
    case TRY_AGAIN:
      return "Host name lookup failure (try again)";
    case NO_RECOVERY:
      return "Unknown server error";
    case NO_DATA:
      return "No address associated with name";
    default:
      return "Unknown resolver error";
  }
}

// --- Error texts: ours replace picolibc's so the socket and TLS errors read well. picolibc's
// strerror_r (both variants) asks _strerror_r, so defining it too keeps picolibc's strerror object
// (which defines strerror as well) out of the link.

char *_strerror_r(int errnum, int internal, int *errptr);
char *_strerror_r(int errnum, int internal, int *errptr) {
  (void)internal;
  const char *t = vdos_errno_text(errnum);
  if (!t) {
    if (errptr) *errptr = EINVAL;
    return "";
  }
  return (char *)t;
}

char *strerror(int errnum) {
  const char *t = vdos_errno_text(errnum);
  if (t) return (char *)t;
  static char unknown[32];
  snprintf(unknown, sizeof(unknown), "unknown error %d", errnum);
  return unknown;
}
