// Kernel network binding: net/ on VirtIO-net. See knet.h.
#include "kernel/net/knet.h"

#include "kernel/dev/netdev.h"
#include "kernel/kernel.h"
#include "kernel/net/ksock.h"
#include "kernel/net/ksock_opts.h"
#include "net/core/net_err.h"
#include "net/stack/stack.h"
#include "net/tcp/tcp_ipv4.h"

// The stack owns ~1 MB of packet buffers: static, so boot never depends on the kernel heap.
static struct net_stack stack;
static struct net_platform plat;
static int active;
static struct tcp_ipv4 tcp;
static int tcp_active;
static uint8_t rx_frame[NETDEV_MTU_FRAME];
static int rx_more;  // the last poll stopped at its bound with frames still in the ring

// ---------------------------------------------------------------- raw diagnostics ring

#define RAW_SLOTS 8
static struct {
  uint16_t len;
  uint8_t data[NETDEV_MTU_FRAME];
} raw_ring[RAW_SLOTS];
static unsigned raw_head, raw_count;
static uint64_t raw_until_ns;  // copy frames into the ring until then

void knet_raw_listen(uint32_t ms) {
  uint64_t until = time_ns() + (uint64_t)ms * 1000000ull;
  if (until > raw_until_ns) raw_until_ns = until;
}

static void raw_capture(const uint8_t *f, size_t len) {
  if (time_ns() >= raw_until_ns || len > NETDEV_MTU_FRAME) {
    raw_count = 0;  // nobody listens: stale frames must not reach the next listener
    return;
  }
  unsigned slot = (raw_head + raw_count) % RAW_SLOTS;
  if (raw_count == RAW_SLOTS) {
    raw_head = (raw_head + 1) % RAW_SLOTS;  // full: the oldest frame makes room
  } else {
    raw_count++;
  }
  raw_ring[slot].len = (uint16_t)len;
  memcpy(raw_ring[slot].data, f, len);
}

int knet_raw_recv(void *buf, size_t cap) {
  if (!active) return netdev_recv(buf, cap);
  if (raw_count == 0) return 0;
  unsigned slot = raw_head;
  raw_head = (raw_head + 1) % RAW_SLOTS;
  raw_count--;
  if (raw_ring[slot].len > cap) return -VDOS_EINVAL;
  memcpy(buf, raw_ring[slot].data, raw_ring[slot].len);
  return raw_ring[slot].len;
}

// ---------------------------------------------------------------- platform interface

static int plat_send(void *ctx, const uint8_t *frame, size_t len) {
  (void)ctx;
  int r = netdev_send(frame, len);
  if (r == -VDOS_EAGAIN) {
    // All TX buffers in flight: reclaim the ones the device finished and try once more.
    netdev_poll();
    r = netdev_send(frame, len);
  }
  if (r == 0) return NET_OK;
  return r == -VDOS_EAGAIN ? NET_ERR_WOULDBLOCK : NET_ERR_IO;
}

static uint64_t plat_now_us(void *ctx) {
  (void)ctx;
  return time_ns() / 1000;
}

static void plat_random(void *ctx, void *buf, size_t len) {
  (void)ctx;
  // The DRBG fails closed; the raw sources are the fallback so ids and ports stay unpredictable.
  if (random_bytes(buf, len) != (int)len && entropy_bytes(buf, len) != (int)len) {
    panic("knet: no entropy for the network stack");
  }
}

// Frames from the device into the stack, then the stack's timers. Bounded per call so a flood
// cannot starve the program that is returning to EL0.
static void knet_poll(void) {
  if (!active) return;
  rx_more = 1;
  for (int i = 0; i < KNET_RX_PER_POLL; i++) {
    int n = netdev_recv(rx_frame, sizeof(rx_frame));
    if (n == 0) {
      rx_more = 0;
      break;
    }
    if (n < 0) continue;  // oversized: the driver dropped and counted it
    raw_capture(rx_frame, (size_t)n);
    net_stack_input_frame(&stack, rx_frame, (size_t)n);
  }
  net_stack_poll(&stack);
}

