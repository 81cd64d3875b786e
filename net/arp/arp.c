#include "net/arp/arp.h"

#include <string.h>

#include "net/arp/arp_wire.h"
#include "net/core/net_err.h"

static void arp_timer_cb(void *arg, uint64_t now_ms);

void arp_init(struct arp *a, struct net_core *core, struct eth *eth) {
  memset(a, 0, sizeof(*a));
  a->core = core;
  a->eth = eth;
  for (int i = 0; i < NET_ARP_ENTRIES; i++) pbuf_queue_init(&a->entries[i].pending);
  net_timer_init(&a->timer, arp_timer_cb, a);
  eth_register(eth, ETH_TYPE_ARP, arp_input, a);
}

static int send_arp(struct arp *a, uint16_t op, const uint8_t eth_dst[6], const uint8_t tha[6],
                    ipv4_addr_t tpa) {
  struct pbuf *p = pbuf_alloc_tx(&a->core->pool, ARP_PKT_LEN);
  if (!p) {
    net_stats_drop(&a->core->stats, NET_DROP_NO_PBUF);
    return NET_ERR_NOMEM;
  }
  struct arp_pkt pkt;
  pkt.op = op;
  memcpy(pkt.sha, a->core->netif.mac, 6);
  pkt.spa = a->core->netif.addr;
  memcpy(pkt.tha, tha, 6);
  pkt.tpa = tpa;
  arp_emit(p->data, &pkt);
  a->core->stats.arp_tx++;
  return eth_output(a->eth, p, eth_dst, ETH_TYPE_ARP);
}

static const uint8_t kZeroMac[6] = {0, 0, 0, 0, 0, 0};

static int send_request(struct arp *a, ipv4_addr_t ip) {
  return send_arp(a, ARP_OP_REQUEST, kEthBroadcast, kZeroMac, ip);
}

static void ensure_timer(struct arp *a, uint64_t deadline) {
  if (!net_timer_armed(&a->timer) || a->timer.deadline_ms > deadline) {
    net_core_timer_arm(a->core, &a->timer, deadline);
  }
}

static struct arp_entry *find(struct arp *a, ipv4_addr_t ip) {
  for (int i = 0; i < NET_ARP_ENTRIES; i++) {
    if (a->entries[i].state != ARP_FREE && a->entries[i].ip == ip) return &a->entries[i];
  }
  return NULL;
}

static void free_entry(struct arp *a, struct arp_entry *e, bool unresolved) {
  struct pbuf *p;
  while ((p = pbuf_queue_pop(&e->pending)) != NULL) {
    if (unresolved) net_stats_drop(&a->core->stats, NET_DROP_ARP_UNRESOLVED);
    a->queued_total--;
    pbuf_free(p);
  }
  e->state = ARP_FREE;
  e->ip = 0;
  e->requests = 0;
}

// A free slot, else the reachable entry closest to expiry. Pending entries are not evicted:
// their queued packets are in flight and a flood of lookups must not starve them.
static struct arp_entry *alloc_entry(struct arp *a) {
  struct arp_entry *victim = NULL;
  for (int i = 0; i < NET_ARP_ENTRIES; i++) {
    struct arp_entry *e = &a->entries[i];
    if (e->state == ARP_FREE) return e;
    if (e->state == ARP_REACHABLE && (!victim || e->expires_ms < victim->expires_ms)) victim = e;
  }
  if (victim) free_entry(a, victim, false);
  return victim;
}

static void send_queued(struct arp *a, struct arp_entry *e) {
  struct pbuf *p;
  while ((p = pbuf_queue_pop(&e->pending)) != NULL) {
    a->queued_total--;
    eth_output(a->eth, p, e->mac, ETH_TYPE_IPV4);
  }
}

static void update(struct arp *a, struct arp_entry *e, const uint8_t mac[6], uint64_t now) {
  memcpy(e->mac, mac, 6);
  e->state = ARP_REACHABLE;
  e->requests = 0;
  e->refreshing = false;
  e->expires_ms = now + NET_ARP_ENTRY_TTL_MS;
  ensure_timer(a, e->expires_ms);
  send_queued(a, e);
}

