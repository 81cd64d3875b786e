// lwip_tap: lwIP (Debian's liblwip-dev) on a Linux TAP device, offering the TCP services vnet
// offers, so //bench:tcp can put both stacks on the same path and parse both with one script.
//
//   lwip_tap --tap IF --ip A.B.C.D/LEN [--mac MAC] serve [--discard PORT] [--echo PORT]
//                                                        [--source PORT:BYTES] [--no-hash]
//   lwip_tap --tap IF --ip A.B.C.D/LEN [--mac MAC] send HOST PORT BYTES
//
// Output lines match vnet's:
//   discard <ip>:<port> <bytes> bytes <s> s <MB/s> MB/s sha256=<hex>   (per connection, at EOF)
//   sent <bytes> bytes <s> s <MB/s> MB/s                               (send: connect to peer's
//   close)
// Test pattern: the byte at offset i is i % 251. --no-hash leaves SHA-256 out of --discard (the
// line then ends in sha256=-): the stack's cost alone, without the per-byte work vnet's discard
// does.
//
// Debian's packaged tapif does not work, so the netif driver here is ours: a receive thread reads
// frames from the TAP fd and feeds them to ethernet_input() while holding lwIP's core lock (what
// LWIP_TCPIP_CORE_LOCKING_INPUT would do; posting each frame to the tcpip thread's mailbox, which
// the unix port bounds, drops frames under load). Output writes each frame to the same fd. The
// library is built with NO_SYS=0: its tcpip thread runs the timers, also under the core lock, and
// the services use the raw TCP API from callbacks that all run with that lock held.
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "netif/etharp.h"
#include "netif/ethernet.h"
#include "wolfssl/wolfcrypt/sha256.h"

#define PATTERN_MOD 251u
// tcp_write takes a u16_t length.
#define WRITE_CHUNK 65535u
// Ethernet header + the TAP's default 1500-byte MTU; anything longer is not a frame we sent for.
#define FRAME_MAX 1514u
#define LINK_MTU 1500u
// Frames read per taking of the core lock: fewer lock round trips while a burst is queued.
#define RX_BATCH 32
// How long output waits for room on the TAP fd before dropping a frame (TCP retransmits it).
#define TX_WAIT_MS 100
#define LISTEN_BACKLOG 8
#define MAX_SERVICES 8
// After `send`, time for the last ACK of the peer's FIN to leave before the process exits.
#define LINGER_MS 200

static int g_tap = -1;
static struct netif g_nif;
static uint8_t g_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
// Pattern from offset 0; any write of WRITE_CHUNK bytes starting below PATTERN_MOD fits.
static uint8_t g_pattern[PATTERN_MOD + WRITE_CHUNK];
static bool g_hash = true;

// lwIP's own lwip_strerr() is compiled only into debug builds; its errno mapping is always there.
static const char* err_text(err_t e) { return strerror(err_to_errno(e)); }

static uint64_t mono_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void rate_line(char* buf, size_t cap, uint64_t bytes, uint64_t us) {
  double s = (double)us / 1e6;
  double mbs = s > 0 ? (double)bytes / 1e6 / s : 0.0;
  snprintf(buf, cap, "%" PRIu64 " bytes %.3f s %.1f MB/s", bytes, s, mbs);
}

// ---------------------------------------------------------------- TAP netif

