// vnet's TCP services (serve --echo/--discard/--source) and commands (send, recv), on the
// net/tcp engine attached to the stack's IPv4 layer. Test pattern: byte at offset i is i % 251.
// clock_gettime(CLOCK_MONOTONIC) is POSIX, not C11.
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/core/net_err.h"
#include "net/tcp/tcp.h"
#include "net/tcp/tcp_ipv4.h"
#include "tools/vnet/vnet.h"
#include "tools/vnet/vnet_sha256.h"

#define PATTERN_MOD 251u
#define IO_CHUNK 65536u
// Accept queue of each service. vnet reads up to 512 frames before its services run, and a burst
// of connecting clients can complete hundreds of handshakes in one such batch: the queue must hold
// them all, or the extra SYNs are dropped and their clients wait a second to retry.
#define VNET_TCP_BACKLOG 1024u
// How long send/recv keep the stack running after their close, for the last ACK / FIN exchange.
#define VNET_CLOSE_LINGER_MS 200u

static struct tcp_ipv4 g_tcp;
static bool g_tcp_ok;
// Pattern from offset 0; any chunk of IO_CHUNK bytes starting below PATTERN_MOD fits.
static uint8_t g_pattern[PATTERN_MOD + IO_CHUNK];
static uint8_t g_io[IO_CHUNK];

static void* host_alloc(void* ctx, size_t n) { return malloc(n); }
static void host_free(void* ctx, void* p) { free(p); }

static uint64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

// Sends pattern bytes [*off, total) as far as the send buffer allows.
static int send_pattern(tcp_conn_t* c, uint64_t* off, uint64_t total) {
  while (*off < total) {
    uint64_t left = total - *off;
    size_t n = left < IO_CHUNK ? (size_t)left : IO_CHUNK;
    long r = tcp_send(c, g_pattern + (*off % PATTERN_MOD), n);
    if (r == NET_ERR_WOULDBLOCK) return NET_OK;
    if (r < 0) return (int)r;
    *off += (uint64_t)r;
  }
  return NET_OK;
}

static void rate_line(char* buf, size_t cap, uint64_t bytes, uint64_t us) {
  double s = (double)us / 1e6;
  double mbs = s > 0 ? (double)bytes / 1e6 / s : 0.0;
  snprintf(buf, cap, "%" PRIu64 " bytes %.3f s %.1f MB/s", bytes, s, mbs);
}

// ---------------------------------------------------------------- services

enum svc_kind { SVC_ECHO, SVC_DISCARD, SVC_SOURCE };

struct svc_conn {
  struct svc_conn* next;
  tcp_conn_t* c;
  enum svc_kind kind;
  uint64_t start_us;
  uint64_t bytes;             // received (discard) or sent (source)
  uint64_t total;             // source: bytes to send
  size_t pend_off, pend_len;  // echo: received bytes not yet queued back
  uint8_t* pend;
  bool shut;
  struct vnet_sha256 sha;
  uint32_t peer_ip;
  uint16_t peer_port;
};

struct service {
  struct service* next;
  enum svc_kind kind;
  tcp_conn_t* listener;
  uint64_t source_bytes;
};

static struct service* g_services;
static struct svc_conn* g_conns;
static bool g_hook_added;

static void print_discard(struct svc_conn* sc) {
  char ip[IPV4_ADDR_STRLEN], hex[65], rate[96];
  vnet_sha256_hex(&sc->sha, hex);
  rate_line(rate, sizeof(rate), sc->bytes, mono_us() - sc->start_us);
  printf("discard %s:%u %s sha256=%s\n", ipv4_addr_format(sc->peer_ip, ip), sc->peer_port, rate,
         hex);
  fflush(stdout);
}