int arp_output(struct arp *a, struct pbuf *p, ipv4_addr_t hop) {
  const struct netif *nif = &a->core->netif;
  if (netif_is_broadcast(nif, hop)) return eth_output(a->eth, p, kEthBroadcast, ETH_TYPE_IPV4);
  if (ipv4_is_multicast(hop)) {
    // RFC 1112 mapping: 01:00:5e + low 23 bits of the group.
    uint8_t mac[6] = {0x01,        0x00, 0x5e, (uint8_t)((hop >> 16) & 0x7f), (uint8_t)(hop >> 8),
                      (uint8_t)hop};
    return eth_output(a->eth, p, mac, ETH_TYPE_IPV4);
  }
  struct arp_entry *e = find(a, hop);
  uint64_t now = net_now_ms(a->core);
  if (e && e->state == ARP_REACHABLE) {
    if (!e->refreshing && e->expires_ms <= now + NET_ARP_REFRESH_MS) {
      e->refreshing = true;
      send_arp(a, ARP_OP_REQUEST, e->mac, e->mac, hop);
    }
    return eth_output(a->eth, p, e->mac, ETH_TYPE_IPV4);
  }
  if (!e) {
    e = alloc_entry(a);
    if (!e) {
      net_stats_drop(&a->core->stats, NET_DROP_ARP_TABLE_FULL);
      pbuf_free(p);
      return NET_ERR_NOMEM;
    }
    e->state = ARP_PENDING;
    e->ip = hop;
    e->requests = 1;
    e->refreshing = false;
    e->expires_ms = now + NET_ARP_REQUEST_INTERVAL_MS;
    ensure_timer(a, e->expires_ms);
    send_request(a, hop);
  }
  if (e->pending.count >= NET_ARP_QUEUE_PER_ENTRY || a->queued_total >= NET_ARP_QUEUE_TOTAL) {
    net_stats_drop(&a->core->stats, NET_DROP_ARP_QUEUE_FULL);
    pbuf_free(p);
    return NET_ERR_NOMEM;
  }
  pbuf_queue_push(&e->pending, p);
  a->queued_total++;
  return NET_OK;
}

void arp_input(void *ctx, struct pbuf *p, const struct eth_hdr *hdr) {
  struct arp *a = (struct arp *)ctx;
  struct net_core *c = a->core;
  struct arp_pkt pkt;
  c->stats.arp_rx++;
  if (!arp_parse(p->data, p->len, &pkt) || eth_is_multicast(pkt.sha) ||
      ipv4_is_multicast(pkt.spa) || pkt.spa == IPV4_BROADCAST) {
    net_stats_drop(&c->stats, NET_DROP_ARP_MALFORMED);
    pbuf_free(p);
    return;
  }
  pbuf_free(p);
  (void)hdr;
  const struct netif *nif = &c->netif;
  if (nif->addr == IPV4_ANY) {
    net_stats_drop(&c->stats, NET_DROP_ARP_NOT_FOR_US);
    return;
  }
  uint64_t now = net_now_ms(c);
  // RFC 826 merge: refresh a sender we already know (this also covers gratuitous ARP), and
  // learn it if the packet is addressed to us. A probe (sender 0.0.0.0) teaches nothing.
  bool for_us = pkt.tpa == nif->addr;
  if (pkt.spa != IPV4_ANY && pkt.spa != nif->addr) {
    struct arp_entry *e = find(a, pkt.spa);
    if (!e && for_us) {
      e = alloc_entry(a);
      if (e) {
        e->ip = pkt.spa;
        pbuf_queue_init(&e->pending);
      } else {
        net_stats_drop(&c->stats, NET_DROP_ARP_TABLE_FULL);
      }
    }
    if (e) update(a, e, pkt.sha, now);
  }
  if (!for_us) {
    net_stats_drop(&c->stats, NET_DROP_ARP_NOT_FOR_US);
    return;
  }
  if (pkt.op == ARP_OP_REQUEST) send_arp(a, ARP_OP_REPLY, pkt.sha, pkt.sha, pkt.spa);
}

int arp_announce(struct arp *a) {
  // Gratuitous ARP as a request with sender == target (RFC 5227 section 3): every stack updates
  // an existing entry for us from it.
  return send_arp(a, ARP_OP_REQUEST, kEthBroadcast, kZeroMac, a->core->netif.addr);
}

bool arp_lookup(const struct arp *a, ipv4_addr_t ip, uint8_t mac_out[6]) {
  for (int i = 0; i < NET_ARP_ENTRIES; i++) {
    const struct arp_entry *e = &a->entries[i];
    if (e->state == ARP_REACHABLE && e->ip == ip) {
      memcpy(mac_out, e->mac, 6);
      return true;
    }
  }
  return false;
}

void arp_poll(struct arp *a, uint64_t now) {
  uint64_t next = NET_TIME_NEVER;
  for (int i = 0; i < NET_ARP_ENTRIES; i++) {
    struct arp_entry *e = &a->entries[i];
    if (e->state == ARP_FREE) continue;
    if (e->expires_ms <= now) {
      if (e->state == ARP_REACHABLE) {
        free_entry(a, e, false);
        continue;
      }
      if (e->requests >= NET_ARP_MAX_REQUESTS) {
        free_entry(a, e, true);
        continue;
      }
      e->requests++;
      e->expires_ms = now + NET_ARP_REQUEST_INTERVAL_MS;
      send_request(a, e->ip);
    }
    if (e->expires_ms < next) next = e->expires_ms;
  }
  if (next != NET_TIME_NEVER) net_core_timer_arm(a->core, &a->timer, next);
}

static void arp_timer_cb(void *arg, uint64_t now_ms) { arp_poll((struct arp *)arg, now_ms); }

void arp_flush(struct arp *a) {
  for (int i = 0; i < NET_ARP_ENTRIES; i++) {
    if (a->entries[i].state != ARP_FREE) free_entry(a, &a->entries[i], true);
  }
  net_core_timer_cancel(a->core, &a->timer);
}