// kernel_poll_due(): frames were left in the ring by the bound above, or the stack has work
// (net_stack_poll_due). Frames that arrive later need no check: each one raises an interrupt,
// and the interrupt polls.
static int knet_due(void) { return active && (rx_more || net_stack_poll_due(&stack)); }

// send() defers building its segments (TCP_SEND_DEFER, ksock.c); the driver calls these where it
// rings the TX doorbell, so the segments are built exactly when they could first leave.
static void knet_tx_produce(void) {
  tcp_flush_pending(tcp.tcp);
  tcp_ipv4_kick(&tcp);  // the segments just sent armed retransmission timers
}

static int knet_tx_pending(void) { return tcp_output_pending(tcp.tcp); }

// ---------------------------------------------------------------- configuration

// Copies the value of `key=` from the command line into buf; 0 if present.
static int cmdline_value(const char *key, char *buf, size_t cap) {
  size_t klen = strlen(key);
  for (const char *p = kernel_cmdline; *p;) {
    while (*p == ' ') p++;
    const char *start = p;
    while (*p && *p != ' ') p++;
    size_t n = (size_t)(p - start);
    if (n > klen && strncmp(start, key, klen) == 0 && start[klen] == '=') {
      size_t vlen = n - klen - 1;
      if (vlen >= cap) return -1;
      memcpy(buf, start + klen + 1, vlen);
      buf[vlen] = 0;
      return 0;
    }
  }
  return -1;
}

static void config_addr(const char *key, const char *dflt, ipv4_addr_t *out, unsigned *prefix) {
  char v[32];
  bool ok = false;
  if (cmdline_value(key, v, sizeof(v)) == 0) {
    ok = prefix ? ipv4_cidr_parse(v, out, prefix) : ipv4_addr_parse(v, out);
    if (ok && prefix && !strchr(v, '/')) *prefix = 24;
    if (!ok) klog(LOG_WARN, "net: bad %s=%s, using %s", key, v, dflt);
  }
  if (!ok) {
    if (prefix) {
      ipv4_cidr_parse(dflt, out, prefix);
    } else {
      ipv4_addr_parse(dflt, out);
    }
  }
}

static void *tcp_alloc(void *ctx, size_t n) {
  (void)ctx;
  return kmalloc(n);
}

static void tcp_free(void *ctx, void *p) {
  (void)ctx;
  if (p) kfree(p);
}

void knet_init(void) {
  if (!netdev_present()) {
    klog(LOG_INFO, "net: no network device; stack not started");
    return;
  }
  struct net_stack_config cfg;
  memset(&cfg, 0, sizeof(cfg));
  netdev_mac(cfg.mac);
  unsigned prefix = 24;
  config_addr("ip", "10.0.2.15/24", &cfg.addr, &prefix);
  cfg.prefix = (uint8_t)prefix;
  config_addr("gw", "10.0.2.2", &cfg.gw, NULL);
  config_addr("dns", "10.0.2.3", &cfg.dns[0], NULL);
  cfg.dns_count = 1;
  plat.send_frame = plat_send;
  plat.now_us = plat_now_us;
  plat.random_bytes = plat_random;
  plat.ctx = NULL;
  net_stack_init(&stack, &plat, &cfg);
  active = 1;
  // TCP's connection table comes from the kernel heap once, at boot; connection buffers come
  // and go with the data queued in them.
  tcp_config_t tcfg;
  tcp_config_default(&tcfg);
  tcfg.max_conns = KNET_TCP_CONNS;
  tcfg.sndbuf = KSOCK_BUF_DEFAULT;
  tcfg.rcvbuf = KSOCK_BUF_DEFAULT;
  int tr = tcp_ipv4_attach(&tcp, &stack.ip, &tcfg, tcp_alloc, tcp_free, NULL);
  if (tr == NET_OK) {
    tcp_active = 1;
  } else {
    klog(LOG_WARN, "net: TCP not started: %s", net_strerror(tr));
  }
  if (kernel_poll_register(knet_poll, knet_due) != 0) panic("knet: no poll hook slot");
  if (tcp_active) netdev_tx_set_producer(knet_tx_produce, knet_tx_pending);
  net_stack_up(&stack);
  char a[IPV4_ADDR_STRLEN], g[IPV4_ADDR_STRLEN], d[IPV4_ADDR_STRLEN];
  klog(LOG_INFO, "net: %s/%u gw %s dns %s", ipv4_addr_format(cfg.addr, a), prefix,
       ipv4_addr_format(cfg.gw, g), ipv4_addr_format(cfg.dns[0], d));
}