// Drives one service connection; returns false when it is finished and released.
static bool svc_pump(struct svc_conn* sc) {
  tcp_conn_t* c = sc->c;
  bool eof = false;
  int err = tcp_error(c);
  if (err != NET_OK) {
    tcp_close(c);
    return false;
  }
  switch (sc->kind) {
    case SVC_ECHO:
      for (int round = 0; round < 64; round++) {
        if (sc->pend_len > 0) {
          long r = tcp_send(c, sc->pend + sc->pend_off, sc->pend_len);
          if (r < 0 && r != NET_ERR_WOULDBLOCK) {
            tcp_abort(c);
            return false;
          }
          if (r > 0) {
            sc->pend_off += (size_t)r;
            sc->pend_len -= (size_t)r;
          }
          if (sc->pend_len > 0) break;
        }
        long n = tcp_recv(c, sc->pend, IO_CHUNK);
        if (n > 0) {
          sc->pend_off = 0;
          sc->pend_len = (size_t)n;
          continue;
        }
        if (n == 0) eof = true;
        break;
      }
      if (eof && sc->pend_len == 0 && !sc->shut) {
        tcp_shutdown_write(c);
        sc->shut = true;
      }
      break;
    case SVC_DISCARD:
      for (int round = 0; round < 64; round++) {
        long n = tcp_recv(c, g_io, sizeof(g_io));
        if (n > 0) {
          vnet_sha256_update(&sc->sha, g_io, (size_t)n);
          sc->bytes += (uint64_t)n;
          continue;
        }
        if (n == 0) eof = true;
        break;
      }
      if (eof && !sc->shut) {
        print_discard(sc);
        tcp_shutdown_write(c);
        sc->shut = true;
      }
      break;
    case SVC_SOURCE:
      if (send_pattern(c, &sc->bytes, sc->total) != NET_OK) {
        tcp_abort(c);
        return false;
      }
      if (sc->bytes == sc->total && !sc->shut) {
        tcp_shutdown_write(c);
        sc->shut = true;
      }
      for (int round = 0; round < 64; round++) {  // whatever the client sends is ignored
        long n = tcp_recv(c, g_io, sizeof(g_io));
        if (n > 0) continue;
        if (n == 0) eof = true;
        break;
      }
      break;
  }
  unsigned ev = tcp_poll(c);
  if (sc->shut && (eof || (ev & TCP_POLL_HUP))) {
    // Both directions are finished (or the peer is gone): release; TIME_WAIT runs on its own.
    tcp_close(c);
    return false;
  }
  return true;
}

// VNET_TCP_KEEPALIVE=IDLE_MS[,INTVL_MS[,COUNT]] turns keep-alive on for every connection
// (environment, so the shared option parser stays untouched).
static void apply_keepalive(tcp_conn_t* c) {
  const char* e = getenv("VNET_TCP_KEEPALIVE");
  if (e == NULL || *e == 0) return;
  unsigned long idle = 0, intvl = 0, count = 0;
  int n = sscanf(e, "%lu,%lu,%lu", &idle, &intvl, &count);
  if (n < 1 || idle == 0) return;
  tcp_setopt(c, TCP_OPT_KEEPIDLE_MS, (uint32_t)idle);
  if (n >= 2 && intvl > 0) tcp_setopt(c, TCP_OPT_KEEPINTVL_MS, (uint32_t)intvl);
  if (n >= 3 && count > 0) tcp_setopt(c, TCP_OPT_KEEPCNT, (uint32_t)count);
  tcp_setopt(c, TCP_OPT_KEEPALIVE, 1);
}

static void tcp_hook(struct vnet* v, void* ctx) {
  for (struct service* s = g_services; s; s = s->next) {
    for (int i = 0; i < 256; i++) {
      tcp_conn_t* c;
      if (tcp_accept(s->listener, &c) != NET_OK) break;
      struct svc_conn* sc = calloc(1, sizeof(*sc));
      if (sc == NULL || (s->kind == SVC_ECHO && (sc->pend = malloc(IO_CHUNK)) == NULL)) {
        free(sc);
        tcp_abort(c);
        continue;
      }
      apply_keepalive(c);
      tcp_info_t in;
      tcp_get_info(c, &in);
      sc->c = c;
      sc->kind = s->kind;
      sc->start_us = mono_us();
      sc->total = s->source_bytes;
      sc->peer_ip = in.remote_ip;
      sc->peer_port = in.remote_port;
      vnet_sha256_init(&sc->sha);
      sc->next = g_conns;
      g_conns = sc;
    }
  }
  struct svc_conn** pp = &g_conns;
  while (*pp) {
    struct svc_conn* sc = *pp;
    if (!svc_pump(sc)) {
      *pp = sc->next;
      free(sc->pend);
      free(sc);
    } else {
      pp = &sc->next;
    }
  }
  tcp_ipv4_kick(&g_tcp);
}

