// Abuses every socket syscall (0x50-0x5E): bad pointers, absurd lengths, wrong descriptors,
// wrong families and option sizes, too many poll entries, 1,000 sockets left open by a child
// program. Each must fail with the documented error, never crash or leak kernel memory.
//
//   sockabuse          the abuse, then the leak child; one summary line
//   sockabuse leak     (child) opens sockets and connections and exits without closing them
//   sockabuse smoke    positive paths: TCP/UDP over the kernel's loopback, a TCP echo peer at
//                      10.0.2.100:7 (slirp guestfwd), connection refused by 10.0.2.2
//   sockabuse block    blocks in recv until Ctrl-C ends it
//   sockabuse crash    faults with sockets open
//   sockabuse console  polls a socket and the console until a key arrives
//   sockabuse stats    prints the socket counters and the kernel heap
//   sockabuse connectblock  blocks in connect until Ctrl-C ends it
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/libc/vdos.h"

typedef struct vdos_sockaddr_in sa_t;

static long sk(long nr, long a, long b, long c, long d, long e) {
  return vdos_syscall(nr, a, b, c, d, e);
}
static long s_create(long type) { return sk(SYS_SOCKET_CREATE, VDOS_AF_INET, type, 0, 0, 0); }
static long s_close(long fd) { return sk(SYS_SOCKET_CLOSE, fd, 0, 0, 0, 0); }
static long s_bind(long fd, const sa_t *a) { return sk(SYS_SOCKET_BIND, fd, (long)a, 0, 0, 0); }
static long s_connect(long fd, const sa_t *a) {
  return sk(SYS_SOCKET_CONNECT, fd, (long)a, 0, 0, 0);
}
static long s_listen(long fd, long b) { return sk(SYS_SOCKET_LISTEN, fd, b, 0, 0, 0); }
static long s_accept(long fd, sa_t *p, long fl) {
  return sk(SYS_SOCKET_ACCEPT, fd, (long)p, fl, 0, 0);
}
static long s_send(long fd, const void *b, size_t n, long fl, const sa_t *to) {
  return sk(SYS_SOCKET_SEND, fd, (long)b, (long)n, fl, (long)to);
}
static long s_recv(long fd, void *b, size_t n, long fl, sa_t *from) {
  return sk(SYS_SOCKET_RECV, fd, (long)b, (long)n, fl, (long)from);
}
static long s_poll(struct vdos_pollfd *p, size_t n, long t) {
  return sk(SYS_SOCKET_POLL, (long)p, (long)n, t, 0, 0);
}
static long s_setopt(long fd, long lv, long nm, const void *v, size_t n) {
  return sk(SYS_SOCKET_SETOPT, fd, lv, nm, (long)v, (long)n);
}
static long s_setint(long fd, long lv, long nm, int v) {
  return s_setopt(fd, lv, nm, &v, sizeof(v));
}
static long s_getopt(long fd, long lv, long nm, void *v, size_t n) {
  return sk(SYS_SOCKET_GETOPT, fd, lv, nm, (long)v, (long)n);
}
static long s_getname(long fd, long peer, sa_t *out) {
  return sk(SYS_SOCKET_GETNAME, fd, peer, (long)out, 0, 0);
}

static int failures, checks;

static void check(const char *what, long got, long want1, long want2) {
  checks++;
  if (got != want1 && got != want2) {
    printf("sockabuse: FAIL %s returned %ld (want %ld)\n", what, got, want1);
    failures++;
  }
}

// Reads one counter from SYS_NET_STATS ("name value" lines); -1 if absent.
static long stat_value(const char *name) {
  static char text[8192];
  long n = vdos_syscall(SYS_NET_STATS, (long)text, sizeof(text), 0, 0, 0);
  if (n < 0) return -1;
  size_t len = strlen(name);
  for (char *p = text; *p;) {
    if (!strncmp(p, name, len) && p[len] == ' ') return strtol(p + len + 1, NULL, 10);
    char *nl = strchr(p, '\n');
    if (!nl) break;
    p = nl + 1;
  }
  return -1;
}

static unsigned long heap_used(void) {
  struct vdos_meminfo m;
  vdos_meminfo(&m);
  return m.heap_used;
}

#define SELF 0x0A00020Fu  // 10.0.2.15, the default address (qemu_test's command line)

// ---------------------------------------------------------------- abuse