static int tap_open(const char* name) {
  if (strlen(name) >= IFNAMSIZ) {
    fprintf(stderr, "lwip_tap: interface name too long: %s\n", name);
    return -1;
  }
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "lwip_tap: cannot open /dev/net/tun: %s\n", strerror(errno));
    return -1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  memcpy(ifr.ifr_name, name, strlen(name));
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    fprintf(stderr, "lwip_tap: cannot attach to TAP device %s: %s\n", name, strerror(errno));
    close(fd);
    return -1;
  }
  // lwIP takes neither checksum nor segmentation offload. The device keeps whatever offloads an
  // earlier user of it (vnet, with a virtio-net header) switched on, and Linux would then hand us
  // frames with unfinished checksums or 64 KB TCP segments: switch them all off.
  if (ioctl(fd, TUNSETOFFLOAD, 0UL) < 0) {
    fprintf(stderr, "lwip_tap: cannot clear offloads on %s: %s\n", name, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

// Called with the core lock held (lwIP only transmits from its own context).
static err_t tap_linkoutput(struct netif* nif, struct pbuf* p) {
  static uint8_t frame[FRAME_MAX];
  (void)nif;
  if (p->tot_len > FRAME_MAX) return ERR_IF;
  const uint8_t* data = p->payload;
  if (p->next != NULL) {  // a chain: the TAP fd takes one contiguous frame per write
    pbuf_copy_partial(p, frame, p->tot_len, 0);
    data = frame;
  }
  uint64_t deadline = mono_us() + (uint64_t)TX_WAIT_MS * 1000u;
  for (;;) {
    ssize_t w = write(g_tap, data, p->tot_len);
    if (w == (ssize_t)p->tot_len) return ERR_OK;
    if (w >= 0 || (errno != EAGAIN && errno != EINTR)) return ERR_IF;
    uint64_t now = mono_us();
    if (now >= deadline) return ERR_IF;
    struct pollfd pfd = {.fd = g_tap, .events = POLLOUT};
    poll(&pfd, 1, (int)((deadline - now) / 1000u) + 1);
  }
}

static err_t tap_netif_init(struct netif* nif) {
  nif->name[0] = 't';
  nif->name[1] = 'p';
  nif->output = etharp_output;
  nif->linkoutput = tap_linkoutput;
  nif->mtu = LINK_MTU;
  nif->hwaddr_len = ETH_HWADDR_LEN;
  memcpy(nif->hwaddr, g_mac, ETH_HWADDR_LEN);
  nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
  return ERR_OK;
}

// Receive thread: poll the TAP fd, read what is queued (up to RX_BATCH frames), hand it to lwIP.
static void* rx_main(void* arg) {
  static uint8_t frames[RX_BATCH][FRAME_MAX];
  size_t lens[RX_BATCH];
  (void)arg;
  for (;;) {
    struct pollfd pfd = {.fd = g_tap, .events = POLLIN};
    if (poll(&pfd, 1, -1) < 0) {
      if (errno == EINTR) continue;
      fprintf(stderr, "lwip_tap: poll: %s\n", strerror(errno));
      exit(1);
    }
    int n = 0;
    while (n < RX_BATCH) {
      ssize_t r = read(g_tap, frames[n], FRAME_MAX);
      if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) break;
        fprintf(stderr, "lwip_tap: read: %s\n", strerror(errno));
        exit(1);
      }
      // Shorter than an Ethernet header: nothing lwIP could use.
      if (r >= (ssize_t)SIZEOF_ETH_HDR) lens[n++] = (size_t)r;
    }
    if (n == 0) continue;
    LOCK_TCPIP_CORE();
    for (int i = 0; i < n; i++) {
      // PBUF_RAM, not PBUF_POOL: Debian's liblwip0 sizes its pool elements for a 536-byte MSS
      // (616-byte blocks) while pbuf_alloc fills them as if for its 1460-byte TCP_MSS, so a
      // full-size frame in a PBUF_POOL pbuf overruns the heap (seen under valgrind).
      struct pbuf* p = pbuf_alloc(PBUF_RAW, (u16_t)lens[i], PBUF_RAM);
      if (p == NULL) continue;  // out of memory: dropped like a full NIC ring would
      pbuf_take(p, frames[i], (u16_t)lens[i]);
      if (g_nif.input(p, &g_nif) != ERR_OK) pbuf_free(p);
    }
    UNLOCK_TCPIP_CORE();
  }
  return NULL;
}

// ---------------------------------------------------------------- sending the pattern

// Queues pattern bytes [*off, total) as far as lwIP's send buffer and queue allow, then pushes
// them out. Returns ERR_OK when it simply has to wait for ACKs.
static err_t send_pattern(struct tcp_pcb* pcb, uint64_t* off, uint64_t total) {
  while (*off < total) {
    uint64_t left = total - *off;
    tcpwnd_size_t room = tcp_sndbuf(pcb);  // u32_t with window scaling: may exceed a write
    size_t n = left < WRITE_CHUNK ? (size_t)left : WRITE_CHUNK;
    if (n > room) n = room;
    if (n == 0) break;
    u8_t flags = TCP_WRITE_FLAG_COPY | (*off + n < total ? TCP_WRITE_FLAG_MORE : 0);
    err_t e = tcp_write(pcb, g_pattern + (*off % PATTERN_MOD), (u16_t)n, flags);
    if (e == ERR_MEM) break;  // segment queue full: more room comes with the next ACK
    if (e != ERR_OK) return e;
    *off += n;
  }
  return tcp_output(pcb);
}