static bool g_print_stats;

// With --stats, TCP's counters follow the stack's (printed at exit).
static void print_tcp_stats(void) {
  if (!g_tcp_ok || !g_print_stats) return;
  tcp_stats_t st;
  tcp_get_stats(g_tcp.tcp, &st);
  printf("tcp_active_opens %" PRIu64 "\ntcp_passive_opens %" PRIu64 "\ntcp_established %" PRIu64
         "\ntcp_segs_in %" PRIu64 "\ntcp_segs_out %" PRIu64 "\ntcp_retransmits %" PRIu64
         "\ntcp_rto_timeouts %" PRIu64 "\ntcp_fast_retransmits %" PRIu64
         "\ntcp_lost_retransmits %" PRIu64 "\ntcp_rst_sent %" PRIu64 "\ntcp_rst_received %" PRIu64
         "\ntcp_bad_checksum %" PRIu64 "\ntcp_syncookies_sent %" PRIu64
         "\ntcp_syncookies_ok %" PRIu64 "\ntcp_syncookies_bad %" PRIu64
         "\ntcp_backlog_drops %" PRIu64 "\ntcp_no_conn %" PRIu64 "\ntcp_tail_loss_probes %" PRIu64
         "\ntcp_challenge_acks %" PRIu64 "\ntcp_paws_drops %" PRIu64 "\ntcp_ooo_drops %" PRIu64
         "\ntcp_out_of_window %" PRIu64 "\ntcp_keepalive_probes %" PRIu64 "\ntcp_timeouts %" PRIu64
         "\ntcp_conns %u\ntcp_tx_errors %" PRIu64 "\ntcp_buffer_bytes %" PRIu64
         "\ntcp_conn_slot_bytes %zu\n",
         st.active_opens, st.passive_opens, st.conns_established, st.segs_in, st.segs_out,
         st.retransmits, st.rto_timeouts, st.fast_retransmits, st.lost_retransmits, st.rst_sent,
         st.rst_received, st.bad_checksum, st.syncookies_sent, st.syncookies_ok, st.syncookies_bad,
         st.backlog_drops, st.no_conn, st.tail_loss_probes, st.challenge_acks, st.paws_drops,
         st.ooo_drops, st.out_of_window, st.keepalive_probes, st.timeouts, st.conns_in_use,
         g_tcp.tx_errors, st.buffer_bytes, tcp_conn_slot_bytes());
  fflush(stdout);
}

bool vnet_tcp_init(struct vnet* v) {
  g_print_stats = v->print_stats;
  atexit(print_tcp_stats);
  for (size_t i = 0; i < sizeof(g_pattern); i++) g_pattern[i] = (uint8_t)(i % PATTERN_MOD);
  tcp_config_t cfg;
  tcp_config_default(&cfg);
  cfg.max_conns = 16384;  // the host build: thousands of concurrent connections
  // VNET_TCP_CC=cubic|newreno picks the congestion control (default: the stack's, NewReno).
  const char* cc = getenv("VNET_TCP_CC");
  if (cc != NULL && strcmp(cc, "cubic") == 0) cfg.cc = TCP_CC_CUBIC;
  if (cc != NULL && strcmp(cc, "newreno") == 0) cfg.cc = TCP_CC_NEWRENO;
  int r = tcp_ipv4_attach(&g_tcp, &v->stack.ip, &cfg, host_alloc, host_free, NULL);
  if (r != NET_OK) {
    fprintf(stderr, "vnet: cannot start TCP: %s\n", net_strerror(r));
    return false;
  }
  g_tcp_ok = true;
  return true;
}

static bool add_hook(struct vnet* v) {
  if (g_hook_added) return true;
  if (vnet_add_hook(v, tcp_hook, NULL) != NET_OK) {
    fprintf(stderr, "vnet: too many hooks\n");
    return false;
  }
  g_hook_added = true;
  return true;
}

