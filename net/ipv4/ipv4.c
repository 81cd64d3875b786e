#include "net/ipv4/ipv4.h"

#include <string.h>

#include "net/arp/arp.h"
#include "net/core/checksum.h"
#include "net/core/net_err.h"
#include "net/ethernet/ethernet.h"
#include "net/ipv4/ipv4_wire.h"

static void reass_timer_cb(void *arg, uint64_t now_ms) { ipv4_poll((struct ipv4 *)arg, now_ms); }

static void eth_ipv4_input(void *ctx, struct pbuf *p, const struct eth_hdr *hdr) {
  (void)hdr;
  ipv4_input((struct ipv4 *)ctx, p);
}

void ipv4_init(struct ipv4 *ip, struct net_core *core, struct arp *arp) {
  ip->core = core;
  ip->arp = arp;
  ip->handler_count = 0;
  ip->unreach = NULL;
  ip->unreach_ctx = NULL;
  ip->next_id = (uint16_t)net_random_u32(core);
  ipv4_reass_init(&ip->reass);
  pbuf_queue_init(&ip->loopq);
  net_timer_init(&ip->reass_timer, reass_timer_cb, ip);
  if (arp) eth_register(arp->eth, ETH_TYPE_IPV4, eth_ipv4_input, ip);
}

int ipv4_register(struct ipv4 *ip, uint8_t proto, const struct ipv4_proto_ops *ops) {
  for (unsigned i = 0; i < ip->handler_count; i++) {
    if (ip->handlers[i].proto == proto) {
      ip->handlers[i].ops = *ops;
      return NET_OK;
    }
  }
  if (ip->handler_count >= NET_IP_MAX_PROTO_HANDLERS) return NET_ERR_NOMEM;
  ip->handlers[ip->handler_count].proto = proto;
  ip->handlers[ip->handler_count].ops = *ops;
  ip->handler_count++;
  return NET_OK;
}

void ipv4_set_unreach_hook(struct ipv4 *ip, ipv4_unreach_fn fn, void *ctx) {
  ip->unreach = fn;
  ip->unreach_ctx = ctx;
}

static const struct ipv4_proto_ops *find_handler(struct ipv4 *ip, uint8_t proto) {
  for (unsigned i = 0; i < ip->handler_count; i++) {
    if (ip->handlers[i].proto == proto) return &ip->handlers[i].ops;
  }
  return NULL;
}

// Hands a frame-ready datagram (data = IP header) to ARP, or loops it back when it is for us.
static int transmit(struct ipv4 *ip, struct pbuf *p, ipv4_addr_t dst, ipv4_addr_t hop) {
  ip->core->stats.ip_tx++;
  if (netif_is_local(&ip->core->netif, dst)) {
    // Loopback to our own address: back into the receive path on the next poll.
    if (ip->loopq.count >= NET_IP_LOOPBACK_QUEUE) {
      pbuf_free(p);
      return NET_ERR_NOMEM;
    }
    pbuf_queue_push(&ip->loopq, p);
    return NET_OK;
  }
  if (!ip->arp) {
    pbuf_free(p);
    return NET_ERR_NETUNREACH;
  }
  return arp_output(ip->arp, p, hop);
}