// ---------------------------------------------------------------- services

enum svc_kind { SVC_DISCARD, SVC_ECHO, SVC_SOURCE };

struct service {
  enum svc_kind kind;
  uint16_t port;
  uint64_t source_bytes;
};

struct svc_conn {
  enum svc_kind kind;
  uint64_t start_us;
  uint64_t bytes;     // received (discard) or sent (source)
  uint64_t total;     // source: bytes to send
  struct pbuf* pend;  // echo: received, not yet queued back
  bool eof, hashing;
  wc_Sha256 sha;
  char peer[IP4ADDR_STRLEN_MAX];
  uint16_t peer_port;
};

static void conn_release(struct tcp_pcb* pcb, struct svc_conn* sc) {
  tcp_arg(pcb, NULL);
  tcp_recv(pcb, NULL);
  tcp_sent(pcb, NULL);
  tcp_err(pcb, NULL);
  if (sc->pend != NULL) pbuf_free(sc->pend);
  if (sc->hashing) wc_Sha256Free(&sc->sha);
  free(sc);
}

// Closes the connection and forgets it; returns what a callback must return afterwards.
static err_t conn_finish(struct tcp_pcb* pcb, struct svc_conn* sc) {
  conn_release(pcb, sc);
  if (tcp_close(pcb) == ERR_OK) return ERR_OK;
  tcp_abort(pcb);  // no memory for the FIN: reset rather than leak the pcb
  return ERR_ABRT;
}

static void svc_err(void* arg, err_t err) {
  struct svc_conn* sc = arg;
  (void)err;
  if (sc == NULL) return;  // the pcb is already gone; only our state is left to free
  if (sc->pend != NULL) pbuf_free(sc->pend);
  if (sc->hashing) wc_Sha256Free(&sc->sha);
  free(sc);
}