static bool add_service(struct vnet* v, enum svc_kind kind, uint16_t port, uint64_t bytes) {
  if (!g_tcp_ok || !add_hook(v)) return false;
  struct service* s = calloc(1, sizeof(*s));
  if (s == NULL) return false;
  int r = tcp_listen(g_tcp.tcp, 0, port, VNET_TCP_BACKLOG, &s->listener);
  if (r != NET_OK) {
    fprintf(stderr, "vnet: cannot listen on TCP port %u: %s\n", port, net_strerror(r));
    free(s);
    return false;
  }
  s->kind = kind;
  s->source_bytes = bytes;
  s->next = g_services;
  g_services = s;
  return true;
}

bool vnet_tcp_serve_echo(struct vnet* v, uint16_t port) {
  return add_service(v, SVC_ECHO, port, 0);
}

bool vnet_tcp_serve_discard(struct vnet* v, uint16_t port) {
  return add_service(v, SVC_DISCARD, port, 0);
}

bool vnet_tcp_serve_source(struct vnet* v, const char* spec) {
  const char* colon = spec ? strchr(spec, ':') : NULL;
  char portbuf[8];
  uint16_t port;
  if (colon == NULL || (size_t)(colon - spec) >= sizeof(portbuf)) {
    fprintf(stderr, "vnet: bad --source %s (want PORT:BYTES)\n", spec ? spec : "");
    return false;
  }
  memcpy(portbuf, spec, (size_t)(colon - spec));
  portbuf[colon - spec] = 0;
  char* end;
  unsigned long long bytes = strtoull(colon + 1, &end, 10);
  if (!vnet_parse_port(portbuf, &port) || *end || colon[1] == 0 || colon[1] == '-') {
    fprintf(stderr, "vnet: bad --source %s (want PORT:BYTES)\n", spec);
    return false;
  }
  return add_service(v, SVC_SOURCE, port, bytes);
}

// ---------------------------------------------------------------- commands

struct client {
  tcp_conn_t* c;
  uint64_t total, sent, received;
  bool shut, eof, hashing;
  struct vnet_sha256 sha;
  int err;
};

static bool client_connected(void* ctx) {
  struct client* cl = ctx;
  tcp_ipv4_kick(&g_tcp);
  int e = tcp_error(cl->c);
  if (e != NET_OK) {
    cl->err = e;
    return true;
  }
  return (tcp_poll(cl->c) & TCP_POLL_OUT) != 0;
}

static bool client_step(void* ctx) {
  struct client* cl = ctx;
  tcp_conn_t* c = cl->c;
  if (!cl->shut) {
    int r = send_pattern(c, &cl->sent, cl->total);
    if (r != NET_OK) cl->err = r;
    if (cl->sent == cl->total) {
      tcp_shutdown_write(c);
      cl->shut = true;
    }
  }
  for (int round = 0; round < 64; round++) {
    long n = tcp_recv(c, g_io, sizeof(g_io));
    if (n > 0) {
      if (cl->hashing) vnet_sha256_update(&cl->sha, g_io, (size_t)n);
      cl->received += (uint64_t)n;
      continue;
    }
    if (n == 0) cl->eof = true;
    if (n < 0 && n != NET_ERR_WOULDBLOCK) cl->err = (int)n;
    break;
  }
  tcp_ipv4_kick(&g_tcp);
  return cl->err != NET_OK || (cl->eof && cl->shut);
}

static int open_client(struct vnet* v, const char* host, const char* port_s, struct client* cl) {
  ipv4_addr_t dst;
  uint16_t port;
  if (!vnet_parse_port(port_s, &port)) {
    fprintf(stderr, "vnet: bad port %s\n", port_s);
    return 2;
  }
  if (!vnet_resolve_host(v, host, &dst)) return 1;
  int r = tcp_connect(g_tcp.tcp, v->stack.core.netif.addr, 0, dst, port, &cl->c);
  if (r != NET_OK) {
    fprintf(stderr, "vnet: connect to %s:%u: %s\n", host, port, net_strerror(r));
    return 1;
  }
  apply_keepalive(cl->c);
  if (!vnet_run(v, UINT64_MAX, client_connected, cl)) return 1;  // interrupted
  if (cl->err != NET_OK) {
    fprintf(stderr, "vnet: connect to %s:%u: %s\n", host, port, net_strerror(cl->err));
    tcp_close(cl->c);
    return 1;
  }
  return 0;
}

