// vnet main program: option parsing, the TAP platform, the event loop.
#include "tools/vnet/vnet.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "net/core/net_err.h"
#include "tools/vnet/tap.h"

volatile sig_atomic_t vnet_stop = 0;

static void on_signal(int sig) {
  (void)sig;
  vnet_stop = 1;
}

static uint64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static uint64_t plat_now(void *ctx) {
  (void)ctx;
  return mono_us();
}

static void plat_random(void *ctx, void *buf, size_t len) {
  (void)ctx;
  uint8_t *b = (uint8_t *)buf;
  while (len) {
    ssize_t n = getrandom(b, len, 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      // getrandom cannot fail for small requests on Linux >= 3.17 once seeded; be loud if it does.
      perror("vnet: getrandom");
      abort();
    }
    b += n;
    len -= (size_t)n;
  }
}

// Writes one buffer (a frame, preceded by its virtio-net header when offloads are on).
static int tap_write_buf(struct vnet *v, const struct iovec *iov, int iovcnt, size_t len) {
  for (int tries = 0; tries < 100; tries++) {
    ssize_t n = writev(v->tap_fd, iov, iovcnt);
    if (n == (ssize_t)len) return NET_OK;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The TAP queue is full: wait briefly for the kernel to drain it.
      struct pollfd p = {v->tap_fd, POLLOUT, 0};
      poll(&p, 1, 10);
      continue;
    }
    break;
  }
  v->tap_write_errors++;
  return NET_ERR_IO;
}

// Writes one plain Ethernet frame.
static int tap_write(struct vnet *v, const uint8_t *frame, size_t len) {
  static const uint8_t no_offload[TAP_VNET_HDR_LEN];  // no checksum or segmentation asked for
  struct iovec iov[2] = {{(void *)no_offload, sizeof(no_offload)}, {(void *)frame, len}};
  if (!v->offload) return tap_write_buf(v, iov + 1, 1, len);
  return tap_write_buf(v, iov, 2, sizeof(no_offload) + len);
}

// Sends the coalesced TCP segments, if any.
static void tap_flush(struct vnet *v) {
  if (!v->offload) return;
  size_t n = tap_gso_finish(v->gso);
  if (n == 0) return;
  struct iovec iov = {v->gso->buf, n};
  tap_write_buf(v, &iov, 1, n);
}

static int plat_send(void *ctx, const uint8_t *frame, size_t len) {
  struct vnet *v = (struct vnet *)ctx;
  if (v->impair_on) {
    impair_submit(v->imp_tx, frame, len, mono_us());
    return NET_OK;
  }
  if (v->offload) {
    // TCP data joins the pending super-frame; anything else first sends what is pending, so
    // frames leave in the order the stack produced them.
    if (tap_gso_append(v->gso, frame, len)) return NET_OK;
    tap_flush(v);
    if (tap_gso_append(v->gso, frame, len)) return NET_OK;
  }
  return tap_write(v, frame, len);
}

int vnet_add_hook(struct vnet *v, vnet_hook_fn fn, void *ctx) {
  if (v->hook_count >= VNET_MAX_HOOKS) return NET_ERR_NOMEM;
  v->hooks[v->hook_count].fn = fn;
  v->hooks[v->hook_count].ctx = ctx;
  v->hook_count++;
  return NET_OK;
}

uint64_t vnet_now_ms(struct vnet *v) {
  (void)v;
  return mono_us() / 1000;
}

// Moves due frames out of the impairment queues.
static void flush_impair(struct vnet *v) {
  static uint8_t buf[NET_IMPAIR_FRAME_MAX];
  uint64_t now = mono_us();
  size_t n;
  while ((n = impair_pop(v->imp_tx, now, buf, sizeof(buf))) != 0) tap_write(v, buf, n);
  while ((n = impair_pop(v->imp_rx, now, buf, sizeof(buf))) != 0) {
    net_stack_input_frame(&v->stack, buf, n);
  }
}