int ipv4_output(struct ipv4 *ip, struct pbuf *p, const struct ipv4_tx *tx) {
  struct net_core *c = ip->core;
  const struct netif *nif = &c->netif;
  ipv4_addr_t hop;
  if (!nif->up || netif_next_hop(nif, tx->dst, &hop) != NET_OK) {
    if (netif_is_local(nif, tx->dst) && nif->up) {
      hop = tx->dst;
    } else {
      net_stats_drop(&c->stats, NET_DROP_IP_NO_ROUTE);
      pbuf_free(p);
      return NET_ERR_NETUNREACH;
    }
  }
  size_t payload = p->len;
  if (payload > 65535 - IPV4_HDR_LEN) {
    pbuf_free(p);
    return NET_ERR_MSGSIZE;
  }
  size_t mtu = nif->mtu;
  struct ipv4_hdr h;
  memset(&h, 0, sizeof(h));
  h.hdr_len = IPV4_HDR_LEN;
  h.tos = tx->tos;
  h.id = ip->next_id++;
  h.df = tx->df;
  h.ttl = tx->ttl ? tx->ttl : NET_IP_DEFAULT_TTL;
  h.proto = tx->proto;
  h.src = tx->src != IPV4_ANY ? tx->src : nif->addr;
  h.dst = tx->dst;

  if (payload + IPV4_HDR_LEN <= mtu || netif_is_local(nif, tx->dst)) {
    uint8_t *b = pbuf_push(p, IPV4_HDR_LEN);
    if (!b) {
      pbuf_free(p);
      return NET_ERR_INVAL;
    }
    h.total_len = (uint16_t)(payload + IPV4_HDR_LEN);
    ipv4_emit(b, &h);
    return transmit(ip, p, tx->dst, hop);
  }
  if (tx->df) {
    net_stats_drop(&c->stats, NET_DROP_IP_TOO_BIG);
    pbuf_free(p);
    return NET_ERR_MSGSIZE;
  }
  // Fragment: every piece but the last carries a multiple of 8 bytes.
  size_t chunk = (mtu - IPV4_HDR_LEN) & ~(size_t)7;
  int rc = NET_OK;
  for (size_t off = 0; off < payload; off += chunk) {
    size_t n = payload - off < chunk ? payload - off : chunk;
    struct pbuf *f = pbuf_alloc(&c->pool, NET_PBUF_HEADROOM, IPV4_HDR_LEN + n);
    if (!f) {
      net_stats_drop(&c->stats, NET_DROP_NO_PBUF);
      rc = NET_ERR_NOMEM;
      break;
    }
    h.total_len = (uint16_t)(IPV4_HDR_LEN + n);
    h.frag_offset = (uint32_t)off;
    h.mf = off + n < payload;
    ipv4_emit(f->data, &h);
    memcpy(f->data + IPV4_HDR_LEN, p->data + off, n);
    c->stats.ip_frag_tx++;
    int r = transmit(ip, f, tx->dst, hop);
    if (r != NET_OK) {
      rc = r;
      break;
    }
  }
  pbuf_free(p);
  return rc;
}

static void deliver(struct ipv4 *ip, struct pbuf *p, const struct ipv4_hdr *h) {
  struct net_core *c = ip->core;
  struct ipv4_rx_info info;
  info.src = h->src;
  info.dst = h->dst;
  info.proto = h->proto;
  info.ttl = h->ttl;
  info.tos = h->tos;
  info.broadcast = netif_is_broadcast(&c->netif, h->dst);
  info.multicast = ipv4_is_multicast(h->dst);
  info.hdr = p->data;
  info.hdr_len = h->hdr_len;
  pbuf_pull(p, h->hdr_len);
  const struct ipv4_proto_ops *ops = find_handler(ip, h->proto);
  if (!ops || !ops->input) {
    net_stats_drop(&c->stats, NET_DROP_IP_UNKNOWN_PROTO);
    // RFC 1122 3.2.2.1: protocol unreachable, only for unicast datagrams.
    if (ip->unreach && !info.broadcast && !info.multicast) {
      ip->unreach(ip->unreach_ctx, p, &info, 2);
    }
    pbuf_free(p);
    return;
  }
  ops->input(ops->ctx, p, &info);
}

static void arm_reass_timer(struct ipv4 *ip) {
  uint64_t next = ipv4_reass_next_deadline(&ip->reass);
  if (next == UINT64_MAX) {
    net_core_timer_cancel(ip->core, &ip->reass_timer);
  } else {
    net_core_timer_arm(ip->core, &ip->reass_timer, next);
  }
}

