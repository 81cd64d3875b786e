#include "net/stack/stack.h"

#include <string.h>

#include "net/core/net_err.h"

void net_stack_init(struct net_stack *s, const struct net_platform *plat,
                    const struct net_stack_config *cfg) {
  net_core_init(&s->core, plat);
  struct netif *nif = &s->core.netif;
  memcpy(nif->mac, cfg->mac, 6);
  nif->addr = cfg->addr;
  nif->prefix = cfg->prefix > 32 ? 32 : cfg->prefix;
  nif->gw = cfg->gw;
  nif->dns_count = cfg->dns_count > NET_DNS_MAX_SERVERS ? NET_DNS_MAX_SERVERS : cfg->dns_count;
  for (unsigned i = 0; i < nif->dns_count; i++) nif->dns[i] = cfg->dns[i];
  if (cfg->mtu >= 576 && cfg->mtu <= NET_PBUF_SMALL_SIZE - NET_PBUF_HEADROOM) nif->mtu = cfg->mtu;
  eth_init(&s->eth, &s->core);
  arp_init(&s->arp, &s->core, &s->eth);
  ipv4_init(&s->ip, &s->core, &s->arp);
  icmp_init(&s->icmp, &s->core, &s->ip);
  udp_init(&s->udp, &s->core, &s->ip, &s->icmp);
  dns_init(&s->dns, &s->core, &s->udp);
}

int net_stack_up(struct net_stack *s) {
  s->core.netif.up = true;
  return arp_announce(&s->arp);
}

void net_stack_down(struct net_stack *s) {
  s->core.netif.up = false;
  arp_flush(&s->arp);
}

void net_stack_input_frame(struct net_stack *s, const uint8_t *frame, size_t len) {
  struct pbuf *p = pbuf_alloc_copy(&s->core.pool, 0, frame, len);
  if (!p) {
    s->core.stats.rx_packets++;
    s->core.stats.rx_bytes += len;
    net_stats_drop(&s->core.stats, NET_DROP_NO_PBUF);
    return;
  }
  eth_input(&s->eth, p);
}

void net_stack_input(struct net_stack *s, struct pbuf *p) { eth_input(&s->eth, p); }

uint64_t net_stack_poll(struct net_stack *s) {
  ipv4_loopback_run(&s->ip);
  net_timer_run(&s->core.timers, net_now_ms(&s->core));
  // Datagrams to ourselves that the ones just delivered sent: due now.
  if (ipv4_loopback_pending(&s->ip)) return net_now_ms(&s->core);
  return net_timer_next_deadline(&s->core.timers);
}

bool net_stack_poll_due(struct net_stack *s) {
  if (ipv4_loopback_pending(&s->ip)) return true;
  uint64_t next = net_timer_next_deadline(&s->core.timers);
  return next != NET_TIME_NEVER && next <= net_now_ms(&s->core);
}

// Minimal formatting without stdio (net/ must build freestanding).
struct out {
  char *buf;
  size_t cap, len;
};

static void put_str(struct out *o, const char *s) {
  for (; *s; s++, o->len++) {
    if (o->len + 1 < o->cap) o->buf[o->len] = *s;
  }
}

static void put_u64(struct out *o, uint64_t v) {
  char tmp[21];
  int n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  char rev[22];
  for (int i = 0; i < n; i++) rev[i] = tmp[n - 1 - i];
  rev[n] = 0;
  put_str(o, rev);
}

static void line(struct out *o, const char *name, uint64_t v) {
  put_str(o, name);
  put_str(o, " ");
  put_u64(o, v);
  put_str(o, "\n");
}

size_t net_stack_format_stats(const struct net_stack *s, char *buf, size_t cap) {
  struct out o = {buf, cap, 0};
  const struct net_stats *st = &s->core.stats;
  line(&o, "rx_packets", st->rx_packets);
  line(&o, "rx_bytes", st->rx_bytes);
  line(&o, "tx_packets", st->tx_packets);
  line(&o, "tx_bytes", st->tx_bytes);
  line(&o, "arp_rx", st->arp_rx);
  line(&o, "arp_tx", st->arp_tx);
  line(&o, "ip_rx", st->ip_rx);
  line(&o, "ip_tx", st->ip_tx);
  line(&o, "ip_frag_rx", st->ip_frag_rx);
  line(&o, "ip_frag_tx", st->ip_frag_tx);
  line(&o, "ip_reassembled", st->ip_reassembled);
  line(&o, "icmp_rx", st->icmp_rx);
  line(&o, "icmp_tx", st->icmp_tx);
  line(&o, "udp_rx", st->udp_rx);
  line(&o, "udp_tx", st->udp_tx);
  line(&o, "dns_queries", st->dns_queries);
  line(&o, "dns_cache_hits", st->dns_cache_hits);
  line(&o, "tcp_rx_segs", st->tcp_rx_segs);
  line(&o, "tcp_tx_segs", st->tcp_tx_segs);
  line(&o, "tcp_retransmits", st->tcp_retransmits);
  line(&o, "tcp_conns", st->tcp_conns);
  line(&o, "udp_sockets", st->udp_sockets);
  line(&o, "drops_total", st->drops_total);
  for (int r = 0; r < NET_DROP__COUNT; r++) {
    if (!st->drops[r]) continue;
    put_str(&o, "drop_");
    line(&o, net_drop_reason_name(r), st->drops[r]);
  }
  if (cap) buf[o.len < cap ? o.len : cap - 1] = '\0';
  return o.len;
}
