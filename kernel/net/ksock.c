// Kernel socket layer: TCP (net/tcp) and UDP (net/udp) sockets for EL0 programs. See ksock.h and
// docs/syscalls.md for the semantics.
//
// Socket objects live in a static table (KSOCK_MAX), so opening and closing sockets never
// touches the kernel heap; only the TCP engine's per-connection buffers do, and they go away with
// the connection. Every wait polls the stack (kernel_poll) between interrupts and ends on its
// deadline or Ctrl-C.
#include "kernel/net/ksock.h"

#include "kernel/abi/syscalls.h"
#include "kernel/dev/netdev.h"
#include "kernel/kernel.h"
#include "kernel/net/knet.h"
#include "kernel/net/ksock_opts.h"
#include "kernel/net/sock_err.h"
#include "kernel/net/sockopt.h"
#include "kernel/proc/uaccess.h"
#include "net/core/net_err.h"
#include "net/tcp/tcp.h"
#include "net/tcp/tcp_ipv4.h"
#include "net/udp/udp.h"

struct ksock {
  uint8_t used;
  uint8_t type;  // VDOS_SOCK_STREAM or VDOS_SOCK_DGRAM
  uint8_t nonblock;
  uint8_t listening;
  uint8_t bound;         // bind() gave an address (TCP: remembered until connect/listen)
  uint8_t err_reported;  // SO_ERROR already returned the connection's error
  uint8_t shut_rd, shut_wr;
  uint8_t reuseaddr, nodelay, keepalive;
  uint32_t id;           // ksock_id: unique since boot
  int owner;             // pid
  int pending_err;       // positive VDOS errno for SO_ERROR not tied to the connection (UDP)
  tcp_conn_t *conn;      // TCP, after connect/listen/accept
  struct udp_sock *udp;  // UDP, opened on first need (bind, connect, send)
  uint32_t bind_ip;
  uint16_t bind_port;
  uint32_t rcvtimeo_ms, sndtimeo_ms;
  uint32_t keepidle_s, keepintvl_s, keepcnt;
  uint32_t sndbuf, rcvbuf;
};

// SYS_SOCKET_INFO passes net/'s TCP states through as enum vdos_tcp_state.
_Static_assert(TCP_CLOSED == VDOS_TCP_CLOSED && TCP_LISTEN == VDOS_TCP_LISTEN &&
                   TCP_SYN_SENT == VDOS_TCP_SYN_SENT && TCP_SYN_RECEIVED == VDOS_TCP_SYN_RECEIVED &&
                   TCP_ESTABLISHED == VDOS_TCP_ESTABLISHED &&
                   TCP_FIN_WAIT_1 == VDOS_TCP_FIN_WAIT_1 && TCP_FIN_WAIT_2 == VDOS_TCP_FIN_WAIT_2 &&
                   TCP_CLOSE_WAIT == VDOS_TCP_CLOSE_WAIT && TCP_CLOSING == VDOS_TCP_CLOSING &&
                   TCP_LAST_ACK == VDOS_TCP_LAST_ACK && TCP_TIME_WAIT == VDOS_TCP_TIME_WAIT,
               "TCP state numbering");

static struct ksock socks[KSOCK_MAX];
static uint32_t next_id;
static struct { uint64_t created, closed, closed_by_exit, resets; } counters;

// The bounce buffer between user memory and UDP (TCP copies user memory directly, see
// tcp_send_loop). One program runs at a time and nothing here re-enters, so one buffer serves
// every call; a UDP datagram needs the largest one.
static uint8_t bounce[KSOCK_UDP_MAX];

// ---------------------------------------------------------------- helpers

static void kick(void) {
  struct tcp_ipv4 *t = knet_tcp();
  if (t) tcp_ipv4_kick(t);
}

// Sockets per program for the KSOCK_PER_PROGRAM check, without a scan of the table per call:
// the count of one pid (nearly always the running program's) is kept up to date by sock_alloc
// and sock_release, and a scan refreshes it when another pid asks.
static int owned_pid = -1, owned_n;

static int count_owned(int pid) {
  if (pid != owned_pid) {
    int n = 0;
    for (int i = 0; i < KSOCK_MAX; i++) n += socks[i].used && socks[i].owner == pid;
    owned_pid = pid;
    owned_n = n;
  }
  return owned_n;
}

// Where the search for a free slot starts: after the last one taken, so a program that opens
// and closes sockets finds one at once instead of walking the table.
static unsigned free_hint;

// NULL with *err -EMFILE (the program's limit) or -ENOBUFS (the table is full).
static struct ksock *sock_alloc(int type, int *err) {
  int pid = proc_current_pid();
  if (count_owned(pid) >= KSOCK_PER_PROGRAM) {
    *err = -VDOS_EMFILE;
    return NULL;
  }
  struct ksock *s = NULL;
  for (unsigned k = 0; k < KSOCK_MAX && !s; k++) {
    unsigned i = (free_hint + k) % KSOCK_MAX;
    if (!socks[i].used) {
      s = &socks[i];
      free_hint = (i + 1) % KSOCK_MAX;
    }
  }
  if (!s) {
    *err = -VDOS_ENOBUFS;
    return NULL;
  }
  memset(s, 0, sizeof(*s));
  s->used = 1;
  s->type = (uint8_t)type;
  s->owner = pid;
  owned_n++;  // count_owned(pid) above made pid the counted one
  s->sndbuf = s->rcvbuf = KSOCK_BUF_DEFAULT;
  counters.created++;
  if (++next_id == 0) next_id = 1;
  s->id = next_id;
  return s;
}