static void abuse_descriptors(int file_fd) {
  const long B = -VDOS_EBADF, N = -VDOS_ENOTSOCK;
  long closed = s_create(VDOS_SOCK_STREAM);
  s_close(closed);
  char buf[16];
  sa_t a = {VDOS_AF_INET, 7, SELF};
  struct {
    const char *name;
    long fd, want;
  } bad[] = {
      {"negative", -1, B},  {"out of range", 1000, B}, {"huge", 1L << 40, B}, {"closed", closed, B},
      {"console in", 0, N}, {"console out", 1, N},     {"file", file_fd, N},
  };
  for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    long fd = bad[i].fd, w = bad[i].want;
    char what[64];
#define BADFD(call, expr)                                         \
  snprintf(what, sizeof(what), "%s on %s fd", call, bad[i].name); \
  check(what, expr, w, w)
    BADFD("connect", s_connect(fd, &a));
    BADFD("bind", s_bind(fd, &a));
    BADFD("listen", s_listen(fd, 1));
    BADFD("accept", s_accept(fd, NULL, 0));
    BADFD("send", s_send(fd, buf, 1, 0, NULL));
    BADFD("recv", s_recv(fd, buf, 1, 0, NULL));
    BADFD("shutdown", sk(SYS_SOCKET_SHUTDOWN, fd, VDOS_SHUT_RDWR, 0, 0, 0));
    BADFD("getname", s_getname(fd, 0, &a));
    BADFD("setopt", s_setint(fd, VDOS_SOL_SOCKET, VDOS_SO_REUSEADDR, 1));
    BADFD("getopt", s_getopt(fd, VDOS_SOL_SOCKET, VDOS_SO_TYPE, buf, 4));
    BADFD("socket_close", s_close(fd));
#undef BADFD
  }
  check("close twice", vdos_close((int)closed), B, B);
}