// Connects and runs the client until its stream is done. Returns 0 with the transfer's duration
// in *us, else the exit status, having said why on stderr: a failure mid-stream as "vnet: WHAT:
// ERROR after N bytes", N being *progress (the client's sent or received count).
static int run_client(struct vnet* v, const char* host, const char* port_s, struct client* cl,
                      const char* what, const uint64_t* progress, uint64_t* us) {
  int rc = open_client(v, host, port_s, cl);
  if (rc != 0) return rc;
  uint64_t t0 = mono_us();
  if (!vnet_run(v, UINT64_MAX, client_step, cl)) {  // interrupted
    tcp_abort(cl->c);
    return 1;
  }
  *us = mono_us() - t0;
  if (cl->err != NET_OK) {
    fprintf(stderr, "vnet: %s: %s after %" PRIu64 " bytes\n", what, net_strerror(cl->err),
            *progress);
    tcp_close(cl->c);
    return 1;
  }
  return 0;
}

// Closes a finished client, then lets the final ACK / FIN exchange complete before the process
// (and its stack) goes away.
static void close_client(struct vnet* v, struct client* cl) {
  tcp_close(cl->c);
  vnet_run(v, vnet_now_ms(v) + VNET_CLOSE_LINGER_MS, NULL, NULL);
}

static int cmd_send(struct vnet* v, int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: vnet ... send HOST PORT BYTES\n");
    return 2;
  }
  char* end;
  unsigned long long bytes = strtoull(argv[3], &end, 10);
  if (*end || argv[3][0] == 0 || argv[3][0] == '-') {
    fprintf(stderr, "vnet: bad byte count %s\n", argv[3]);
    return 2;
  }
  struct client cl;
  memset(&cl, 0, sizeof(cl));
  cl.total = bytes;
  uint64_t us;
  int rc = run_client(v, argv[1], argv[2], &cl, "send", &cl.sent, &us);
  if (rc != 0) return rc;
  char rate[96];
  rate_line(rate, sizeof(rate), cl.sent, us);
  printf("sent %s\n", rate);
  close_client(v, &cl);
  return 0;
}

static int cmd_recv(struct vnet* v, int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: vnet ... recv HOST PORT\n");
    return 2;
  }
  struct client cl;
  memset(&cl, 0, sizeof(cl));
  cl.shut = true;  // sends nothing: reads to end of stream, then closes
  cl.hashing = true;
  vnet_sha256_init(&cl.sha);
  uint64_t us;
  int rc = run_client(v, argv[1], argv[2], &cl, "recv", &cl.received, &us);
  if (rc != 0) return rc;
  char rate[96], hex[65];
  rate_line(rate, sizeof(rate), cl.received, us);
  vnet_sha256_hex(&cl.sha, hex);
  printf("received %s sha256=%s\n", rate, hex);
  close_client(v, &cl);
  return 0;
}

int vnet_tcp_command(struct vnet* v, int argc, char** argv) {
  if (!strcmp(argv[0], "send")) return cmd_send(v, argc, argv);
  if (!strcmp(argv[0], "recv")) return cmd_recv(v, argc, argv);
  return -1;
}

const char* vnet_tcp_usage(void) {
  return "  send HOST PORT BYTES    connect, send BYTES of the test pattern, half-close,\n"
         "                          wait for the peer's close; prints bytes, seconds, MB/s\n"
         "  recv HOST PORT          connect, read to end of stream; prints bytes, seconds,\n"
         "                          MB/s and the sha256 of the data\n"
         "  (environment VNET_TCP_KEEPALIVE=IDLE_MS[,INTVL_MS[,COUNT]] enables TCP keep-alive;\n"
         "   VNET_TCP_CC=cubic|newreno picks the congestion control, default newreno)\n";
}