// Releases the stack's objects: TCP connections with unread data are reset (tcp_close decides),
// others get a FIN and finish in the background; listeners drop their unaccepted children.
static void sock_release(struct ksock *s) {
  if (s->conn) {
    tcp_info_t in;
    if (tcp_get_info(s->conn, &in) == NET_OK && in.rcv_queued > 0 && in.state != TCP_LISTEN) {
      counters.resets++;  // tcp_close resets a connection with unread data
    }
    tcp_close(s->conn);
    kick();
  }
  if (s->udp) udp_close(knet_udp(), s->udp);
  if (s->used && s->owner == owned_pid) owned_n--;
  memset(s, 0, sizeof(*s));
  counters.closed++;
}

static int timeout_expired(uint64_t deadline) { return deadline && time_ns() >= deadline; }

static uint64_t deadline_after(uint32_t ms) {
  return ms ? time_ns() + (uint64_t)ms * 1000000ull : 0;
}

// Waits until ready(s) is non-zero. 0 when ready; -EAGAIN when nonblocking or at the deadline
// (timeout_err for the deadline); -EINTR on Ctrl-C.
static int wait_for(struct ksock *s, int (*ready)(struct ksock *), int nonblock, uint64_t deadline,
                    int timeout_err) {
  // Already ready (data queued, buffer space free): no poll. The poll only brings news the
  // caller does not need now, and is the larger part of a small recv() or send() under TCG.
  if (ready(s)) return 0;
  for (;;) {
    kernel_poll();
    if (ready(s)) return 0;
    if (nonblock) return -VDOS_EAGAIN;
    if (timeout_expired(deadline)) return timeout_err;
    if (proc_interrupted()) return -VDOS_EINTR;
    if (!knet_busy()) irq_wait();
  }
}

static int tcp_state_of(const struct ksock *s) { return tcp_state(s->conn); }

// A connection that can carry data (or could: the peer may have closed its half already).
static int tcp_synchronized(const struct ksock *s) {
  int st = tcp_state_of(s);
  return s->conn && !s->listening && st != TCP_CLOSED && st != TCP_SYN_SENT &&
         st != TCP_SYN_RECEIVED;
}

static int check_addr(uint64_t uaddr, struct vdos_sockaddr_in *out) {
  if (copy_from_user(out, uaddr, sizeof(*out))) return -VDOS_EFAULT;
  if (out->family != VDOS_AF_INET) return -VDOS_EAFNOSUPPORT;
  return 0;
}

static int udp_ensure(struct ksock *s) {
  if (s->udp) return 0;
  struct udp *u = knet_udp();
  if (!u) return -VDOS_ENETDOWN;
  s->udp = udp_open(u);
  if (!s->udp) return -VDOS_ENOBUFS;
  if (s->bound) {
    int r = udp_bind(u, s->udp, s->bind_ip, s->bind_port);
    if (r != NET_OK) {
      udp_close(u, s->udp);
      s->udp = NULL;
      return (int)ksock_errno(r);
    }
  }
  return 0;
}

static void apply_tcp_opts(struct ksock *s) {
  tcp_setopt(s->conn, TCP_OPT_SNDBUF, s->sndbuf);
  tcp_setopt(s->conn, TCP_OPT_NODELAY, s->nodelay);
  if (s->keepidle_s) tcp_setopt(s->conn, TCP_OPT_KEEPIDLE_MS, s->keepidle_s * 1000u);
  if (s->keepintvl_s) tcp_setopt(s->conn, TCP_OPT_KEEPINTVL_MS, s->keepintvl_s * 1000u);
  if (s->keepcnt) tcp_setopt(s->conn, TCP_OPT_KEEPCNT, s->keepcnt);
  tcp_setopt(s->conn, TCP_OPT_KEEPALIVE, s->keepalive);
}

// A local TCP port is taken by a listener, or by any connection unless SO_REUSEADDR is set (then
// connections in TIME_WAIT do not count), or by another socket's bind.
struct port_probe {
  uint16_t port;
  int reuse;
  int busy;
};

static bool probe_conn(void *arg, const tcp_conn_t *c) {
  struct port_probe *p = arg;
  tcp_info_t in;
  if (tcp_get_info(c, &in) != NET_OK || in.local_port != p->port) return true;
  if (in.state == TCP_LISTEN || !p->reuse || in.state != TCP_TIME_WAIT) p->busy = 1;
  return !p->busy;
}

static int tcp_port_busy(const struct ksock *self, uint16_t port, int reuse) {
  for (int i = 0; i < KSOCK_MAX; i++) {
    const struct ksock *o = &socks[i];
    if (o != self && o->used && o->type == VDOS_SOCK_STREAM && o->bound && !o->conn &&
        o->bind_port == port)
      return 1;
  }
  struct port_probe p = {port, reuse, 0};
  tcp_foreach(knet_tcp()->tcp, probe_conn, &p);
  return p.busy;
}

static int pick_tcp_port(const struct ksock *s, uint16_t *out) {
  uint32_t span = NET_EPHEMERAL_PORT_MAX - NET_EPHEMERAL_PORT_MIN + 1;
  uint32_t r;
  random_bytes(&r, sizeof(r));
  for (uint32_t i = 0; i < span; i++) {
    uint16_t port = (uint16_t)(NET_EPHEMERAL_PORT_MIN + (r + i) % span);
    if (!tcp_port_busy(s, port, 0)) {
      *out = port;
      return 0;
    }
  }
  return -VDOS_EADDRNOTAVAIL;
}

// ---------------------------------------------------------------- create / bind / connect

static long sys_create(uint64_t domain, uint64_t type, uint64_t proto) {
  if (domain != VDOS_AF_INET) return -VDOS_EAFNOSUPPORT;
  int nonblock = (type & VDOS_SOCK_NONBLOCK) != 0;
  type &= ~(uint64_t)VDOS_SOCK_NONBLOCK;
  if (type == VDOS_SOCK_STREAM) {
    if (proto != 0 && proto != VDOS_IPPROTO_TCP) return -VDOS_EPROTONOSUPPORT;
  } else if (type == VDOS_SOCK_DGRAM) {
    if (proto != 0 && proto != VDOS_IPPROTO_UDP) return -VDOS_EPROTONOSUPPORT;
  } else {
    return -VDOS_EPROTOTYPE;
  }
  if (!knet_tcp()) return -VDOS_ENETDOWN;
  int err;
  struct ksock *s = sock_alloc((int)type, &err);
  if (!s) return err;
  s->nonblock = (uint8_t)nonblock;
  int fd = proc_fd_install_sock(s);
  if (fd < 0) {
    sock_release(s);
    counters.created--;
    counters.closed--;
  }
  return fd;
}