static void abuse(void) {
  const long F = -VDOS_EFAULT, I = -VDOS_EINVAL;
  void *kernel = (void *)0x40200000;     // kernel text: EL1-only
  void *unmapped = (void *)0x120000000;  // inside the user window, never mapped
  void *wrap = (void *)-16L;
  const void *ro = "read-only string in rodata";
  char buf[64];
  sa_t a;

  check("create domain", sk(SYS_SOCKET_CREATE, 10, VDOS_SOCK_STREAM, 0, 0, 0), -VDOS_EAFNOSUPPORT,
        -VDOS_EAFNOSUPPORT);
  check("create type", sk(SYS_SOCKET_CREATE, VDOS_AF_INET, 99, 0, 0, 0), -VDOS_EPROTOTYPE,
        -VDOS_EPROTOTYPE);
  check("create stream/udp", sk(SYS_SOCKET_CREATE, VDOS_AF_INET, VDOS_SOCK_STREAM, 17, 0, 0),
        -VDOS_EPROTONOSUPPORT, -VDOS_EPROTONOSUPPORT);
  check("create dgram/tcp", sk(SYS_SOCKET_CREATE, VDOS_AF_INET, VDOS_SOCK_DGRAM, 6, 0, 0),
        -VDOS_EPROTONOSUPPORT, -VDOS_EPROTONOSUPPORT);
  check("create flags", sk(SYS_SOCKET_CREATE, VDOS_AF_INET, 0x7fff0001L, 0, 0, 0), -VDOS_EPROTOTYPE,
        -VDOS_EPROTOTYPE);

  int file_fd = (int)vdos_open("/etc/motd", VDOS_O_RDONLY);
  check("open motd", file_fd >= 3, 1, 1);
  abuse_descriptors(file_fd);

  long t = s_create(VDOS_SOCK_STREAM);
  long u = s_create(VDOS_SOCK_DGRAM);
  check("create tcp", t >= 3, 1, 1);
  check("create udp", u >= 3, 1, 1);

  // Addresses.
  check("connect null", s_connect(t, NULL), F, F);
  check("connect kernel", s_connect(t, kernel), F, F);
  check("connect unmapped", s_connect(t, unmapped), F, F);
  check("connect wrap", s_connect(t, wrap), F, F);
  a = (sa_t){10, 80, SELF};
  check("connect family", s_connect(t, &a), -VDOS_EAFNOSUPPORT, -VDOS_EAFNOSUPPORT);
  a = (sa_t){VDOS_AF_INET, 80, 0};
  check("connect addr 0", s_connect(t, &a), I, I);
  a = (sa_t){VDOS_AF_INET, 0, SELF};
  check("connect port 0", s_connect(t, &a), I, I);
  check("bind null", s_bind(t, NULL), F, F);
  check("bind kernel", s_bind(t, kernel), F, F);
  a = (sa_t){99, 1000, 0};
  check("bind family", s_bind(t, &a), -VDOS_EAFNOSUPPORT, -VDOS_EAFNOSUPPORT);
  a = (sa_t){VDOS_AF_INET, 1000, 0x01020304};
  check("bind foreign", s_bind(t, &a), -VDOS_EADDRNOTAVAIL, -VDOS_EADDRNOTAVAIL);
  a = (sa_t){VDOS_AF_INET, 0, 0};
  check("bind ephemeral", s_bind(u, &a), 0, 0);
  check("bind twice", s_bind(u, &a), I, I);

  // Send.
  check("send unconnected", s_send(t, buf, 8, 0, NULL), -VDOS_ENOTCONN, -VDOS_ENOTCONN);
  check("send null", s_send(t, NULL, 10, 0, NULL), F, F);
  check("send kernel", s_send(t, kernel, 10, 0, NULL), F, F);
  check("send huge", s_send(t, buf, (size_t)1 << 62, 0, NULL), F, F);
  check("send wrap", s_send(t, wrap, 64, 0, NULL), F, F);
  check("send flags", s_send(t, buf, 8, 0x1234, NULL), I, I);
  check("udp send no dest", s_send(u, buf, 8, 0, NULL), -VDOS_EDESTADDRREQ, -VDOS_EDESTADDRREQ);
  check("udp send to kernel", s_send(u, buf, 8, 0, kernel), F, F);
  a = (sa_t){3, 9, SELF};
  check("udp send family", s_send(u, buf, 8, 0, &a), -VDOS_EAFNOSUPPORT, -VDOS_EAFNOSUPPORT);
  a = (sa_t){VDOS_AF_INET, 0, SELF};
  check("udp send port 0", s_send(u, buf, 8, 0, &a), I, I);
  static char big[70000];
  a = (sa_t){VDOS_AF_INET, 9, SELF};
  check("udp send too big", s_send(u, big, sizeof(big), 0, &a), -VDOS_EMSGSIZE, -VDOS_EMSGSIZE);
  check("udp send huge", s_send(u, big, (size_t)1 << 40, 0, &a), F, F);
  check("write kernel", vdos_write((int)t, kernel, 10), F, F);

  // Receive.
  check("recv unconnected", s_recv(t, buf, 8, 0, NULL), -VDOS_ENOTCONN, -VDOS_ENOTCONN);
  check("recv rodata", s_recv(u, (void *)ro, 8, 0, NULL), F, F);
  check("recv kernel", s_recv(u, kernel, 8, 0, NULL), F, F);
  check("recv huge", s_recv(u, buf, (size_t)1 << 62, 0, NULL), F, F);
  check("recv from kernel", s_recv(u, buf, 8, 0, kernel), F, F);
  check("recv from rodata", s_recv(u, buf, 8, 0, (sa_t *)ro), F, F);
  check("recv peek tcp", s_recv(t, buf, 8, VDOS_MSG_PEEK, NULL), -VDOS_EOPNOTSUPP,
        -VDOS_EOPNOTSUPP);
  check("recv peek dontwait", s_recv(u, buf, 8, VDOS_MSG_PEEK | VDOS_MSG_DONTWAIT, NULL),
        -VDOS_EAGAIN, -VDOS_EAGAIN);
  check("recv flags", s_recv(u, buf, 8, 0x10000, NULL), I, I);
  check("recv dontwait", s_recv(u, buf, 8, VDOS_MSG_DONTWAIT, NULL), -VDOS_EAGAIN, -VDOS_EAGAIN);
  check("read rodata", vdos_read((int)u, (void *)ro, 8), F, F);
  check("lseek socket", vdos_syscall(SYS_LSEEK, t, 0, 0, 0, 0), -VDOS_ESPIPE, -VDOS_ESPIPE);

  // Listen / accept / shutdown / getname.
  check("listen udp", s_listen(u, 1), -VDOS_EOPNOTSUPP, -VDOS_EOPNOTSUPP);
  check("accept not listening", s_accept(t, NULL, 0), I, I);
  check("accept udp", s_accept(u, NULL, 0), -VDOS_EOPNOTSUPP, -VDOS_EOPNOTSUPP);
  long l = s_create(VDOS_SOCK_STREAM | VDOS_SOCK_NONBLOCK);
  check("listen", s_listen(l, 1L << 40), 0, 0);
  check("accept flags", s_accept(l, NULL, 0x1), I, I);
  check("accept peer kernel", s_accept(l, kernel, 0), F, F);
  check("accept nonblocking", s_accept(l, NULL, 0), -VDOS_EAGAIN, -VDOS_EAGAIN);
  check("connect listener", s_connect(l, &a), I, I);
  check("shutdown how", sk(SYS_SOCKET_SHUTDOWN, t, 7, 0, 0, 0), I, I);
  check("shutdown unconnected", sk(SYS_SOCKET_SHUTDOWN, t, VDOS_SHUT_WR, 0, 0, 0), -VDOS_ENOTCONN,
        -VDOS_ENOTCONN);
  check("getname peer 2", s_getname(t, 2, &a), I, I);
  check("getname kernel", s_getname(l, 0, kernel), F, F);
  check("getname rodata", s_getname(l, 0, (sa_t *)ro), F, F);
  check("getname unconnected peer", s_getname(t, 1, &a), -VDOS_ENOTCONN, -VDOS_ENOTCONN);
  check("getname listener", s_getname(l, 0, &a), 0, 0);
  check("listener port", a.port >= 49152, 1, 1);

  // Options.
  int v = 1;
  check("setopt len 0", s_setopt(t, VDOS_SOL_SOCKET, VDOS_SO_KEEPALIVE, &v, 0), I, I);
  check("setopt len 3", s_setopt(t, VDOS_SOL_SOCKET, VDOS_SO_KEEPALIVE, &v, 3), I, I);
  check("setopt len 8", s_setopt(t, VDOS_SOL_SOCKET, VDOS_SO_KEEPALIVE, &v, 8), I, I);
  check("setopt len huge", s_setopt(t, VDOS_SOL_SOCKET, VDOS_SO_KEEPALIVE, &v, 1L << 40), I, I);
  check("setopt null", s_setopt(t, VDOS_SOL_SOCKET, VDOS_SO_KEEPALIVE, NULL, 4), F, F);
  check("setopt kernel", s_setopt(t, VDOS_SOL_SOCKET, VDOS_SO_KEEPALIVE, kernel, 4), F, F);
  check("setopt level", s_setint(t, 99, VDOS_SO_KEEPALIVE, 1), -VDOS_ENOPROTOOPT,
        -VDOS_ENOPROTOOPT);
  check("setopt name", s_setint(t, VDOS_SOL_SOCKET, 999, 1), -VDOS_ENOPROTOOPT, -VDOS_ENOPROTOOPT);
  check("setopt so_type", s_setint(t, VDOS_SOL_SOCKET, VDOS_SO_TYPE, 1), -VDOS_ENOPROTOOPT,
        -VDOS_ENOPROTOOPT);
  check("setopt rcvtimeo -1", s_setint(t, VDOS_SOL_SOCKET, VDOS_SO_RCVTIMEO, -1), I, I);
  check("setopt sndbuf -1", s_setint(t, VDOS_SOL_SOCKET, VDOS_SO_SNDBUF, -1), I, I);
  check("setopt keepcnt 0", s_setint(t, VDOS_IPPROTO_TCP, VDOS_TCP_KEEPCNT, 0), I, I);
  check("setopt keepidle big", s_setint(t, VDOS_IPPROTO_TCP, VDOS_TCP_KEEPIDLE, 1 << 30), I, I);
  check("setopt nodelay udp", s_setint(u, VDOS_IPPROTO_TCP, VDOS_TCP_NODELAY, 1), -VDOS_ENOPROTOOPT,
        -VDOS_ENOPROTOOPT);
  check("setopt sndbuf clamp", s_setint(t, VDOS_SOL_SOCKET, VDOS_SO_SNDBUF, 0x7fffffff), 0, 0);
  check("getopt cap 3", s_getopt(t, VDOS_SOL_SOCKET, VDOS_SO_TYPE, &v, 3), I, I);
  check("getopt null", s_getopt(t, VDOS_SOL_SOCKET, VDOS_SO_TYPE, NULL, 4), F, F);
  check("getopt kernel", s_getopt(t, VDOS_SOL_SOCKET, VDOS_SO_TYPE, kernel, 4), F, F);
  check("getopt rodata", s_getopt(t, VDOS_SOL_SOCKET, VDOS_SO_TYPE, (void *)ro, 4), F, F);
  check("getopt name", s_getopt(t, VDOS_SOL_SOCKET, 999, &v, 4), -VDOS_ENOPROTOOPT,
        -VDOS_ENOPROTOOPT);
  check("getopt sndbuf", s_getopt(t, VDOS_SOL_SOCKET, VDOS_SO_SNDBUF, &v, 64), 4, 4);
  check("sndbuf clamped", v, 256 * 1024, 256 * 1024);
  check("getopt so_type", s_getopt(u, VDOS_SOL_SOCKET, VDOS_SO_TYPE, &v, 4), 4, 4);
  check("so_type udp", v, VDOS_SOCK_DGRAM, VDOS_SOCK_DGRAM);

  // Poll.
  static struct vdos_pollfd pf[VDOS_POLL_MAX + 1];
  check("poll too many", s_poll(pf, VDOS_POLL_MAX + 1, 0), I, I);
  check("poll absurd n", s_poll(pf, (size_t)1 << 60, 0), I, I);
  check("poll null", s_poll(NULL, 1, 0), F, F);
  check("poll kernel", s_poll(kernel, 1, 0), F, F);
  check("poll rodata", s_poll((void *)ro, 1, 0), F, F);
  check("poll timeout huge", s_poll(pf, 1, 1L << 40), I, I);
  pf[0] = (struct vdos_pollfd){1000, VDOS_POLLIN, 0};
  pf[1] = (struct vdos_pollfd){-1, VDOS_POLLIN, 0};
  pf[2] = (struct vdos_pollfd){(int)t, VDOS_POLLIN, 0};
  check("poll nval", s_poll(pf, 3, 0), 2, 2);
  check("poll nval revents", pf[0].revents, VDOS_POLLNVAL, VDOS_POLLNVAL);
  check("poll ignored", pf[1].revents, 0, 0);
  check("poll unconnected", pf[2].revents, VDOS_POLLHUP, VDOS_POLLHUP);
  check("poll none", s_poll(pf, 0, 0), 0, 0);

  // Enumeration.
  struct vdos_sock_info si;
  check("info null", sk(SYS_SOCKET_INFO, 0, 0, 0, 0, 0), F, F);
  check("info kernel", sk(SYS_SOCKET_INFO, 0, (long)kernel, 0, 0, 0), F, F);
  check("info rodata", sk(SYS_SOCKET_INFO, 0, (long)ro, 0, 0, 0), F, F);
  check("info past end", sk(SYS_SOCKET_INFO, 1L << 40, (long)&si, 0, 0, 0), 0, 0);
  check("info first", sk(SYS_SOCKET_INFO, 0, (long)&si, 0, 0, 0), 1, 1);

  check("close file as socket", s_close(file_fd), -VDOS_ENOTSOCK, -VDOS_ENOTSOCK);
  check("close file", vdos_close(file_fd), 0, 0);
  check("close l", vdos_close((int)l), 0, 0);
  check("close t", s_close(t), 0, 0);
  check("close u", s_close(u), 0, 0);
}