// Reads one frame with its virtio-net header into a buffer big enough for a TCP super-segment
// (Linux's TSO output: up to 64 KB). Returns false when nothing was read.
static bool read_offload(struct vnet *v) {
  static uint8_t fallback[TAP_FRAME_MAX];
  uint8_t hdr[TAP_VNET_HDR_LEN];
  struct pbuf *p = pbuf_alloc(&v->stack.core.pool, 0, TAP_FRAME_MAX);
  uint8_t *data = p ? p->data : fallback;
  struct iovec iov[2] = {{hdr, sizeof(hdr)}, {data, TAP_FRAME_MAX}};
  ssize_t n = readv(v->tap_fd, iov, 2);
  if (n < 0) {
    pbuf_free(p);
    return false;
  }
  size_t len = (size_t)n > sizeof(hdr) ? (size_t)n - sizeof(hdr) : 0;
  if (len == 0 || !tap_rx_complete_csum(hdr, data, len)) {
    v->tap_bad_frames++;  // no frame, or a header pointing outside it
    pbuf_free(p);
    return true;
  }
  if (!p || len <= NET_PBUF_SMALL_SIZE) {
    // Small frames move to a small buffer: the few large ones stay free for super-segments and
    // for whatever the stack holds on to (reassembly, receive queues).
    net_stack_input_frame(&v->stack, data, len);  // counts a drop if the pool is empty
    pbuf_free(p);
    return true;
  }
  pbuf_trim(p, len);
  net_stack_input(&v->stack, p);
  return true;
}

static void read_frames(struct vnet *v) {
  static uint8_t buf[TAP_FRAME_MAX];
  struct pbuf_pool *pool = &v->stack.core.pool;
  // Bounded batch so timers and hooks run even under a flood.
  for (int i = 0; i < 512; i++) {
    if (v->impair_on) {
      ssize_t n = read(v->tap_fd, buf, sizeof(buf));
      if (n <= 0) break;
      impair_submit(v->imp_rx, buf, (size_t)n, mono_us());
      continue;
    }
    // Read straight into a stack buffer: the one copy on the receive path is the kernel's.
    if (v->offload) {
      if (!read_offload(v)) break;
      continue;
    }
    struct pbuf *p = pbuf_alloc(pool, 0, NET_PBUF_SMALL_SIZE);
    if (!p) {
      ssize_t n = read(v->tap_fd, buf, sizeof(buf));
      if (n <= 0) break;
      net_stack_input_frame(&v->stack, buf, (size_t)n);  // counts the drop
      continue;
    }
    ssize_t n = read(v->tap_fd, p->data, p->len);
    if (n <= 0) {
      pbuf_free(p);
      break;
    }
    pbuf_trim(p, (size_t)n);
    net_stack_input(&v->stack, p);
  }
  // Replies produced while reading (ACKs, echoed data) leave now, coalesced.
  tap_flush(v);
}

bool vnet_run(struct vnet *v, uint64_t until_ms, bool (*cond)(void *ctx), void *ctx) {
  for (;;) {
    uint64_t next_ms = net_stack_poll(&v->stack);
    if (v->impair_on) flush_impair(v);
    for (unsigned i = 0; i < v->hook_count; i++) v->hooks[i].fn(v, v->hooks[i].ctx);
    if (cond && cond(ctx)) {
      tap_flush(v);
      return true;
    }
    // Hooks and cond may have armed an earlier timer (a retransmission, a delayed ACK): take the
    // deadline after them, or the loop would sleep past it.
    next_ms = net_stack_poll(&v->stack);
    tap_flush(v);
    if (vnet_stop || v->done) return false;
    uint64_t now_ms = vnet_now_ms(v);
    if (now_ms >= until_ms) return false;
    uint64_t wake = until_ms < next_ms ? until_ms : next_ms;
    if (v->impair_on) {
      uint64_t a = impair_next_release(v->imp_tx), b = impair_next_release(v->imp_rx);
      uint64_t r = a < b ? a : b;
      if (r != UINT64_MAX && (r + 999) / 1000 < wake) wake = (r + 999) / 1000;
    }
    // Hooks may have work without timers (e.g. a send buffer to refill): cap the sleep.
    int timeout = wake <= now_ms ? 0 : (wake - now_ms > 100 ? 100 : (int)(wake - now_ms));
    struct pollfd p = {v->tap_fd, POLLIN, 0};
    int rc = poll(&p, 1, timeout);
    if (rc > 0 && (p.revents & POLLIN)) read_frames(v);
    if (rc > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL))) {
      fprintf(stderr, "vnet: TAP device went away\n");
      return false;
    }
  }
}

struct resolve_wait {
  struct vnet *v;
  int handle;
  int rc;
  struct dns_result res;
};

static bool resolve_done(void *ctx) {
  struct resolve_wait *w = (struct resolve_wait *)ctx;
  w->rc = dns_resolve_result(&w->v->stack.dns, w->handle, &w->res);
  return w->rc != NET_ERR_INPROGRESS;
}