static long sys_bind(struct ksock *s, uint64_t uaddr) {
  struct vdos_sockaddr_in a;
  int r = check_addr(uaddr, &a);
  if (r) return r;
  if (s->bound || s->conn || s->udp) return -VDOS_EINVAL;
  if (a.addr != 0 && a.addr != knet_addr()) return -VDOS_EADDRNOTAVAIL;
  if (s->type == VDOS_SOCK_DGRAM) {
    struct udp *u = knet_udp();
    s->udp = udp_open(u);
    if (!s->udp) return -VDOS_ENOBUFS;
    r = udp_bind(u, s->udp, a.addr, a.port);
    if (r != NET_OK) {
      udp_close(u, s->udp);
      s->udp = NULL;
      return ksock_errno(r);
    }
    s->bound = 1;
    s->bind_ip = s->udp->local_addr;
    s->bind_port = s->udp->local_port;
    return 0;
  }
  uint16_t port = a.port;
  if (port == 0) {
    r = pick_tcp_port(s, &port);
    if (r) return r;
  } else if (tcp_port_busy(s, port, s->reuseaddr)) {
    return -VDOS_EADDRINUSE;
  }
  s->bound = 1;
  s->bind_ip = a.addr;
  s->bind_port = port;
  return 0;
}

static int connect_done(struct ksock *s) {
  unsigned ev = tcp_poll(s->conn);
  return (ev & (TCP_POLL_OUT | TCP_POLL_ERR | TCP_POLL_HUP)) != 0 ||
         tcp_state_of(s) >= TCP_ESTABLISHED;
}

static long sys_connect(struct ksock *s, uint64_t uaddr) {
  struct vdos_sockaddr_in a;
  int r = check_addr(uaddr, &a);
  if (r) return r;
  if (a.addr == 0 || a.addr == 0xffffffffu || a.port == 0) return -VDOS_EINVAL;
  if (s->type == VDOS_SOCK_DGRAM) {
    r = udp_ensure(s);
    if (r) return r;
    return ksock_errno(udp_connect(knet_udp(), s->udp, a.addr, a.port));
  }
  if (s->listening) return -VDOS_EINVAL;
  if (s->conn) {
    int st = tcp_state_of(s);
    if (st == TCP_SYN_SENT) return -VDOS_EALREADY;
    if (st != TCP_CLOSED) return -VDOS_EISCONN;
    // A connection that ended (a non-blocking connect that failed, or a reset): its error is
    // reported once, then the socket is unconnected again and a new connect may start.
    int err = tcp_error(s->conn);
    int report = err != NET_OK && !s->err_reported;
    tcp_close(s->conn);
    s->conn = NULL;
    s->err_reported = 0;
    kick();
    if (report) return ksock_errno(err);
  }
  uint32_t la = knet_addr();
  if (!la) return -VDOS_ENETDOWN;
  r = tcp_connect(knet_tcp()->tcp, la, s->bound ? s->bind_port : 0, a.addr, a.port, &s->conn);
  kick();
  if (r != NET_OK) {
    s->conn = NULL;
    return ksock_errno(r);
  }
  s->bound = 0;  // the connection holds the port from now on
  // The engine fixed the receive buffer (and the window scale) with the SYN: report what is in
  // effect.
  s->rcvbuf = KSOCK_BUF_DEFAULT;
  apply_tcp_opts(s);
  if (s->nonblock) return -VDOS_EINPROGRESS;
  r = wait_for(s, connect_done, 0, deadline_after(s->sndtimeo_ms), -VDOS_ETIMEDOUT);
  int err = tcp_error(s->conn);
  if (r == 0 && err == NET_OK && tcp_state_of(s) >= TCP_ESTABLISHED) return 0;
  // Failed, timed out or interrupted: the socket goes back to unconnected, so a new connect
  // can be tried.
  tcp_abort(s->conn);
  s->conn = NULL;
  kick();
  if (r) return r;
  return err != NET_OK ? ksock_errno(err) : -VDOS_ECONNREFUSED;
}

// ---------------------------------------------------------------- listen / accept

static long sys_listen(struct ksock *s, uint64_t backlog) {
  if (s->type != VDOS_SOCK_STREAM) return -VDOS_EOPNOTSUPP;
  if (s->listening) return 0;
  if (s->conn) return -VDOS_EINVAL;
  int64_t b = (int64_t)backlog;
  if (b <= 0) b = 1;
  if (b > KSOCK_BACKLOG_MAX) b = KSOCK_BACKLOG_MAX;
  uint16_t port = s->bind_port;
  int r;
  if (!s->bound) {
    r = pick_tcp_port(s, &port);
    if (r) return r;
  }
  r = tcp_listen(knet_tcp()->tcp, s->bind_ip, port, (uint32_t)b, &s->conn);
  if (r != NET_OK) {
    s->conn = NULL;
    return ksock_errno(r);
  }
  s->listening = 1;
  s->bound = 0;
  s->bind_port = port;
  // Accepted connections inherit the listener's buffers and options.
  tcp_setopt(s->conn, TCP_OPT_RCVBUF, s->rcvbuf);
  apply_tcp_opts(s);
  return 0;
}

static int accept_ready(struct ksock *s) { return (tcp_poll(s->conn) & TCP_POLL_IN) != 0; }