// ---------------------------------------------------------------- leak child

#define LEAK_TRIES 1000

static int leak(void) {
  int ok = 0, emfile = 0, other = 0;
  // A listener; a loopback connection with unread data on both ends (reset at exit); a quiet
  // accepted connection (FIN at exit: it finishes closing in the kernel); one left in the
  // accept queue (reset with the listener); a UDP socket with a datagram queued.
  long l = s_create(VDOS_SOCK_STREAM);
  sa_t a = {VDOS_AF_INET, 5999, 0};
  if (s_bind(l, &a) == 0 && s_listen(l, 4) == 0) ok++;
  a.addr = SELF;
  long c1 = s_create(VDOS_SOCK_STREAM), c2 = s_create(VDOS_SOCK_STREAM);
  long c3 = s_create(VDOS_SOCK_STREAM);
  if (s_connect(c1, &a) == 0 && s_send(c1, "unread", 6, 0, NULL) == 6) ok++;
  long srv = s_accept(l, NULL, 0);
  if (srv >= 0 && s_send(srv, "unread too", 10, 0, NULL) == 10) ok++;
  if (s_connect(c2, &a) == 0 && s_accept(l, NULL, 0) >= 0) ok++;
  if (s_connect(c3, &a) == 0) ok++;
  long u = s_create(VDOS_SOCK_DGRAM);
  sa_t ua = {VDOS_AF_INET, 5998, 0};
  s_bind(u, &ua);
  ua.addr = SELF;
  if (s_send(u, "queued", 6, 0, &ua) == 6) ok++;
  vdos_sleep_ms(50);  // let the data arrive in the receive queues
  int opened = 7;
  for (int i = 0; i < LEAK_TRIES; i++) {
    long fd = s_create(i % 2 ? VDOS_SOCK_DGRAM : VDOS_SOCK_STREAM);
    if (fd >= 0) {
      opened++;
    } else if (fd == -VDOS_EMFILE) {
      emfile++;
    } else {
      other++;
    }
  }
  printf("sockabuse: leak child: %d ok steps, %d sockets open, %d EMFILE, %d other errors\n", ok,
         opened, emfile, other);
  return ok == 6 && other == 0 && emfile > 0 ? 0 : 1;
}