int knet_active(void) { return active; }

struct tcp_ipv4 *knet_tcp(void) {
  return tcp_active ? &tcp : NULL;
}

struct udp *knet_udp(void) {
  return active ? &stack.udp : NULL;
}

uint32_t knet_addr(void) { return active ? stack.core.netif.addr : 0; }

int knet_busy(void) { return active && ipv4_loopback_pending(&stack.ip); }

// ---------------------------------------------------------------- blocking operations

static bool count_undelivered(void *arg, const tcp_conn_t *c) {
  tcp_info_t i;
  if (tcp_get_info(c, &i) != 0) return true;
  if (i.snd_queued || i.bytes_in_flight || i.state == TCP_FIN_WAIT_1 || i.state == TCP_CLOSING ||
      i.state == TCP_LAST_ACK)
    (*(int *)arg)++;
  return true;
}

int knet_drain(uint32_t max_ms) {
  if (!active) return 0;
  uint64_t deadline = time_ns() + (uint64_t)max_ms * 1000000ull;
  for (;;) {
    kernel_poll();
    int pending = 0;
    tcp_foreach(knet_tcp()->tcp, count_undelivered, &pending);
    if (!pending || time_ns() >= deadline) return pending;
    irq_wait();  // the timer tick bounds the wait; retransmissions run from kernel_poll
  }
}

static struct icmp_ping ping_session;

int knet_ping(uint32_t dst, uint16_t seq, size_t payload_len, uint32_t timeout_ms,
              struct vdos_ping_reply *out, int (*stop)(void)) {
  if (!active) return -VDOS_ENETDOWN;
  memset(out, 0, sizeof(*out));
  int r = icmp_ping_open(&stack.icmp, &ping_session, dst);
  if (r != NET_OK) return net_err_to_errno(r);
  r = icmp_ping_send(&ping_session, seq, payload_len);
  if (r < 0) {
    icmp_ping_close(&ping_session);
    return net_err_to_errno(r);
  }
  uint64_t deadline = time_ns() + (uint64_t)timeout_ms * 1000000ull;
  int result = -VDOS_ETIMEDOUT;
  for (;;) {
    kernel_poll();
    struct icmp_ping_reply rep;
    bool got = false;
    // Replies for other sequence numbers cannot occur (a fresh session id per call); skip
    // duplicates so the caller sees one answer per request.
    while (icmp_ping_next(&ping_session, &rep)) {
      if (rep.seq != seq || rep.duplicate) continue;
      got = true;
      break;
    }
    if (got) {
      out->from = rep.from;
      out->seq = rep.seq;
      out->len = rep.len;
      out->ttl = rep.ttl;
      out->type = rep.type;
      out->code = rep.code;
      out->rtt_ns = rep.rtt_us * 1000ull;
      result = rep.err == NET_OK ? 0 : net_err_to_errno(rep.err);
      break;
    }
    if (time_ns() >= deadline) break;
    if (stop()) {
      result = -VDOS_EINTR;
      break;
    }
    irq_wait();
  }
  icmp_ping_close(&ping_session);
  return result;
}