static long sys_accept(struct ksock *s, uint64_t upeer, uint64_t flags) {
  if (flags & ~(uint64_t)VDOS_SOCK_NONBLOCK) return -VDOS_EINVAL;
  if (s->type != VDOS_SOCK_STREAM) return -VDOS_EOPNOTSUPP;
  if (!s->listening) return -VDOS_EINVAL;
  if (upeer && !user_range_ok(upeer, sizeof(struct vdos_sockaddr_in), 1)) return -VDOS_EFAULT;
  if (count_owned(proc_current_pid()) >= KSOCK_PER_PROGRAM) return -VDOS_EMFILE;
  int r = wait_for(s, accept_ready, s->nonblock, deadline_after(s->rcvtimeo_ms), -VDOS_EAGAIN);
  if (r) return r;
  int err;
  struct ksock *n = sock_alloc(VDOS_SOCK_STREAM, &err);
  if (!n) return err;
  tcp_conn_t *c;
  r = tcp_accept(s->conn, &c);
  if (r != NET_OK) {
    sock_release(n);
    return ksock_errno(r);
  }
  n->conn = c;
  n->nonblock = (flags & VDOS_SOCK_NONBLOCK) != 0;
  n->nodelay = s->nodelay;
  n->keepalive = s->keepalive;
  n->keepidle_s = s->keepidle_s;
  n->keepintvl_s = s->keepintvl_s;
  n->keepcnt = s->keepcnt;
  n->sndbuf = s->sndbuf;
  n->rcvbuf = s->rcvbuf;
  n->rcvtimeo_ms = s->rcvtimeo_ms;
  n->sndtimeo_ms = s->sndtimeo_ms;
  int fd = proc_fd_install_sock(n);
  if (fd < 0) {
    tcp_abort(c);
    n->conn = NULL;
    sock_release(n);
    kick();
    return fd;
  }
  if (upeer) {
    tcp_info_t in;
    tcp_get_info(c, &in);
    struct vdos_sockaddr_in peer = {VDOS_AF_INET, in.remote_port, in.remote_ip};
    copy_to_user(upeer, &peer, sizeof(peer));  // checked above; nothing unmaps it meanwhile
  }
  return fd;
}

// ---------------------------------------------------------------- send / recv

static int tcp_writable(struct ksock *s) {
  return (tcp_poll(s->conn) & (TCP_POLL_OUT | TCP_POLL_ERR | TCP_POLL_HUP)) != 0;
}

static int tcp_readable(struct ksock *s) {
  return (tcp_poll(s->conn) & (TCP_POLL_IN | TCP_POLL_ERR | TCP_POLL_HUP)) != 0;
}

// Queues len bytes from a kernel buffer or (user != 0) a user address. Returns bytes queued or
// a negative errno when none were. tcp_flags TCP_SEND_DEFER leaves building the segments to the
// driver's next doorbell (knet.c): a wait below polls, and the poll builds them first.
static long tcp_send_loop(struct ksock *s, const uint8_t *kbuf, uint64_t ubuf, size_t len,
                          int nonblock, uint64_t deadline, int timeout_err, unsigned tcp_flags) {
  size_t done = 0;
  while (done < len) {
    size_t n = len - done < KSOCK_CHUNK ? len - done : KSOCK_CHUNK;
    // TCP copies user bytes straight into its send queue: ksock_send checked the whole range
    // (user_range_ok) and nothing can unmap it during the call (one thread per program, and the
    // program is in this call), so a bounce copy would only cost a second pass.
    const uint8_t *src = kbuf ? kbuf + done : (const uint8_t *)(uintptr_t)(ubuf + done);
    long r = tcp_send_flags(s->conn, src, n, tcp_flags);
    if (!(tcp_flags & TCP_SEND_DEFER)) kick();  // deferred: no timer changes until the build
    if (r > 0) {
      done += (size_t)r;
      continue;
    }
    if (r != NET_ERR_WOULDBLOCK) return done ? (long)done : ksock_errno(r);
    int w = wait_for(s, tcp_writable, nonblock, deadline, timeout_err);
    if (w) return done ? (long)done : w;
  }
  return (long)done;
}

long ksock_send(struct ksock *s, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uto) {
  if (flags & ~(uint64_t)VDOS_MSG_DONTWAIT) return -VDOS_EINVAL;
  int nonblock = s->nonblock || (flags & VDOS_MSG_DONTWAIT);
  if (len && !user_range_ok(ubuf, len, 0)) return -VDOS_EFAULT;
  if (s->type == VDOS_SOCK_DGRAM) {
    struct vdos_sockaddr_in to = {0, 0, 0};
    if (uto) {
      int r = check_addr(uto, &to);
      if (r) return r;
      if (to.port == 0 || to.addr == 0) return -VDOS_EINVAL;
    }
    if (len > KSOCK_UDP_MAX) return -VDOS_EMSGSIZE;
    if (s->shut_wr) return -VDOS_EPIPE;
    int r = udp_ensure(s);
    if (r) return r;
    if (!uto && !s->udp->connected) return -VDOS_EDESTADDRREQ;
    if (copy_from_user(bounce, ubuf, len)) return -VDOS_EFAULT;
    r = uto ? udp_sendto(knet_udp(), s->udp, to.addr, to.port, bounce, len)
            : udp_send(knet_udp(), s->udp, bounce, len);
    return ksock_errno(r);
  }
  if (s->listening || !s->conn) return -VDOS_ENOTCONN;
  if (s->shut_wr) return -VDOS_EPIPE;
  int st = tcp_state_of(s);
  // Still connecting: a blocking send queues behind the handshake (the engine sends it once
  // established); a non-blocking one is told to come back.
  if ((st == TCP_SYN_SENT || st == TCP_SYN_RECEIVED) && nonblock) return -VDOS_EAGAIN;
  if (len == 0) return 0;
  // Deferred: the frame cannot reach the device before this program's next kernel entry (or a
  // wait) anyway, and the segment is built there (kernel/dev/netdev.h); a burst of small sends
  // becomes fewer segments.
  return tcp_send_loop(s, NULL, ubuf, len, nonblock, deadline_after(s->sndtimeo_ms), -VDOS_EAGAIN,
                       TCP_SEND_DEFER);
}