// TCP connections the kernel holds for nobody (pid 0) that are finishing a graceful close.
static int kernel_closing(void) {
  struct vdos_sock_info si;
  int n = 0;
  for (long i = 0; i < 1000 && sk(SYS_SOCKET_INFO, i, (long)&si, 0, 0, 0) == 1; i++) {
    if (si.proto == VDOS_IPPROTO_TCP && si.pid == 0 && si.local.port != 5996 &&
        si.remote.port != 5996 && si.state >= VDOS_TCP_FIN_WAIT_1 &&
        si.state != VDOS_TCP_CLOSE_WAIT)
      n++;
  }
  return n;
}

// Fills a loopback connection's buffers and resets it, so the TCP engine's reusable buffer chunks
// (if it keeps any) are already allocated when the baseline is taken.
static void warm_tcp_buffers(void) {
  long l = s_create(VDOS_SOCK_STREAM);
  sa_t a = {VDOS_AF_INET, 5996, 0};
  s_bind(l, &a);
  s_listen(l, 1);
  a.addr = SELF;
  long c = s_create(VDOS_SOCK_STREAM);
  long s = -1;
  if (s_connect(c, &a) == 0) s = s_accept(l, NULL, 0);
  static char junk[96 * 1024];
  s_send(c, junk, sizeof(junk), VDOS_MSG_DONTWAIT, NULL);
  vdos_sleep_ms(100);  // the loopback moves it into the server's receive buffer
  s_close(s);          // unread data: reset, buffers released
  s_close(c);
  s_close(l);
  vdos_sleep_ms(50);
}

static int run_leak_child(const char *self) {
  warm_tcp_buffers();
  unsigned long before = heap_used();
  long closed_before = stat_value("sock_closed_by_exit");
  long resets_before = stat_value("sock_reset_on_close");
  int closing_before = kernel_closing();
  const char *argv[] = {self, "leak"};
  int status = -1;
  long pid = vdos_spawn(self, argv, 2);
  if (pid < 0 || vdos_wait((int)pid, &status) != pid) {
    printf("sockabuse: FAIL cannot run the leak child (%ld)\n", pid);
    return 1;
  }
  check("leak child status", status, 0, 0);
  long open_after = stat_value("sock_open");
  long closed = stat_value("sock_closed_by_exit") - closed_before;
  check("sockets open after child", open_after, 0, 0);
  check("closed by exit", closed, 32, 32);
  // c1 and its server end had unread data: reset. The quiet pair closed with FINs and is now
  // the kernel's (pid 0) until TIME_WAIT ends.
  check("reset on close", stat_value("sock_reset_on_close") - resets_before, 2, 2);
  vdos_sleep_ms(100);
  int closing = kernel_closing() - closing_before;
  check("graceful close continues in the kernel", closing >= 1, 1, 1);
  // Connections reset at exit free their buffers at once; allow the stack a moment anyway.
  unsigned long after = heap_used();
  for (int i = 0; i < 50 && after != before; i++) {
    vdos_sleep_ms(100);
    after = heap_used();
  }
  printf("sockabuse: heap before %lu after %lu, %ld sockets closed by exit\n", before, after,
         closed);
  check("heap back to its level", (long)after, (long)before, (long)before);
  return 0;
}