static void print_discard(struct svc_conn* sc) {
  byte digest[WC_SHA256_DIGEST_SIZE];
  char hex[2 * WC_SHA256_DIGEST_SIZE + 1] = "-", rate[96];
  if (sc->hashing) {
    wc_Sha256Final(&sc->sha, digest);
    for (int i = 0; i < WC_SHA256_DIGEST_SIZE; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  }
  rate_line(rate, sizeof(rate), sc->bytes, mono_us() - sc->start_us);
  printf("discard %s:%u %s sha256=%s\n", sc->peer, sc->peer_port, rate, hex);
  fflush(stdout);
}

// Echo: queue whole received pbufs back while the send buffer has room; the receive window is
// reopened only for what has been queued, so a slow reader on the far end slows the sender.
static err_t echo_flush(struct tcp_pcb* pcb, struct svc_conn* sc) {
  while (sc->pend != NULL) {
    struct pbuf* q = sc->pend;
    if (q->len > tcp_sndbuf(pcb)) break;
    err_t e = tcp_write(pcb, q->payload, q->len, TCP_WRITE_FLAG_COPY);
    if (e == ERR_MEM) break;
    if (e != ERR_OK) return e;
    u16_t len = q->len;
    // Detach q from the chain so that freeing it leaves the rest (which keeps its own tot_len).
    sc->pend = q->next;
    q->next = NULL;
    q->tot_len = q->len;
    pbuf_free(q);
    tcp_recved(pcb, len);
  }
  return tcp_output(pcb);
}

static err_t svc_recv(void* arg, struct tcp_pcb* pcb, struct pbuf* p, err_t err) {
  struct svc_conn* sc = arg;
  if (sc == NULL) {  // released already: drop whatever still arrives
    if (p != NULL) {
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
    }
    return ERR_OK;
  }
  if (err != ERR_OK) {
    if (p != NULL) pbuf_free(p);
    conn_release(pcb, sc);
    tcp_abort(pcb);
    return ERR_ABRT;
  }
  switch (sc->kind) {
    case SVC_DISCARD:
      if (p == NULL) {
        print_discard(sc);
        return conn_finish(pcb, sc);
      }
      for (struct pbuf* q = p; sc->hashing && q != NULL; q = q->next)
        wc_Sha256Update(&sc->sha, q->payload, q->len);
      sc->bytes += p->tot_len;
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
      return ERR_OK;
    case SVC_ECHO:
      if (p == NULL) {
        sc->eof = true;
        if (sc->pend == NULL) return conn_finish(pcb, sc);
        return ERR_OK;
      }
      if (sc->pend == NULL) {
        sc->pend = p;
      } else {
        pbuf_cat(sc->pend, p);
      }
      if (echo_flush(pcb, sc) != ERR_OK) {
        conn_release(pcb, sc);
        tcp_abort(pcb);
        return ERR_ABRT;
      }
      return ERR_OK;
    case SVC_SOURCE:  // whatever the client sends is ignored
      if (p == NULL) {
        sc->eof = true;
        if (sc->bytes == sc->total) return conn_finish(pcb, sc);
        return ERR_OK;
      }
      tcp_recved(pcb, p->tot_len);
      pbuf_free(p);
      return ERR_OK;
  }
  return ERR_OK;
}

static err_t svc_sent(void* arg, struct tcp_pcb* pcb, u16_t len) {
  struct svc_conn* sc = arg;
  (void)len;
  if (sc == NULL) return ERR_OK;
  err_t e = ERR_OK;
  if (sc->kind == SVC_ECHO) {
    e = echo_flush(pcb, sc);
    if (e == ERR_OK && sc->eof && sc->pend == NULL) return conn_finish(pcb, sc);
  } else if (sc->kind == SVC_SOURCE) {
    e = send_pattern(pcb, &sc->bytes, sc->total);
    // All queued: tcp_close sends the FIN after the data.
    if (e == ERR_OK && sc->bytes == sc->total) return conn_finish(pcb, sc);
  }
  if (e != ERR_OK) {
    conn_release(pcb, sc);
    tcp_abort(pcb);
    return ERR_ABRT;
  }
  return ERR_OK;
}

static err_t svc_accept(void* arg, struct tcp_pcb* pcb, err_t err) {
  const struct service* s = arg;
  if (err != ERR_OK || pcb == NULL) return ERR_VAL;
  struct svc_conn* sc = calloc(1, sizeof(*sc));
  if (sc == NULL) {
    tcp_abort(pcb);
    return ERR_ABRT;
  }
  if (s->kind == SVC_DISCARD && g_hash) {
    if (wc_InitSha256(&sc->sha) != 0) {
      free(sc);
      tcp_abort(pcb);
      return ERR_ABRT;
    }
    sc->hashing = true;
  }
  sc->kind = s->kind;
  sc->start_us = mono_us();
  sc->total = s->source_bytes;
  ip4addr_ntoa_r(ip_2_ip4(&pcb->remote_ip), sc->peer, sizeof(sc->peer));
  sc->peer_port = pcb->remote_port;
  tcp_arg(pcb, sc);
  tcp_recv(pcb, svc_recv);
  tcp_sent(pcb, svc_sent);
  tcp_err(pcb, svc_err);
  if (sc->kind == SVC_SOURCE) {
    if (send_pattern(pcb, &sc->bytes, sc->total) != ERR_OK) {
      conn_release(pcb, sc);
      tcp_abort(pcb);
      return ERR_ABRT;
    }
    if (sc->bytes == sc->total) return conn_finish(pcb, sc);
  }
  return ERR_OK;
}

// Called with the core lock held.
static bool listen_on(struct service* s) {
  struct tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  if (pcb == NULL) {
    fprintf(stderr, "lwip_tap: out of memory for a listener\n");
    return false;
  }
  err_t e = tcp_bind(pcb, IP4_ADDR_ANY, s->port);
  if (e != ERR_OK) {
    fprintf(stderr, "lwip_tap: cannot bind TCP port %u: %s\n", s->port, err_text(e));
    tcp_close(pcb);
    return false;
  }
  struct tcp_pcb* lpcb = tcp_listen_with_backlog_and_err(pcb, LISTEN_BACKLOG, &e);
  if (lpcb == NULL) {
    fprintf(stderr, "lwip_tap: cannot listen on TCP port %u: %s\n", s->port, err_text(e));
    tcp_close(pcb);
    return false;
  }
  tcp_arg(lpcb, s);
  tcp_accept(lpcb, svc_accept);
  return true;
}

// ---------------------------------------------------------------- send (client)

struct client {
  struct tcp_pcb* pcb;  // NULL once lwIP has freed it (error) or we have closed it
  uint64_t total, sent, start_us, end_us;
  bool shut, done;
  err_t err;
  pthread_mutex_t mu;
  pthread_cond_t cv;
};

static void client_done(struct client* cl, err_t err) {
  pthread_mutex_lock(&cl->mu);
  if (!cl->done) {
    cl->done = true;
    cl->err = err;
    cl->end_us = mono_us();
  }
  pthread_cond_signal(&cl->cv);
  pthread_mutex_unlock(&cl->mu);
}

static void client_err(void* arg, err_t err) {
  struct client* cl = arg;
  cl->pcb = NULL;  // lwIP has freed it
  client_done(cl, err == ERR_OK ? ERR_CLSD : err);
}

static void client_pump(struct client* cl) {
  err_t e = send_pattern(cl->pcb, &cl->sent, cl->total);
  if (e != ERR_OK) {
    client_done(cl, e);
    return;
  }
  if (cl->sent == cl->total && !cl->shut) {
    e = tcp_shutdown(cl->pcb, 0, 1);
    if (e == ERR_OK) {
      cl->shut = true;
    } else if (e != ERR_MEM) {  // ERR_MEM: the FIN goes with a later ACK's callback
      client_done(cl, e);
    }
  }
}

static err_t client_sent(void* arg, struct tcp_pcb* pcb, u16_t len) {
  struct client* cl = arg;
  (void)pcb;
  (void)len;
  if (!cl->done) client_pump(cl);
  return ERR_OK;
}

static err_t client_recv(void* arg, struct tcp_pcb* pcb, struct pbuf* p, err_t err) {
  struct client* cl = arg;
  if (p == NULL) {  // the peer's FIN: everything has been read by the far end
    client_done(cl, cl->shut ? ERR_OK : ERR_CLSD);
    return ERR_OK;
  }
  (void)err;
  tcp_recved(pcb, p->tot_len);  // the sink sends nothing; anything it does is ignored
  pbuf_free(p);
  return ERR_OK;
}

static err_t client_connected(void* arg, struct tcp_pcb* pcb, err_t err) {
  struct client* cl = arg;
  (void)pcb;
  if (err != ERR_OK) {
    client_done(cl, err);
    return ERR_OK;
  }
  cl->start_us = mono_us();
  client_pump(cl);
  return ERR_OK;
}

static bool parse_u64(const char* s, uint64_t* out) {
  if (s == NULL || *s < '0' || *s > '9') return false;
  char* end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end || errno) return false;
  *out = v;
  return true;
}