static int udp_ready(struct ksock *s) { return s->udp && udp_readable(s->udp); }

long ksock_recv(struct ksock *s, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t ufrom) {
  if (flags & ~(uint64_t)(VDOS_MSG_DONTWAIT | VDOS_MSG_PEEK)) return -VDOS_EINVAL;
  // TCP's receive queue has no non-consuming read in net/tcp; UDP's datagram queue does.
  int peek = (flags & VDOS_MSG_PEEK) != 0;
  if (peek && s->type != VDOS_SOCK_DGRAM) return -VDOS_EOPNOTSUPP;
  int nonblock = s->nonblock || (flags & VDOS_MSG_DONTWAIT);
  if (len && !user_range_ok(ubuf, len, 1)) return -VDOS_EFAULT;
  if (ufrom && !user_range_ok(ufrom, sizeof(struct vdos_sockaddr_in), 1)) return -VDOS_EFAULT;
  uint64_t deadline = deadline_after(s->rcvtimeo_ms);
  if (s->type == VDOS_SOCK_DGRAM) {
    if (s->shut_rd) return 0;
    // An unbound socket has nothing to receive: binding it now gives it a port to be found on.
    int r = udp_ensure(s);
    if (r) return r;
    if (!s->udp->bound) {
      r = udp_bind(knet_udp(), s->udp, 0, 0);
      if (r != NET_OK) return ksock_errno(r);
    }
    r = wait_for(s, udp_ready, nonblock, deadline, -VDOS_EAGAIN);
    if (r) return r;
    ipv4_addr_t src;
    uint16_t port;
    int n;
    const struct pbuf *head = s->udp->rxq.head;
    if (peek && !s->udp->pending_err && head) {
      // The datagram stays queued; its sender is in the queue's scratch words (net/udp).
      n = (int)head->len;
      memcpy(bounce, head->data, (size_t)n < sizeof(bounce) ? (size_t)n : sizeof(bounce));
      src = head->meta[0];
      port = (uint16_t)head->meta[1];
    } else {
      n = udp_recvfrom(knet_udp(), s->udp, bounce, sizeof(bounce), &src, &port);
    }
    if (n < 0) return ksock_errno(n);
    size_t copy = (size_t)n < len ? (size_t)n : len;
    if (copy_to_user(ubuf, bounce, copy)) return -VDOS_EFAULT;
    if (ufrom) {
      struct vdos_sockaddr_in from = {VDOS_AF_INET, port, src};
      if (copy_to_user(ufrom, &from, sizeof(from))) return -VDOS_EFAULT;
    }
    return (long)copy;
  }
  if (s->listening || !s->conn) return -VDOS_ENOTCONN;
  if (s->shut_rd) return 0;
  if (len == 0) return 0;
  int st = tcp_state_of(s);
  if ((st == TCP_SYN_SENT || st == TCP_SYN_RECEIVED) && nonblock) return -VDOS_EAGAIN;
  int r = wait_for(s, tcp_readable, nonblock, deadline, -VDOS_EAGAIN);
  if (r) return r;
  size_t n = len < KSOCK_CHUNK ? (size_t)len : KSOCK_CHUNK;
  // Straight into user memory, checked above (user_range_ok), as in tcp_send_loop.
  long got = tcp_recv(s->conn, (void *)(uintptr_t)ubuf, n);
  kick();
  if (got == NET_ERR_WOULDBLOCK) return -VDOS_EAGAIN;  // only a state change woke us
  if (got < 0) return ksock_errno(got);
  if (ufrom) {
    tcp_info_t in;
    tcp_get_info(s->conn, &in);
    struct vdos_sockaddr_in from = {VDOS_AF_INET, in.remote_port, in.remote_ip};
    copy_to_user(ufrom, &from, sizeof(from));
  }
  return got;
}

// ---------------------------------------------------------------- shutdown / name / close

static long sys_shutdown(struct ksock *s, uint64_t how) {
  if (how > VDOS_SHUT_RDWR) return -VDOS_EINVAL;
  if (s->type == VDOS_SOCK_STREAM && (s->listening || !tcp_synchronized(s))) {
    return -VDOS_ENOTCONN;
  }
  if (s->type == VDOS_SOCK_DGRAM && !(s->udp && s->udp->connected)) return -VDOS_ENOTCONN;
  if (how != VDOS_SHUT_WR) s->shut_rd = 1;
  if (how != VDOS_SHUT_RD) {
    s->shut_wr = 1;
    if (s->conn) {
      int r = tcp_shutdown_write(s->conn);
      kick();
      if (r != NET_OK && r != NET_ERR_NOTCONN) return ksock_errno(r);
    }
  }
  return 0;
}

static long sys_getname(struct ksock *s, uint64_t peer, uint64_t uout) {
  if (peer > 1) return -VDOS_EINVAL;
  if (!user_range_ok(uout, sizeof(struct vdos_sockaddr_in), 1)) return -VDOS_EFAULT;
  struct vdos_sockaddr_in a = {VDOS_AF_INET, 0, 0};
  if (s->type == VDOS_SOCK_STREAM) {
    tcp_info_t in;
    if (s->conn && tcp_get_info(s->conn, &in) == NET_OK) {
      if (peer && (s->listening || !tcp_synchronized(s))) return -VDOS_ENOTCONN;
      a.addr = peer ? in.remote_ip : in.local_ip;
      a.port = peer ? in.remote_port : in.local_port;
    } else if (peer) {
      return -VDOS_ENOTCONN;
    } else if (s->bound) {
      a.addr = s->bind_ip;
      a.port = s->bind_port;
    }
  } else {
    if (peer && !(s->udp && s->udp->connected)) return -VDOS_ENOTCONN;
    if (s->udp) {
      a.addr = peer ? s->udp->remote_addr : s->udp->local_addr;
      a.port = peer ? s->udp->remote_port : s->udp->local_port;
    }
  }
  return copy_to_user(uout, &a, sizeof(a));
}