// ---------------------------------------------------------------- smoke (positive paths)

static int smoke_failed;

static void expect(const char *what, long got, long want) {
  if (got != want) {
    printf("sockabuse: smoke FAIL %s: %ld (want %ld)\n", what, got, want);
    smoke_failed++;
  }
}

static long recv_all(long fd, unsigned char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    long r = s_recv(fd, buf + got, n - got, 0, NULL);
    if (r <= 0) return r < 0 ? r : (long)got;
    got += (size_t)r;
  }
  return (long)got;
}

static void smoke_loopback_tcp(void) {
  long l = s_create(VDOS_SOCK_STREAM);
  expect("reuseaddr", s_setint(l, VDOS_SOL_SOCKET, VDOS_SO_REUSEADDR, 1), 0);
  sa_t a = {VDOS_AF_INET, 5000, 0};
  expect("bind 5000", s_bind(l, &a), 0);
  expect("listen", s_listen(l, 4), 0);
  long c = s_create(VDOS_SOCK_STREAM | VDOS_SOCK_NONBLOCK);
  a.addr = SELF;
  expect("nonblocking connect", s_connect(c, &a), -VDOS_EINPROGRESS);
  // The client is connected once the SYN-ACK is in; the listener has a connection to accept
  // once our ACK reached it (a later loopback delivery): two polls.
  struct vdos_pollfd pf = {(int)c, VDOS_POLLOUT, 0};
  expect("poll connect", s_poll(&pf, 1, 2000), 1);
  expect("poll POLLOUT", pf.revents, VDOS_POLLOUT);
  pf = (struct vdos_pollfd){(int)l, VDOS_POLLIN, 0};
  expect("poll listener", s_poll(&pf, 1, 2000), 1);
  expect("poll listener POLLIN", pf.revents, VDOS_POLLIN);
  int err = -1;
  expect("getopt SO_ERROR", s_getopt(c, VDOS_SOL_SOCKET, VDOS_SO_ERROR, &err, 4), 4);
  expect("SO_ERROR", err, 0);
  sa_t peer;
  long s = s_accept(l, &peer, 0);
  expect("accept", s >= 3, 1);
  sa_t local;
  s_getname(c, 0, &local);
  expect("accept peer is the client", peer.port, local.port);
  expect("nodelay", s_setint(s, VDOS_IPPROTO_TCP, VDOS_TCP_NODELAY, 1), 0);
  expect("keepalive", s_setint(s, VDOS_SOL_SOCKET, VDOS_SO_KEEPALIVE, 1), 0);
  expect("keepidle", s_setint(s, VDOS_IPPROTO_TCP, VDOS_TCP_KEEPIDLE, 30), 0);
  // 300 KB client -> server through the non-blocking client and a blocking server, in steps.
  static unsigned char out[300000], in[300000];
  for (size_t i = 0; i < sizeof(out); i++) out[i] = (unsigned char)(i % 251);
  size_t sent = 0, got = 0;
  for (int guard = 0; got < sizeof(in) && guard < 100000; guard++) {
    if (sent < sizeof(out)) {
      long r = vdos_write((int)c, out + sent, sizeof(out) - sent);
      if (r > 0)
        sent += (size_t)r;
      else if (r != -VDOS_EAGAIN) {
        expect("client write", r, 0);
        break;
      }
    }
    struct vdos_pollfd p = {(int)s, VDOS_POLLIN, 0};
    if (s_poll(&p, 1, 10) == 1) {
      long r = vdos_read((int)s, in + got, sizeof(in) - got);
      if (r <= 0) {
        expect("server read", r, 1);
        break;
      }
      got += (size_t)r;
    }
  }
  expect("bytes through loopback", (long)got, (long)sizeof(in));
  expect("bytes intact", memcmp(in, out, sizeof(in)), 0);
  // Half-close: the server sees end of stream, answers, and the client reads it.
  expect("shutdown wr", sk(SYS_SOCKET_SHUTDOWN, c, VDOS_SHUT_WR, 0, 0, 0), 0);
  expect("server sees EOF", s_recv(s, in, 10, 0, NULL), 0);
  expect("send after shutdown", s_send(c, "x", 1, 0, NULL), -VDOS_EPIPE);
  expect("server answers", s_send(s, "bye", 3, 0, NULL), 3);
  struct vdos_pollfd p = {(int)c, VDOS_POLLIN, 0};
  s_poll(&p, 1, 2000);
  expect("client reads answer", s_recv(c, in, 10, 0, NULL), 3);
  // Enumeration shows both ends of this connection as ours.
  int pid = (int)vdos_syscall(SYS_GETPID, 0, 0, 0, 0, 0), mine = 0;
  struct vdos_sock_info si;
  for (long i = 0; sk(SYS_SOCKET_INFO, i, (long)&si, 0, 0, 0) == 1 && i < 1000; i++) {
    if (si.proto == VDOS_IPPROTO_TCP && si.pid == pid &&
        (si.local.port == 5000 || si.remote.port == 5000))
      mine++;
  }
  expect("socket_info entries (listener, server, client)", mine, 3);
  // Receive timeouts on an idle connection and on a listener with nothing to accept.
  expect("tcp rcvtimeo", s_setint(c, VDOS_SOL_SOCKET, VDOS_SO_RCVTIMEO, 150), 0);
  expect("tcp blocking again", s_setint(c, VDOS_SOL_SOCKET, VDOS_SO_NONBLOCK, 0), 0);
  uint64_t t0 = vdos_time_ns();
  expect("tcp recv times out", s_recv(c, in, 10, 0, NULL), -VDOS_EAGAIN);
  expect("accept rcvtimeo", s_setint(l, VDOS_SOL_SOCKET, VDOS_SO_RCVTIMEO, 150), 0);
  expect("accept times out", s_accept(l, NULL, 0), -VDOS_EAGAIN);
  uint64_t ms = (vdos_time_ns() - t0) / 1000000;
  expect("both timeouts took about 300 ms", ms >= 290 && ms < 2000, 1);
  expect("close c", s_close(c), 0);
  expect("close s", vdos_close((int)s), 0);
  expect("close l", s_close(l), 0);
  // A receive timeout on an idle connection.
  printf("sockabuse: smoke loopback tcp done\n");
}

