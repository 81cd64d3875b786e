// Glue between the TCP engine and net/ipv4. See tcp_ipv4.h.
#include "net/tcp/tcp_ipv4.h"

#include <string.h>

#include "net/core/net_err.h"

static int glue_output(void* ctx, uint32_t src, uint32_t dst, const uint8_t* seg, size_t len) {
  struct tcp_ipv4* g = ctx;
  struct pbuf* p = pbuf_alloc_copy(&g->core->pool, NET_PBUF_HEADROOM, seg, len);
  if (p == NULL) {
    g->tx_errors++;
    return NET_ERR_NOMEM;  // like a loss on the wire: retransmission recovers
  }
  struct ipv4_tx tx;
  memset(&tx, 0, sizeof(tx));
  tx.src = src;
  tx.dst = dst;
  tx.proto = IPV4_PROTO_TCP;
  // No DF: without path-MTU discovery a smaller MTU beyond a router must still get through.
  tx.df = false;
  int r = ipv4_output(g->ip, p, &tx);
  if (r != NET_OK) g->tx_errors++;
  return r;
}

static uint64_t glue_now(void* ctx) {
  struct tcp_ipv4* g = ctx;
  return net_now_us(g->core);
}

static void glue_random(void* ctx, void* buf, size_t len) {
  struct tcp_ipv4* g = ctx;
  net_random(g->core, buf, len);
}

void tcp_ipv4_kick(struct tcp_ipv4* g) {
  uint64_t d = tcp_next_deadline_us(g->tcp);
  uint64_t ms = d == UINT64_MAX ? NET_TIME_NEVER : (d + 999) / 1000;
  if (ms == g->armed_ms) return;
  g->armed_ms = ms;
  if (ms == NET_TIME_NEVER) {
    net_core_timer_cancel(g->core, &g->timer);
  } else {
    net_core_timer_arm(g->core, &g->timer, ms);
  }
}

static void glue_timer(void* arg, uint64_t now_ms) {
  struct tcp_ipv4* g = arg;
  g->armed_ms = NET_TIME_NEVER;  // it just fired
  tcp_timers(g->tcp);
  tcp_ipv4_kick(g);
}

static void glue_input(void* ctx, struct pbuf* p, const struct ipv4_rx_info* info) {
  struct tcp_ipv4* g = ctx;
  // TCP is unicast only (RFC 1122 4.2.3.10): never answer broadcast or multicast.
  if (!info->broadcast && !info->multicast) {
    tcp_input(g->tcp, info->src, info->dst, p->data, p->len);
  }
  pbuf_free(p);
  tcp_ipv4_kick(g);
}

static void glue_icmp_error(void* ctx, const struct ipv4_icmp_error* e) {
  struct tcp_ipv4* g = ctx;
  tcp_icmp_error(g->tcp, e->orig_src, e->orig_dst, e->orig_payload, e->orig_payload_len, e->err);
  tcp_ipv4_kick(g);
}

static void* glue_alloc(void* ctx, size_t n) {
  struct tcp_ipv4* g = ctx;
  return g->alloc(g->alloc_ctx, n);
}

static void glue_free(void* ctx, void* p) {
  struct tcp_ipv4* g = ctx;
  g->free_fn(g->alloc_ctx, p);
}

int tcp_ipv4_attach(struct tcp_ipv4* g, struct ipv4* ip, const tcp_config_t* cfg_in,
                    void* (*alloc)(void* ctx, size_t n), void (*free_fn)(void* ctx, void* p),
                    void* alloc_ctx) {
  if (g == NULL || ip == NULL || alloc == NULL || free_fn == NULL) return NET_ERR_INVAL;
  memset(g, 0, sizeof(*g));
  g->ip = ip;
  g->core = ip->core;
  g->armed_ms = NET_TIME_NEVER;
  g->alloc = alloc;
  g->free_fn = free_fn;
  g->alloc_ctx = alloc_ctx;
  tcp_config_t cfg;
  if (cfg_in) {
    cfg = *cfg_in;
  } else {
    tcp_config_default(&cfg);
  }
  cfg.mtu = g->core->netif.mtu;
  tcp_env_t env = {glue_output, glue_now, glue_random, glue_alloc, glue_free, g};
  g->tcp = tcp_stack_create(&env, &cfg);
  if (g->tcp == NULL) return NET_ERR_NOMEM;
  net_timer_init(&g->timer, glue_timer, g);
  struct ipv4_proto_ops ops = {glue_input, glue_icmp_error, g};
  int r = ipv4_register(ip, IPV4_PROTO_TCP, &ops);
  if (r != NET_OK) {
    tcp_stack_destroy(g->tcp);
    g->tcp = NULL;
  }
  return r;
}