long ksock_close_fd(uint64_t fd) {
  int err;
  struct ksock *s = proc_fd_sock(fd, &err);
  if (!s) return err;
  sock_release(s);
  proc_fd_release(fd);
  return 0;
}

void ksock_proc_exit(int pid) {
  for (int i = 0; i < KSOCK_MAX; i++) {
    if (socks[i].used && socks[i].owner == pid) {
      sock_release(&socks[i]);
      counters.closed_by_exit++;
    }
  }
}

// ---------------------------------------------------------------- options

static long sys_setopt(struct ksock *s, uint64_t level, uint64_t name, uint64_t uval,
                       uint64_t len) {
  if (len != sizeof(int32_t)) return -VDOS_EINVAL;
  int32_t raw;
  if (copy_from_user(&raw, uval, sizeof(raw))) return -VDOS_EFAULT;
  int stream = s->type == VDOS_SOCK_STREAM;
  int opt = ksock_opt_find(level, name, stream);
  if (opt < 0) return opt;
  uint32_t v;
  int r = ksock_opt_value(opt, raw, &v);
  if (r) return r;
  tcp_conn_t *c = stream ? s->conn : NULL;
  switch (opt) {
    case KSO_REUSEADDR:
      s->reuseaddr = (uint8_t)v;
      break;
    case KSO_NONBLOCK:
      s->nonblock = (uint8_t)v;
      break;
    case KSO_KEEPALIVE:
      s->keepalive = (uint8_t)v;
      if (c) tcp_setopt(c, TCP_OPT_KEEPALIVE, v);
      break;
    case KSO_SNDBUF:
      s->sndbuf = v;
      if (c) tcp_setopt(c, TCP_OPT_SNDBUF, v);
      break;
    case KSO_RCVBUF:
      // The window scale is fixed by the SYN: only listeners (for the connections they accept)
      // and sockets not yet connected take a new receive buffer.
      if (c && !s->listening) return -VDOS_EISCONN;
      s->rcvbuf = v;
      if (c) tcp_setopt(c, TCP_OPT_RCVBUF, v);
      break;
    case KSO_RCVTIMEO:
      s->rcvtimeo_ms = v;
      break;
    case KSO_SNDTIMEO:
      s->sndtimeo_ms = v;
      break;
    case KSO_NODELAY:
      s->nodelay = (uint8_t)v;
      if (c) tcp_setopt(c, TCP_OPT_NODELAY, v);
      break;
    case KSO_KEEPIDLE:
      s->keepidle_s = v;
      if (c) tcp_setopt(c, TCP_OPT_KEEPIDLE_MS, v * 1000u);
      break;
    case KSO_KEEPINTVL:
      s->keepintvl_s = v;
      if (c) tcp_setopt(c, TCP_OPT_KEEPINTVL_MS, v * 1000u);
      break;
    case KSO_KEEPCNT:
      s->keepcnt = v;
      if (c) tcp_setopt(c, TCP_OPT_KEEPCNT, v);
      break;
    default:
      return -VDOS_ENOPROTOOPT;
  }
  kick();  // no-delay or keep-alive may have something to send now
  return 0;
}

// SO_ERROR: the error that ended the connection, or a UDP socket's pending ICMP error; reading
// it clears it.
static int32_t take_error(struct ksock *s) {
  int32_t v = s->pending_err;
  s->pending_err = 0;
  if (!v && s->type == VDOS_SOCK_STREAM && s->conn && !s->err_reported &&
      tcp_error(s->conn) != NET_OK) {
    v = (int32_t)-ksock_errno(tcp_error(s->conn));
    s->err_reported = 1;
  }
  if (!v && s->type == VDOS_SOCK_DGRAM && s->udp && s->udp->pending_err) {
    v = (int32_t)-ksock_errno(s->udp->pending_err);
    s->udp->pending_err = 0;
  }
  return v;
}

static long sys_getopt(struct ksock *s, uint64_t level, uint64_t name, uint64_t uval,
                       uint64_t cap) {
  if (cap < sizeof(int32_t)) return -VDOS_EINVAL;
  if (!user_range_ok(uval, sizeof(int32_t), 1)) return -VDOS_EFAULT;
  int opt = ksock_opt_find(level, name, s->type == VDOS_SOCK_STREAM);
  if (opt < 0) return opt;
  int32_t v;
  switch (opt) {
    case KSO_REUSEADDR:
      v = s->reuseaddr;
      break;
    case KSO_TYPE:
      v = s->type;
      break;
    case KSO_ERROR:
      v = take_error(s);
      break;
    case KSO_SNDBUF:
      v = (int32_t)s->sndbuf;
      break;
    case KSO_RCVBUF:
      v = (int32_t)s->rcvbuf;
      break;
    case KSO_KEEPALIVE:
      v = s->keepalive;
      break;
    case KSO_RCVTIMEO:
      v = (int32_t)s->rcvtimeo_ms;
      break;
    case KSO_SNDTIMEO:
      v = (int32_t)s->sndtimeo_ms;
      break;
    case KSO_NONBLOCK:
      v = s->nonblock;
      break;
    case KSO_NODELAY:
      v = s->nodelay;
      break;
    case KSO_KEEPIDLE:
      v = (int32_t)(s->keepidle_s ? s->keepidle_s : NET_TCP_KEEPALIVE_IDLE_MS / 1000);
      break;
    case KSO_KEEPINTVL:
      v = (int32_t)(s->keepintvl_s ? s->keepintvl_s : NET_TCP_KEEPALIVE_INTVL_MS / 1000);
      break;
    case KSO_KEEPCNT:
      v = (int32_t)(s->keepcnt ? s->keepcnt : NET_TCP_KEEPALIVE_COUNT);
      break;
    default:
      return -VDOS_ENOPROTOOPT;
  }
  if (copy_to_user(uval, &v, sizeof(v))) return -VDOS_EFAULT;
  return sizeof(v);
}