static void smoke_udp(void) {
  long u1 = s_create(VDOS_SOCK_DGRAM), u2 = s_create(VDOS_SOCK_DGRAM);
  sa_t a = {VDOS_AF_INET, 6000, 0}, from, local2;
  expect("udp bind", s_bind(u1, &a), 0);
  a.addr = SELF;
  expect("udp sendto", s_send(u2, "hello", 5, 0, &a), 5);
  char buf[16];
  expect("udp peek", s_recv(u1, buf, 3, VDOS_MSG_PEEK, &from), 3);
  expect("udp peek data", memcmp(buf, "hel", 3), 0);
  expect("udp recvfrom", s_recv(u1, buf, sizeof(buf), 0, &from), 5);
  expect("udp data", memcmp(buf, "hello", 5), 0);
  s_getname(u2, 0, &local2);
  expect("udp sender port", from.port, local2.port);
  expect("udp sender addr", (long)from.addr, (long)SELF);
  // Truncation: the rest of the datagram is dropped.
  s_send(u2, "0123456789", 10, 0, &a);
  expect("udp truncated", s_recv(u1, buf, 4, 0, NULL), 4);
  expect("udp rest dropped", s_recv(u1, buf, 4, VDOS_MSG_DONTWAIT, NULL), -VDOS_EAGAIN);
  expect("rcvtimeo", s_setint(u1, VDOS_SOL_SOCKET, VDOS_SO_RCVTIMEO, 200), 0);
  uint64_t t0 = vdos_time_ns();
  expect("recv times out", s_recv(u1, buf, 4, 0, NULL), -VDOS_EAGAIN);
  uint64_t ms = (vdos_time_ns() - t0) / 1000000;
  expect("timeout took about 200 ms", ms >= 190 && ms < 1000, 1);
  s_close(u1);
  s_close(u2);
  printf("sockabuse: smoke udp done\n");
}

static void smoke_external(void) {
  // QEMU's user network with restrict=on answers TCP to 10.0.2.2 with RST.
  long c = s_create(VDOS_SOCK_STREAM);
  sa_t a = {VDOS_AF_INET, 1, 0x0A000202};
  expect("refused", s_connect(c, &a), -VDOS_ECONNREFUSED);
  // The same, non-blocking: POLLOUT|POLLERR, then SO_ERROR says why (once).
  expect("set nonblock", s_setint(c, VDOS_SOL_SOCKET, VDOS_SO_NONBLOCK, 1), 0);
  expect("nonblocking connect", s_connect(c, &a), -VDOS_EINPROGRESS);
  struct vdos_pollfd pf = {(int)c, VDOS_POLLOUT, 0};
  expect("poll refused", s_poll(&pf, 1, 5000), 1);
  expect("poll refused revents", pf.revents & (VDOS_POLLOUT | VDOS_POLLERR),
         VDOS_POLLOUT | VDOS_POLLERR);
  int err = 0;
  s_getopt(c, VDOS_SOL_SOCKET, VDOS_SO_ERROR, &err, 4);
  expect("SO_ERROR refused", err, VDOS_ECONNREFUSED);
  s_getopt(c, VDOS_SOL_SOCKET, VDOS_SO_ERROR, &err, 4);
  expect("SO_ERROR cleared", err, 0);
  s_close(c);
  // The guestfwd echo peer (a host `cat` per connection): connect without blocking, then
  // switch the socket to blocking for interleaved send and receive.
  c = s_create(VDOS_SOCK_STREAM);
  a = (sa_t){VDOS_AF_INET, 7, 0x0A000264};
  expect("sndtimeo", s_setint(c, VDOS_SOL_SOCKET, VDOS_SO_SNDTIMEO, 5000), 0);
  expect("set nonblock", s_setint(c, VDOS_SOL_SOCKET, VDOS_SO_NONBLOCK, 1), 0);
  expect("connect echo", s_connect(c, &a), -VDOS_EINPROGRESS);
  pf = (struct vdos_pollfd){(int)c, VDOS_POLLOUT, 0};
  expect("poll echo", s_poll(&pf, 1, 5000), 1);
  s_getopt(c, VDOS_SOL_SOCKET, VDOS_SO_ERROR, &err, 4);
  expect("SO_ERROR echo", err, 0);
  expect("set blocking", s_setint(c, VDOS_SOL_SOCKET, VDOS_SO_NONBLOCK, 0), 0);
  expect("getopt nonblock", s_getopt(c, VDOS_SOL_SOCKET, VDOS_SO_NONBLOCK, &err, 4), 4);
  expect("blocking again", err, 0);
  expect("rcvtimeo", s_setint(c, VDOS_SOL_SOCKET, VDOS_SO_RCVTIMEO, 5000), 0);
  static unsigned char out[4096], in[4096];
  long total = 0;
  for (int round = 0; round < 16; round++) {
    for (size_t i = 0; i < sizeof(out); i++) out[i] = (unsigned char)(i * 7 + round);
    if (s_send(c, out, sizeof(out), 0, NULL) != (long)sizeof(out)) break;
    if (recv_all(c, in, sizeof(in)) != (long)sizeof(in) || memcmp(in, out, sizeof(in))) break;
    total += (long)sizeof(out);
  }
  expect("echoed bytes", total, 16 * 4096);
  sa_t peer;
  expect("getname peer", s_getname(c, 1, &peer), 0);
  expect("peer port", peer.port, 7);
  expect("close echo", s_close(c), 0);
  printf("sockabuse: smoke external echo done (%ld bytes)\n", total);
}