static bool parse_port(const char* s, uint16_t* port) {
  uint64_t v;
  if (!parse_u64(s, &v) || v == 0 || v > 65535) return false;
  *port = (uint16_t)v;
  return true;
}

static int cmd_send(int argc, char** argv) {
  ip4_addr_t dst;
  uint16_t port;
  uint64_t bytes;
  if (argc != 4) {
    fprintf(stderr, "usage: lwip_tap ... send HOST PORT BYTES\n");
    return 2;
  }
  if (!ip4addr_aton(argv[1], &dst) || !parse_port(argv[2], &port) || !parse_u64(argv[3], &bytes)) {
    fprintf(stderr, "lwip_tap: bad send arguments %s %s %s (want IPv4 address, port, bytes)\n",
            argv[1], argv[2], argv[3]);
    return 2;
  }
  static struct client cl;  // lives as long as the pcb may still call back
  cl.total = bytes;
  pthread_mutex_init(&cl.mu, NULL);
  pthread_cond_init(&cl.cv, NULL);
  LOCK_TCPIP_CORE();
  cl.pcb = tcp_new_ip_type(IPADDR_TYPE_V4);
  err_t e = ERR_MEM;
  if (cl.pcb != NULL) {
    tcp_arg(cl.pcb, &cl);
    tcp_err(cl.pcb, client_err);
    tcp_recv(cl.pcb, client_recv);
    tcp_sent(cl.pcb, client_sent);
    ip_addr_t a;
    ip_addr_copy_from_ip4(a, dst);
    e = tcp_connect(cl.pcb, &a, port, client_connected);
  }
  UNLOCK_TCPIP_CORE();
  if (e != ERR_OK) {
    fprintf(stderr, "lwip_tap: connect to %s:%u: %s\n", argv[1], port, err_text(e));
    return 1;
  }
  pthread_mutex_lock(&cl.mu);
  while (!cl.done) pthread_cond_wait(&cl.cv, &cl.mu);
  pthread_mutex_unlock(&cl.mu);
  LOCK_TCPIP_CORE();
  uint64_t sent = cl.sent;
  err_t result = cl.err;
  if (cl.pcb != NULL) {
    tcp_arg(cl.pcb, NULL);
    tcp_err(cl.pcb, NULL);
    tcp_recv(cl.pcb, NULL);
    tcp_sent(cl.pcb, NULL);
    if (tcp_close(cl.pcb) != ERR_OK) tcp_abort(cl.pcb);
    cl.pcb = NULL;
  }
  UNLOCK_TCPIP_CORE();
  if (result != ERR_OK) {
    fprintf(stderr, "lwip_tap: send to %s:%u: %s after %" PRIu64 " bytes\n", argv[1], port,
            err_text(result), sent);
    return 1;
  }
  char rate[96];
  rate_line(rate, sizeof(rate), sent, cl.end_us - cl.start_us);
  printf("sent %s\n", rate);
  fflush(stdout);
  usleep(LINGER_MS * 1000);
  return 0;
}