// ---------------------------------------------------------------- poll

static short sock_revents(struct ksock *s) {
  short m = 0;
  if (s->type == VDOS_SOCK_DGRAM) {
    if (s->udp && !pbuf_queue_empty(&s->udp->rxq)) m |= VDOS_POLLIN;
    if (s->udp && s->udp->pending_err) m |= VDOS_POLLERR;
    if (s->shut_rd) m |= VDOS_POLLIN;
    m |= VDOS_POLLOUT;
    return m;
  }
  if (!s->conn) return VDOS_POLLOUT | VDOS_POLLHUP;  // never connected (Linux does the same)
  unsigned ev = tcp_poll(s->conn);
  if (ev & TCP_POLL_IN) m |= VDOS_POLLIN;
  if (ev & TCP_POLL_OUT) m |= VDOS_POLLOUT;
  if (ev & TCP_POLL_HUP) m |= VDOS_POLLHUP;
  if (ev & TCP_POLL_ERR) {
    // A failed connect also reports POLLOUT, so "wait for POLLOUT, then SO_ERROR" works.
    m |= VDOS_POLLERR | VDOS_POLLOUT;
  }
  if (s->shut_rd) m |= VDOS_POLLIN;
  return m;
}

static struct vdos_pollfd pfds[VDOS_POLL_MAX];
static size_t npfds;

static int poll_scan(struct ksock *unused) {
  (void)unused;
  int ready = 0;
  for (size_t i = 0; i < npfds; i++) {
    struct vdos_pollfd *p = &pfds[i];
    short m = 0;
    if (p->fd < 0) {
      p->revents = 0;
      continue;
    }
    switch (proc_fd_kind((uint64_t)p->fd)) {
      case PROC_FD_CONSOLE:
        if (p->fd == 0) {
          if (console_has_input()) m = VDOS_POLLIN;
        } else {
          m = VDOS_POLLOUT;
        }
        break;
      case PROC_FD_FILE:
        m = VDOS_POLLIN | VDOS_POLLOUT;  // RAM files never block
        break;
      case PROC_FD_SOCKET: {
        int err;
        m = sock_revents(proc_fd_sock((uint64_t)p->fd, &err));
        break;
      }
      default:
        m = VDOS_POLLNVAL;
    }
    p->revents = (short)(m & (p->events | VDOS_POLLERR | VDOS_POLLHUP | VDOS_POLLNVAL));
    ready += p->revents != 0;
  }
  return ready;
}

static long sys_poll(uint64_t ufds, uint64_t n, uint64_t timeout) {
  if (n > VDOS_POLL_MAX) return -VDOS_EINVAL;
  int64_t t = (int64_t)timeout;
  if (t > (int64_t)KSOCK_TIMEO_MAX_MS) return -VDOS_EINVAL;
  if (n && copy_from_user(pfds, ufds, n * sizeof(pfds[0]))) return -VDOS_EFAULT;
  if (n && !user_range_ok(ufds, n * sizeof(pfds[0]), 1)) return -VDOS_EFAULT;
  npfds = (size_t)n;
  uint64_t deadline = t < 0 ? 0 : time_ns() + (uint64_t)t * 1000000ull;
  int ready = 0;
  for (;;) {
    kernel_poll();
    ready = poll_scan(NULL);
    if (ready || t == 0 || timeout_expired(deadline)) break;
    if (proc_interrupted()) return -VDOS_EINTR;
    if (!knet_busy()) irq_wait();
  }
  if (n && copy_to_user(ufds, pfds, n * sizeof(pfds[0]))) return -VDOS_EFAULT;
  return ready;
}

// ---------------------------------------------------------------- SYS_SOCKET_INFO

static int owner_of_conn(const tcp_conn_t *c) {
  for (int i = 0; i < KSOCK_MAX; i++)
    if (socks[i].used && socks[i].conn == c) return socks[i].owner;
  return 0;
}

static int owner_of_udp(const struct udp_sock *u) {
  for (int i = 0; i < KSOCK_MAX; i++)
    if (socks[i].used && socks[i].udp == u) return socks[i].owner;
  return 0;
}

struct info_walk {
  uint64_t want, seen;
  const tcp_conn_t *found;
};

static bool info_visit(void *arg, const tcp_conn_t *c) {
  struct info_walk *w = arg;
  if (w->seen++ == w->want) {
    w->found = c;
    return false;
  }
  return true;
}

static long sys_info(uint64_t index, uint64_t uout) {
  if (!user_range_ok(uout, sizeof(struct vdos_sock_info), 1)) return -VDOS_EFAULT;
  struct vdos_sock_info out;
  memset(&out, 0, sizeof(out));
  struct info_walk w = {index, 0, NULL};
  tcp_foreach(knet_tcp()->tcp, info_visit, &w);
  if (w.found) {
    tcp_info_t in;
    tcp_get_info(w.found, &in);
    out.proto = VDOS_IPPROTO_TCP;
    out.state = (unsigned char)in.state;  // enum vdos_tcp_state has the same order
    out.pid = owner_of_conn(w.found);
    out.local = (struct vdos_sockaddr_in){VDOS_AF_INET, in.local_port, in.local_ip};
    out.remote = (struct vdos_sockaddr_in){VDOS_AF_INET, in.remote_port, in.remote_ip};
    out.rx_queue = in.rcv_queued;
    out.tx_queue = in.snd_queued;
    out.rtt_us = in.srtt_us;
    out.rttvar_us = in.rttvar_us;
    out.cwnd = in.cwnd;
    out.ssthresh = in.ssthresh;
    out.mss = in.mss;
    out.in_flight = in.bytes_in_flight;
    out.retransmits = (unsigned)in.retransmits;
    return copy_to_user(uout, &out, sizeof(out)) ? -VDOS_EFAULT : 1;
  }
  uint64_t i = index - w.seen;  // index >= seen here: the walk ended without finding it
  struct udp *u = knet_udp();
  for (int k = 0; k < NET_UDP_SOCKETS; k++) {
    const struct udp_sock *us = &u->socks[k];
    if (!us->used) continue;
    if (i-- != 0) continue;
    out.proto = VDOS_IPPROTO_UDP;
    out.pid = owner_of_udp(us);
    out.local = (struct vdos_sockaddr_in){VDOS_AF_INET, us->local_port, us->local_addr};
    if (us->connected) {
      out.remote = (struct vdos_sockaddr_in){VDOS_AF_INET, us->remote_port, us->remote_addr};
    }
    out.rx_queue = us->rxq.bytes;
    return copy_to_user(uout, &out, sizeof(out)) ? -VDOS_EFAULT : 1;
  }
  return 0;
}