static int smoke(void) {
  unsigned long before = heap_used();
  smoke_loopback_tcp();
  smoke_udp();
  smoke_external();
  printf("sockabuse: smoke %s (%d failures), heap %lu -> %lu\n", smoke_failed ? "FAILED" : "ok",
         smoke_failed, before, heap_used());
  return smoke_failed;
}

// ---------------------------------------------------------------- main

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  if (!strcmp(mode, "leak")) return leak();
  if (!strcmp(mode, "smoke")) return smoke();
  if (!strcmp(mode, "stats")) {
    // Connections still opening would be left over from an interrupted connect.
    struct vdos_sock_info si;
    int syn_sent = 0;
    for (long i = 0; i < 1000 && sk(SYS_SOCKET_INFO, i, (long)&si, 0, 0, 0) == 1; i++)
      syn_sent += si.proto == VDOS_IPPROTO_TCP && si.state == VDOS_TCP_SYN_SENT;
    printf("sockabuse: syn_sent %d sock_open %ld sock_closed_by_exit %ld heap_used %lu\n", syn_sent,
           stat_value("sock_open"), stat_value("sock_closed_by_exit"), heap_used());
    return 0;
  }
  if (!strcmp(mode, "connectblock")) {
    // Nobody has 10.0.2.50 on slirp's network: ARP goes unanswered and the SYN is retried
    // for longer than the test waits.
    long c = s_create(VDOS_SOCK_STREAM);
    sa_t a = {VDOS_AF_INET, 80, 0x0A000232};
    printf("sockabuse: connecting to 10.0.2.50\n");
    long r = s_connect(c, &a);
    printf("sockabuse: connect returned %ld\n", r);  // only -EINTR can end it (then exit 130)
    return 1;
  }
  if (!strcmp(mode, "console")) {
    // poll over the console and a socket: the console becomes readable when a key arrives.
    struct vdos_pollfd p = {0, VDOS_POLLIN, 0};
    char k = 0;
    while (s_poll(&p, 1, 0) == 1) vdos_read(0, &k, 1);  // what the shell left (line ends)
    long u = s_create(VDOS_SOCK_DGRAM);
    struct vdos_pollfd pf[2] = {{(int)u, VDOS_POLLIN, 0}, {0, VDOS_POLLIN, 0}};
    printf("sockabuse: polling console\n");
    long n = s_poll(pf, 2, 10000);
    if (n == 1 && pf[1].revents == VDOS_POLLIN && pf[0].revents == 0 && vdos_read(0, &k, 1) == 1) {
      printf("sockabuse: console readable, key '%c'\n", k);
      return 0;
    }
    printf("sockabuse: console poll returned %ld (%d/%d)\n", n, pf[0].revents, pf[1].revents);
    return 1;
  }
  if (!strcmp(mode, "crash")) {
    // A crash must close sockets like an exit does.
    long l = s_create(VDOS_SOCK_STREAM);
    s_listen(l, 1);
    s_create(VDOS_SOCK_DGRAM);
    printf("sockabuse: crashing with %ld sockets open\n", stat_value("sock_open"));
    *(volatile int *)(long)argc = 0;  // argc is 2: an unmapped address
    return 1;
  }
  if (!strcmp(mode, "block")) {
    long u = s_create(VDOS_SOCK_DGRAM);
    sa_t a = {VDOS_AF_INET, 5997, 0};
    s_bind(u, &a);
    printf("sockabuse: blocking in recv\n");
    char b[4];
    long r = s_recv(u, b, sizeof(b), 0, NULL);
    printf("sockabuse: recv returned %ld\n", r);  // only -EINTR can end it (then exit 130)
    return 1;
  }
  abuse();
  run_leak_child(argv[0]);
  printf("sockabuse: %s (%d checks, %d failures)\n",
         failures ? "FAILED" : "all socket syscalls refused bad input", checks, failures);
  return failures;
}