// ---------------------------------------------------------------- serve

static int cmd_serve(int argc, char** argv) {
  static struct service services[MAX_SERVICES];
  int ns = 0;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    if (!strcmp(a, "--no-hash")) {
      g_hash = false;
      continue;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "lwip_tap serve: %s needs a value\n", a);
      return 2;
    }
    if (ns == MAX_SERVICES) {
      fprintf(stderr, "lwip_tap serve: at most %d services\n", MAX_SERVICES);
      return 2;
    }
    struct service* s = &services[ns];
    const char* v = argv[++i];
    if (!strcmp(a, "--discard") || !strcmp(a, "--echo")) {
      s->kind = a[2] == 'd' ? SVC_DISCARD : SVC_ECHO;
      if (!parse_port(v, &s->port)) {
        fprintf(stderr, "lwip_tap serve: bad port for %s: %s\n", a, v);
        return 2;
      }
    } else if (!strcmp(a, "--source")) {
      const char* colon = strchr(v, ':');
      char port_s[8];
      size_t plen = colon ? (size_t)(colon - v) : sizeof(port_s);
      if (plen >= sizeof(port_s)) {
        fprintf(stderr, "lwip_tap serve: bad --source %s (want PORT:BYTES)\n", v);
        return 2;
      }
      memcpy(port_s, v, plen);
      port_s[plen] = 0;
      s->kind = SVC_SOURCE;
      if (!parse_port(port_s, &s->port) || !parse_u64(colon + 1, &s->source_bytes)) {
        fprintf(stderr, "lwip_tap serve: bad --source %s (want PORT:BYTES)\n", v);
        return 2;
      }
    } else {
      fprintf(stderr, "lwip_tap serve: unknown option %s\n", a);
      return 2;
    }
    ns++;
  }
  if (ns == 0) {
    fprintf(stderr, "lwip_tap serve: nothing to serve (--discard, --echo or --source)\n");
    return 2;
  }
  LOCK_TCPIP_CORE();
  bool ok = true;
  for (int i = 0; i < ns && ok; i++) ok = listen_on(&services[i]);
  UNLOCK_TCPIP_CORE();
  if (!ok) return 1;
  fprintf(stderr, "lwip_tap: lwIP %s serving on %s\n", LWIP_VERSION_STRING,
          ip4addr_ntoa(netif_ip4_addr(&g_nif)));
  for (;;) pause();  // until a signal ends the process
}

// ---------------------------------------------------------------- main