// ---------------------------------------------------------------- dispatch

long ksock_syscall(uint64_t nr, const uint64_t args[6]) {
  if (!knet_tcp()) return -VDOS_ENETDOWN;
  switch (nr) {
    case SYS_SOCKET_CREATE:
      return sys_create(args[0], args[1], args[2]);
    case SYS_SOCKET_POLL:
      return sys_poll(args[0], args[1], args[2]);
    case SYS_SOCKET_INFO:
      return sys_info(args[0], args[1]);
    case SYS_SOCKET_CLOSE:
      return ksock_close_fd(args[0]);
  }
  int err;
  struct ksock *s = proc_fd_sock(args[0], &err);
  if (!s) return err;
  switch (nr) {
    case SYS_SOCKET_CONNECT:
      return sys_connect(s, args[1]);
    case SYS_SOCKET_SEND: {
      netdev_tx_batch();
      long r = ksock_send(s, args[1], args[2], args[3], args[4]);
      // The segments just queued are announced to the device at the program's next kernel
      // entry (or before the CPU waits), not on the way out of this call: one doorbell then
      // covers a burst of sends (kernel/dev/netdev.h).
      netdev_tx_hold();
      return r;
    }
    case SYS_SOCKET_RECV:
      return ksock_recv(s, args[1], args[2], args[3], args[4]);
    case SYS_SOCKET_BIND:
      return sys_bind(s, args[1]);
    case SYS_SOCKET_LISTEN:
      return sys_listen(s, args[1]);
    case SYS_SOCKET_ACCEPT:
      return sys_accept(s, args[1], args[2]);
    case SYS_SOCKET_SHUTDOWN:
      return sys_shutdown(s, args[1]);
    case SYS_SOCKET_GETNAME:
      return sys_getname(s, args[1], args[2]);
    case SYS_SOCKET_SETOPT:
      return sys_setopt(s, args[1], args[2], args[3], args[4]);
    case SYS_SOCKET_GETOPT:
      return sys_getopt(s, args[1], args[2], args[3], args[4]);
  }
  return -VDOS_ENOSYS;
}

// ---------------------------------------------------------------- kernel API (ksock.h)

struct ksock *ksock_get(int fd, int *err) {
  struct ksock *s = proc_fd_sock((uint64_t)(int64_t)fd, err);
  if (!s) return NULL;
  if (s->type != VDOS_SOCK_STREAM || s->listening) {
    *err = -VDOS_EOPNOTSUPP;
    return NULL;
  }
  int st = tcp_state_of(s);
  if (!s->conn || st == TCP_SYN_SENT || st == TCP_SYN_RECEIVED ||
      (st == TCP_CLOSED && tcp_error(s->conn) != NET_OK)) {
    *err = -VDOS_ENOTCONN;
    return NULL;
  }
  return s;
}

long ksock_send_k(struct ksock *s, const void *buf, size_t len, uint32_t timeout_ms) {
  if (s->shut_wr) return -VDOS_EPIPE;
  if (len == 0) return 0;
  return tcp_send_loop(s, buf, 0, len, 0, deadline_after(timeout_ms), -VDOS_ETIMEDOUT, 0);
}

long ksock_recv_k(struct ksock *s, void *buf, size_t len, uint32_t timeout_ms) {
  if (s->shut_rd || len == 0) return 0;
  int r = wait_for(s, tcp_readable, 0, deadline_after(timeout_ms), -VDOS_ETIMEDOUT);
  if (r) return r;
  long got = tcp_recv(s->conn, buf, len);
  kick();
  if (got == NET_ERR_WOULDBLOCK) return -VDOS_EAGAIN;
  return ksock_errno(got);
}

uint32_t ksock_id(const struct ksock *s) { return s->id; }

void ksock_addrs(const struct ksock *s, uint32_t *local_ip, uint16_t *local_port,
                 uint32_t *remote_ip, uint16_t *remote_port) {
  tcp_info_t in;
  memset(&in, 0, sizeof(in));
  if (s->conn) tcp_get_info(s->conn, &in);
  if (local_ip) *local_ip = in.local_ip;
  if (local_port) *local_port = in.local_port;
  if (remote_ip) *remote_ip = in.remote_ip;
  if (remote_port) *remote_port = in.remote_port;
}

size_t ksock_format_stats(char *buf, size_t cap) {
  int open = 0;
  for (int i = 0; i < KSOCK_MAX; i++) open += socks[i].used;
  int n = ksnprintf(buf, cap,
                    "sock_open %d\nsock_created %lu\nsock_closed %lu\nsock_closed_by_exit %lu\n"
                    "sock_reset_on_close %lu\n",
                    open, (unsigned long)counters.created, (unsigned long)counters.closed,
                    (unsigned long)counters.closed_by_exit, (unsigned long)counters.resets);
  return n < 0 ? 0 : (size_t)n;
}