int knet_resolve(const char *name, struct vdos_dns_result *out, int (*stop)(void)) {
  if (!active) return -VDOS_ENETDOWN;
  memset(out, 0, sizeof(*out));
  int h = dns_resolve_start(&stack.dns, name);
  if (h < 0) return net_err_to_errno(h);
  // The resolver's own retries end the query; this bound only guards against a stuck timer.
  uint64_t deadline = time_ns() + 60ull * 1000000000ull;
  struct dns_result res;
  int r;
  while ((r = dns_resolve_result(&stack.dns, h, &res)) == NET_ERR_INPROGRESS) {
    if (stop() || time_ns() >= deadline) {
      dns_cancel(&stack.dns, h);
      return stop() ? -VDOS_EINTR : -VDOS_ETIMEDOUT;
    }
    irq_wait();
  }
  if (r != NET_OK) return net_err_to_errno(r);
  unsigned n = res.count < VDOS_DNS_MAX_ADDRS ? res.count : VDOS_DNS_MAX_ADDRS;
  for (unsigned i = 0; i < n; i++) out->addrs[i] = res.addrs[i];
  out->count = n;
  out->ttl_s = res.ttl_s;
  kstrlcpy(out->canonical, res.canonical, sizeof(out->canonical));
  return (int)n;
}

size_t knet_format_stats(char *buf, size_t cap) {
  size_t n = 0;
  if (active) n = net_stack_format_stats(&stack, buf, cap);
  const struct netdev_stats *d = netdev_get_stats();
  char tmp[512];
  int m =
      ksnprintf(tmp, sizeof(tmp),
                "%snetdev_rx_frames %lu\nnetdev_rx_bytes %lu\nnetdev_rx_dropped %lu\n"
                "netdev_tx_frames %lu\nnetdev_tx_bytes %lu\nnetdev_tx_busy %lu\n"
                "netdev_tx_kicks %lu\nnetdev_irqs %lu\nnetdev_errors %lu\n",
                active ? "" : "stack_active 0\n", (unsigned long)d->rx_frames,
                (unsigned long)d->rx_bytes, (unsigned long)d->rx_dropped,
                (unsigned long)d->tx_frames, (unsigned long)d->tx_bytes, (unsigned long)d->tx_busy,
                (unsigned long)d->tx_kicks, (unsigned long)d->irqs, (unsigned long)d->errors);
  if (m < 0) m = 0;
  if ((size_t)m >= sizeof(tmp)) m = sizeof(tmp) - 1;
  // Append after the stack's text, keeping the same snprintf-like contract.
  if (n + 1 < cap) kstrlcpy(buf + n, tmp, cap - n);
  n += (size_t)m;
  if (tcp_active) {
    tcp_stats_t st;
    tcp_get_stats(tcp.tcp, &st);
    m = ksnprintf(tmp, sizeof(tmp),
                  "tcp_active_opens %lu\ntcp_passive_opens %lu\ntcp_established %lu\n"
                  "tcp_segs_in %lu\ntcp_segs_out %lu\ntcp_retransmits %lu\ntcp_rst_sent %lu\n"
                  "tcp_rst_received %lu\ntcp_bad_checksum %lu\ntcp_timeouts %lu\n"
                  "tcp_conns %u\ntcp_buffer_bytes %lu\ntcp_tx_errors %lu\n",
                  (unsigned long)st.active_opens, (unsigned long)st.passive_opens,
                  (unsigned long)st.conns_established, (unsigned long)st.segs_in,
                  (unsigned long)st.segs_out, (unsigned long)st.retransmits,
                  (unsigned long)st.rst_sent, (unsigned long)st.rst_received,
                  (unsigned long)st.bad_checksum, (unsigned long)st.timeouts, st.conns_in_use,
                  (unsigned long)st.buffer_bytes, (unsigned long)tcp.tx_errors);
    if (m < 0) m = 0;
    if ((size_t)m >= sizeof(tmp)) m = sizeof(tmp) - 1;
    if (n + 1 < cap) kstrlcpy(buf + n, tmp, cap - n);
    n += (size_t)m;
  }
  m = (int)ksock_format_stats(tmp, sizeof(tmp));
  if ((size_t)m >= sizeof(tmp)) m = sizeof(tmp) - 1;
  if (n + 1 < cap) kstrlcpy(buf + n, tmp, cap - n);
  return n + (size_t)m;
}