bool vnet_resolve_host(struct vnet *v, const char *host, ipv4_addr_t *out) {
  struct resolve_wait w;
  memset(&w, 0, sizeof(w));
  w.v = v;
  w.rc = NET_ERR_INPROGRESS;
  w.handle = dns_resolve_start(&v->stack.dns, host);
  if (w.handle < 0) {
    fprintf(stderr, "vnet: %s: %s\n", host,
            v->stack.core.netif.dns_count == 0 ? "not an address and no DNS server (--dns)"
                                               : "invalid host name");
    return false;
  }
  if (!vnet_run(v, UINT64_MAX, resolve_done, &w)) {
    dns_cancel(&v->stack.dns, w.handle);
    return false;
  }
  if (w.rc != NET_OK || w.res.count == 0) {
    fprintf(stderr, "vnet: cannot resolve %s: %s\n", host, net_strerror(w.rc));
    return false;
  }
  *out = w.res.addrs[0];
  return true;
}

bool vnet_parse_port(const char *s, uint16_t *out) {
  if (!s || !*s) return false;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < 1 || v > 65535) return false;
  *out = (uint16_t)v;
  return true;
}

void vnet_print_stats(struct vnet *v) {
  static char buf[8192];
  net_stack_format_stats(&v->stack, buf, sizeof(buf));
  fputs(buf, stdout);
  printf("tap_offload %d\ntap_write_errors %llu\ntap_bad_frames %llu\n", v->offload ? 1 : 0,
         (unsigned long long)v->tap_write_errors, (unsigned long long)v->tap_bad_frames);
  if (v->impair_on) {
    printf("impair_tx_lost %llu\nimpair_rx_lost %llu\n", (unsigned long long)v->imp_tx->stats.lost,
           (unsigned long long)v->imp_rx->stats.lost);
  }
  fflush(stdout);
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: vnet --tap IFNAME --ip ADDR/PREFIX [--gw ADDR] [--dns ADDR] [--mac MAC]\n"
          "            [--mtu N] [--impair SPEC] [--no-offload] [--stats] COMMAND\n"
          "commands:\n"
          "  serve [--echo PORT] [--discard PORT] [--source PORT:BYTES] [--udp-echo PORT]\n"
          "  ping HOST [-c COUNT] [-s SIZE] [-W TIMEOUT_MS] [-i INTERVAL_MS]\n"
          "  resolve NAME\n"
          "  stats\n"
          "%s"
          "impairment SPEC: loss=P,delay=MS,jitter=MS,reorder=P,dup=P,corrupt=P,seed=N\n"
          "  (P in percent), applied to frames in both directions.\n"
          "TAP offloads (64 KB TCP segments to and from Linux) are on unless --impair or\n"
          "--no-offload is given.\n",
          vnet_tcp_usage());
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  // TCP buffers come and go in 8 KB chunks at hundreds of MB/s: glibc's default would hand the
  // heap top back to the kernel and fault it in again over and over.
  mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  const char *tap = NULL, *ip = NULL, *gw = NULL, *mac = NULL, *impair = NULL, *mtu = NULL;
  const char *dns[NET_DNS_MAX_SERVERS];
  unsigned ndns = 0;
  bool stats = false, no_offload = false;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *a = argv[i];
    const char **slot = NULL;
    if (!strcmp(a, "--tap")) {
      slot = &tap;
    } else if (!strcmp(a, "--ip")) {
      slot = &ip;
    } else if (!strcmp(a, "--gw")) {
      slot = &gw;
    } else if (!strcmp(a, "--mac")) {
      slot = &mac;
    } else if (!strcmp(a, "--mtu")) {
      slot = &mtu;
    } else if (!strcmp(a, "--impair")) {
      slot = &impair;
    } else if (!strcmp(a, "--dns")) {
      if (ndns >= NET_DNS_MAX_SERVERS) {
        fprintf(stderr, "vnet: at most %d --dns servers\n", NET_DNS_MAX_SERVERS);
        return 2;
      }
      slot = &dns[ndns++];
    } else if (!strcmp(a, "--stats")) {
      stats = true;
      continue;
    } else if (!strcmp(a, "--no-offload")) {
      no_offload = true;
      continue;
    } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      usage(stdout);
      return 0;
    } else {
      fprintf(stderr, "vnet: unknown option %s\n", a);
      usage(stderr);
      return 2;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "vnet: %s needs a value\n", a);
      return 2;
    }
    *slot = argv[++i];
  }
  if (i >= argc) {
    fprintf(stderr, "vnet: missing COMMAND\n");
    usage(stderr);
    return 2;
  }
  if (!tap || !ip) {
    fprintf(stderr, "vnet: --tap and --ip are required\n");
    usage(stderr);
    return 2;
  }
  struct net_stack_config cfg;
  memset(&cfg, 0, sizeof(cfg));
  unsigned prefix;
  if (!strchr(ip, '/') || !ipv4_cidr_parse(ip, &cfg.addr, &prefix) || prefix == 0 ||
      cfg.addr == IPV4_ANY) {
    fprintf(stderr, "vnet: bad --ip %s (want ADDR/PREFIX, e.g. 10.0.0.2/24)\n", ip);
    return 2;
  }
  cfg.prefix = (uint8_t)prefix;
  if (gw && !ipv4_addr_parse(gw, &cfg.gw)) {
    fprintf(stderr, "vnet: bad --gw %s\n", gw);
    return 2;
  }
  for (unsigned d = 0; d < ndns; d++) {
    if (!ipv4_addr_parse(dns[d], &cfg.dns[d])) {
      fprintf(stderr, "vnet: bad --dns %s\n", dns[d]);
      return 2;
    }
  }
  cfg.dns_count = (uint8_t)ndns;
  if (mac) {
    if (!net_mac_parse(mac, cfg.mac) || (cfg.mac[0] & 1)) {
      fprintf(stderr, "vnet: bad --mac %s (want a unicast aa:bb:cc:dd:ee:ff)\n", mac);
      return 2;
    }
  } else {
    plat_random(NULL, cfg.mac, 6);
    cfg.mac[0] = (uint8_t)((cfg.mac[0] & 0xfe) | 0x02);  // unicast, locally administered
  }
  if (mtu) {
    char *end;
    long m = strtol(mtu, &end, 10);
    if (*end || m < 576 || m > 1500) {
      fprintf(stderr, "vnet: bad --mtu %s (576..1500)\n", mtu);
      return 2;
    }
    cfg.mtu = (uint16_t)m;
  }
  int rc = 1;
  struct vnet *v = calloc(1, sizeof(*v));
  if (!v) {
    fprintf(stderr, "vnet: out of memory\n");
    return 1;
  }
  v->tap_fd = -1;
  v->print_stats = stats;
  v->imp_tx = calloc(1, sizeof(struct impair));
  v->imp_rx = calloc(1, sizeof(struct impair));
  if (!v->imp_tx || !v->imp_rx) {
    fprintf(stderr, "vnet: out of memory\n");
    goto out;
  }
  if (impair) {
    struct impair_cfg ic;
    char err[160];
    if (!impair_parse(impair, &ic, err, sizeof(err))) {
      fprintf(stderr, "vnet: bad --impair: %s\n", err);
      rc = 2;
      goto out;
    }
    impair_init(v->imp_tx, &ic);
    ic.seed = ic.seed * 2 + 1;  // independent decisions for the other direction
    impair_init(v->imp_rx, &ic);
    v->impair_on = impair_active(&ic);
  }
  v->offload = !v->impair_on && !no_offload;
  v->gso = calloc(1, sizeof(struct tap_gso));
  if (!v->gso) {
    fprintf(stderr, "vnet: out of memory\n");
    goto out;
  }
  v->tap_fd = tap_open(tap, v->offload);
  if (v->tap_fd < 0) goto out;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  // `--stats` is also accepted after the command (it is never a command's own option); known
  // before TCP starts, which prints its own counters at exit.
  int cargc = 0;
  char **cargv = argv + i;
  for (int k = i; k < argc; k++) {
    if (!strcmp(argv[k], "--stats")) {
      v->print_stats = true;
    } else {
      cargv[cargc++] = argv[k];
    }
  }
  struct net_platform plat = {plat_send, plat_now, plat_random, v};
  net_stack_init(&v->stack, &plat, &cfg);
  net_stack_up(&v->stack);
  if (!vnet_tcp_init(v)) goto out;

  const char *cmd = cargv[0];
  if (!strcmp(cmd, "serve")) {
    rc = vnet_cmd_serve(v, cargc, cargv);
  } else if (!strcmp(cmd, "ping")) {
    rc = vnet_cmd_ping(v, cargc, cargv);
  } else if (!strcmp(cmd, "resolve")) {
    rc = vnet_cmd_resolve(v, cargc, cargv);
  } else if (!strcmp(cmd, "stats")) {
    rc = vnet_cmd_stats(v, cargc, cargv);
  } else {
    rc = vnet_tcp_command(v, cargc, cargv);
    if (rc < 0) {
      fprintf(stderr, "vnet: unknown command %s\n", cmd);
      usage(stderr);
      rc = 2;
    }
  }
  if (v->print_stats && strcmp(cmd, "stats") != 0) vnet_print_stats(v);
out:
  if (v->tap_fd >= 0) close(v->tap_fd);
  free(v->imp_tx);
  free(v->imp_rx);
  free(v->gso);
  free(v);
  return rc;
}