static void input_fragment(struct ipv4 *ip, struct pbuf *p, const struct ipv4_hdr *h) {
  struct net_core *c = ip->core;
  struct ipv4_frag f;
  f.hdr = p->data;
  f.hdr_len = h->hdr_len;
  f.src = h->src;
  f.dst = h->dst;
  f.id = h->id;
  f.proto = h->proto;
  f.offset = h->frag_offset;
  f.more = h->mf;
  f.payload = p->data + h->hdr_len;
  f.payload_len = (uint16_t)(h->total_len - h->hdr_len);
  c->stats.ip_frag_rx++;
  struct ipv4_reass_slot *slot = NULL;
  enum net_drop_reason why = NET_DROP_IP_FRAG_BAD;
  uint32_t evicted = ip->reass.evicted;
  enum ipv4_reass_result r = ipv4_reass_add(&ip->reass, &f, net_now_ms(c), &slot, &why);
  pbuf_free(p);
  for (; evicted != ip->reass.evicted; evicted++)
    net_stats_drop(&c->stats, NET_DROP_IP_FRAG_NO_SLOT);
  if (r == IPV4_REASS_DROPPED) net_stats_drop(&c->stats, why);
  if (r != IPV4_REASS_COMPLETE) {
    arm_reass_timer(ip);
    return;
  }
  size_t total = (size_t)slot->hdr_len + slot->total_len;
  struct pbuf *d = pbuf_alloc(&c->pool, ETH_HDR_LEN + 2, total);
  if (!d) {
    net_stats_drop(&c->stats, NET_DROP_NO_PBUF);
    ipv4_reass_release(&ip->reass, slot);
    arm_reass_timer(ip);
    return;
  }
  memcpy(d->data, slot->hdr, slot->hdr_len);
  memcpy(d->data + slot->hdr_len, slot->data, slot->total_len);
  ipv4_reass_release(&ip->reass, slot);
  arm_reass_timer(ip);
  // Rewrite length, fragment field and checksum so the header describes the whole datagram
  // (ICMP errors quote it).
  net_put16(d->data + 2, (uint16_t)total);
  net_put16(d->data + 6, 0);
  net_put16(d->data + 10, 0);
  net_put16(d->data + 10, net_cksum(d->data, slot->hdr_len));
  struct ipv4_hdr whole = *h;
  whole.total_len = (uint16_t)total;
  whole.mf = false;
  whole.frag_offset = 0;
  c->stats.ip_reassembled++;
  deliver(ip, d, &whole);
}

void ipv4_input(struct ipv4 *ip, struct pbuf *p) {
  struct net_core *c = ip->core;
  const struct netif *nif = &c->netif;
  struct ipv4_hdr h;
  enum net_drop_reason why = NET_DROP_IP_SHORT;
  c->stats.ip_rx++;
  if (!ipv4_parse(p->data, p->len, &h, &why)) {
    net_stats_drop(&c->stats, why);
    pbuf_free(p);
    return;
  }
  pbuf_trim(p, h.total_len);  // strip Ethernet padding
  if (h.ttl == 0) {
    net_stats_drop(&c->stats, NET_DROP_IP_TTL);
    pbuf_free(p);
    return;
  }
  // RFC 1122 3.2.1.3: silently discard datagrams from broadcast/multicast sources.
  if (h.src == IPV4_BROADCAST || ipv4_is_multicast(h.src) ||
      (netif_is_broadcast(nif, h.src) && nif->prefix < 31) ||
      (ipv4_is_loopback(h.src) && !netif_is_local(nif, h.dst))) {
    net_stats_drop(&c->stats, NET_DROP_IP_BAD_SRC);
    pbuf_free(p);
    return;
  }
  bool for_us = netif_is_local(nif, h.dst) || netif_is_broadcast(nif, h.dst) ||
                ipv4_is_multicast(h.dst) || (nif->addr == IPV4_ANY && h.dst != IPV4_ANY);
  if (!for_us) {
    net_stats_drop(&c->stats, NET_DROP_IP_NOT_FOR_US);
    pbuf_free(p);
    return;
  }
  if (h.mf || h.frag_offset) {
    input_fragment(ip, p, &h);
    return;
  }
  deliver(ip, p, &h);
}

void ipv4_deliver_icmp_error(struct ipv4 *ip, const struct ipv4_icmp_error *e) {
  const struct ipv4_proto_ops *ops = find_handler(ip, e->orig_proto);
  if (ops && ops->icmp_error) ops->icmp_error(ops->ctx, e);
}

unsigned ipv4_loopback_run(struct ipv4 *ip) {
  unsigned n = ip->loopq.count;
  for (unsigned i = 0; i < n; i++) {
    struct pbuf *p = pbuf_queue_pop(&ip->loopq);
    if (p == NULL) return i;
    ipv4_input(ip, p);
  }
  return n;
}

void ipv4_poll(struct ipv4 *ip, uint64_t now_ms) {
  unsigned n = ipv4_reass_expire(&ip->reass, now_ms);
  for (unsigned i = 0; i < n; i++) net_stats_drop(&ip->core->stats, NET_DROP_IP_FRAG_TIMEOUT);
  arm_reass_timer(ip);
}