static bool parse_mac(const char* s, uint8_t mac[6]) {
  unsigned b[6];
  char tail;
  if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
    return false;
  for (int i = 0; i < 6; i++) {
    if (b[i] > 0xff) return false;
    mac[i] = (uint8_t)b[i];
  }
  return (mac[0] & 1) == 0;  // a unicast address
}

static bool parse_cidr(const char* s, ip4_addr_t* ip, ip4_addr_t* mask) {
  char buf[32];
  const char* slash = strchr(s, '/');
  if (slash == NULL || (size_t)(slash - s) >= sizeof(buf)) return false;
  memcpy(buf, s, (size_t)(slash - s));
  buf[slash - s] = 0;
  uint64_t len;
  if (!ip4addr_aton(buf, ip) || !parse_u64(slash + 1, &len) || len < 1 || len > 30) return false;
  ip4_addr_set_u32(mask, lwip_htonl(0xffffffffu << (32 - len)));
  return true;
}

static void tcpip_ready(void* arg) { sys_sem_signal((sys_sem_t*)arg); }

static void usage(void) {
  fprintf(stderr,
          "usage: lwip_tap --tap IF --ip A.B.C.D/LEN [--mac MAC] serve [--discard PORT] "
          "[--echo PORT] [--source PORT:BYTES] [--no-hash]\n"
          "       lwip_tap --tap IF --ip A.B.C.D/LEN [--mac MAC] send HOST PORT BYTES\n");
}

int main(int argc, char** argv) {
  const char* tap = NULL;
  const char* cidr = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i += 2) {
    if (i + 1 >= argc) {
      usage();
      return 2;
    }
    if (!strcmp(argv[i], "--tap")) {
      tap = argv[i + 1];
    } else if (!strcmp(argv[i], "--ip")) {
      cidr = argv[i + 1];
    } else if (!strcmp(argv[i], "--mac")) {
      if (!parse_mac(argv[i + 1], g_mac)) {
        fprintf(stderr, "lwip_tap: bad --mac %s (want a unicast aa:bb:cc:dd:ee:ff)\n", argv[i + 1]);
        return 2;
      }
    } else {
      fprintf(stderr, "lwip_tap: unknown option %s\n", argv[i]);
      usage();
      return 2;
    }
  }
  ip4_addr_t ip, mask, gw;
  if (tap == NULL || cidr == NULL || i >= argc) {
    usage();
    return 2;
  }
  if (!parse_cidr(cidr, &ip, &mask)) {
    fprintf(stderr, "lwip_tap: bad --ip %s (want A.B.C.D/LEN, LEN 1..30)\n", cidr);
    return 2;
  }
  ip4_addr_set_zero(&gw);
  for (size_t k = 0; k < sizeof(g_pattern); k++) g_pattern[k] = (uint8_t)(k % PATTERN_MOD);

  g_tap = tap_open(tap);
  if (g_tap < 0) return 1;
  sys_sem_t ready;
  if (sys_sem_new(&ready, 0) != ERR_OK) {
    fprintf(stderr, "lwip_tap: cannot create a semaphore\n");
    return 1;
  }
  tcpip_init(tcpip_ready, &ready);
  sys_sem_wait(&ready);
  sys_sem_free(&ready);

  LOCK_TCPIP_CORE();
  struct netif* nif = netif_add(&g_nif, &ip, &mask, &gw, NULL, tap_netif_init, ethernet_input);
  if (nif != NULL) {
    netif_set_default(nif);
    netif_set_up(nif);
    netif_set_link_up(nif);
  }
  UNLOCK_TCPIP_CORE();
  if (nif == NULL) {
    fprintf(stderr, "lwip_tap: netif_add failed\n");
    return 1;
  }
  pthread_t rx;
  int pe = pthread_create(&rx, NULL, rx_main, NULL);
  if (pe != 0) {
    fprintf(stderr, "lwip_tap: cannot start the receive thread: %s\n", strerror(pe));
    return 1;
  }

  if (!strcmp(argv[i], "serve")) return cmd_serve(argc - i, argv + i);
  if (!strcmp(argv[i], "send")) return cmd_send(argc - i, argv + i);
  fprintf(stderr, "lwip_tap: unknown command %s\n", argv[i]);
  usage();
  return 2;
}
