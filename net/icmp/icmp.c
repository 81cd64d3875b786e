#include "net/icmp/icmp.h"

#include <string.h>

#include "net/core/net_err.h"
#include "net/icmp/icmp_wire.h"
#include "net/ipv4/ipv4_wire.h"

// Quote as much of the offending datagram as fits a 576-byte error (RFC 1812 4.3.2.3).
#define ICMP_ERR_MAX_DATAGRAM 576

static void icmp_input(void *ctx, struct pbuf *p, const struct ipv4_rx_info *info);
static void unreach_hook(void *ctx, struct pbuf *p, const struct ipv4_rx_info *info, uint8_t code) {
  icmp_send_error((struct icmp *)ctx, p, info, ICMP_DEST_UNREACH, code);
}

void icmp_init(struct icmp *ic, struct net_core *core, struct ipv4 *ip) {
  memset(ic, 0, sizeof(*ic));
  ic->core = core;
  ic->ip = ip;
  ic->err_tokens = NET_ICMP_ERR_RATE_PER_S;
  struct ipv4_proto_ops ops = {icmp_input, NULL, ic};
  ipv4_register(ip, IPV4_PROTO_ICMP, &ops);
  ipv4_set_unreach_hook(ip, unreach_hook, ic);
}

static bool take_err_token(struct icmp *ic) {
  uint64_t now = net_now_ms(ic->core);
  if (now >= ic->err_refill_ms + 1000) {
    ic->err_tokens = NET_ICMP_ERR_RATE_PER_S;
    ic->err_refill_ms = now;
  }
  if (ic->err_tokens == 0) return false;
  ic->err_tokens--;
  return true;
}

void icmp_send_error(struct icmp *ic, const struct pbuf *p, const struct ipv4_rx_info *info,
                     uint8_t type, uint8_t code) {
  struct net_core *c = ic->core;
  // RFC 1122 3.2.2: never about broadcast/multicast, non-initial fragments, ICMP errors, or
  // datagrams whose source does not name a single host.
  if (info->broadcast || info->multicast) return;
  if (info->hdr_len < 20 || (net_get16(info->hdr + 6) & IPV4_FRAG_MASK) != 0) return;
  if (info->src == IPV4_ANY || info->src == IPV4_BROADCAST || ipv4_is_multicast(info->src) ||
      netif_is_broadcast(&c->netif, info->src)) {
    return;
  }
  if (info->proto == IPV4_PROTO_ICMP &&
      (p->len < 1 || icmp_is_error(p->data[0]) || p->data[0] > ICMP_PARAM_PROBLEM)) {
    return;
  }
  if (!take_err_token(ic)) {
    net_stats_drop(&c->stats, NET_DROP_ICMP_RATE_LIMIT);
    return;
  }
  size_t room = ICMP_ERR_MAX_DATAGRAM - IPV4_HDR_LEN - ICMP_HDR_LEN - info->hdr_len;
  size_t quote = p->len < room ? p->len : room;
  struct pbuf *e = pbuf_alloc_tx(&c->pool, ICMP_HDR_LEN + info->hdr_len + quote);
  if (!e) {
    net_stats_drop(&c->stats, NET_DROP_NO_PBUF);
    return;
  }
  memcpy(e->data + ICMP_HDR_LEN, info->hdr, info->hdr_len);
  memcpy(e->data + ICMP_HDR_LEN + info->hdr_len, p->data, quote);
  icmp_emit(e->data, type, code, 0, info->hdr_len + quote);
  struct ipv4_tx tx = {0};
  tx.src = netif_is_local(&c->netif, info->dst) ? info->dst : IPV4_ANY;
  tx.dst = info->src;
  tx.proto = IPV4_PROTO_ICMP;
  c->stats.icmp_tx++;
  ipv4_output(ic->ip, e, &tx);
}

static int unreach_err(uint8_t code) {
  switch (code) {
    case ICMP_UNREACH_NET:
    case 6:   // destination network unknown
    case 9:   // network administratively prohibited
    case 11:  // network unreachable for TOS
      return NET_ERR_NETUNREACH;
    case ICMP_UNREACH_PROTO:
    case ICMP_UNREACH_PORT:
      return NET_ERR_CONNREFUSED;
    case ICMP_UNREACH_FRAG_NEEDED:
      return NET_ERR_FRAGNEEDED;
    default:
      return NET_ERR_HOSTUNREACH;
  }
}

static struct icmp_ping *find_ping(struct icmp *ic, uint16_t id) {
  for (int i = 0; i < NET_PING_SLOTS; i++) {
    if (ic->pings[i] && ic->pings[i]->id == id) return ic->pings[i];
  }
  return NULL;
}

static void ping_push(struct icmp_ping *pg, const struct icmp_ping_reply *r) {
  if (pg->rcount >= NET_PING_SLOTS) {
    pg->lost_replies++;
    return;
  }
  pg->replies[(pg->rhead + pg->rcount) % NET_PING_SLOTS] = *r;
  pg->rcount++;
}

// Matches a reply/error to an outstanding request; fills rtt and duplicate.
static bool ping_match(struct icmp_ping *pg, uint16_t seq, uint64_t now_us,
                       struct icmp_ping_reply *r) {
  unsigned slot = seq % ICMP_PING_INFLIGHT;
  if (!pg->inflight[slot].valid || pg->inflight[slot].seq != seq) return false;
  r->seq = seq;
  r->rtt_us = now_us - pg->inflight[slot].sent_us;
  r->duplicate = pg->inflight[slot].answered;
  pg->inflight[slot].answered = true;
  return true;
}

static void handle_error(struct icmp *ic, const struct icmp_hdr *h,
                         const struct ipv4_rx_info *info) {
  struct net_core *c = ic->core;
  struct icmp_quote q;
  if (!icmp_parse_quote(h->body, h->body_len, &q) || !netif_is_local(&c->netif, q.src)) {
    net_stats_drop(&c->stats, NET_DROP_ICMP_UNHANDLED);
    return;
  }
  struct ipv4_icmp_error e;
  memset(&e, 0, sizeof(e));
  e.type = h->type;
  e.code = h->code;
  switch (h->type) {
    case ICMP_DEST_UNREACH:
      e.err = unreach_err(h->code);
      if (h->code == ICMP_UNREACH_FRAG_NEEDED) e.next_hop_mtu = (uint16_t)h->rest;
      break;
    case ICMP_TIME_EXCEEDED:
      e.err = NET_ERR_TTL;
      break;
    case ICMP_PARAM_PROBLEM:
      e.err = NET_ERR_PROTO;
      break;
    default:  // source quench (RFC 6633) and redirects are ignored
      net_stats_drop(&c->stats, NET_DROP_ICMP_UNHANDLED);
      return;
  }
  e.reporter = info->src;
  e.orig_src = q.src;
  e.orig_dst = q.dst;
  e.orig_proto = q.proto;
  e.orig_payload = q.payload;
  e.orig_payload_len = q.payload_len;
  if (q.proto == IPV4_PROTO_ICMP) {
    // Error about one of our echo requests: the quoted ICMP header carries id and seq.
    if (q.payload[0] != ICMP_ECHO_REQUEST) return;
    struct icmp_ping *pg = find_ping(ic, net_get16(q.payload + 4));
    struct icmp_ping_reply r;
    memset(&r, 0, sizeof(r));
    if (!pg || !ping_match(pg, net_get16(q.payload + 6), net_now_us(c), &r)) return;
    r.from = info->src;
    r.ttl = info->ttl;
    r.err = e.err;
    r.type = h->type;
    r.code = h->code;
    ping_push(pg, &r);
    return;
  }
  ipv4_deliver_icmp_error(ic->ip, &e);
}

static void icmp_input(void *ctx, struct pbuf *p, const struct ipv4_rx_info *info) {
  struct icmp *ic = (struct icmp *)ctx;
  struct net_core *c = ic->core;
  struct icmp_hdr h;
  enum net_drop_reason why = NET_DROP_ICMP_SHORT;
  c->stats.icmp_rx++;
  if (!icmp_parse(p->data, p->len, &h, &why)) {
    net_stats_drop(&c->stats, why);
    pbuf_free(p);
    return;
  }
  switch (h.type) {
    case ICMP_ECHO_REQUEST: {
      if ((info->broadcast || info->multicast) && !ic->reply_to_broadcast_echo) {
        net_stats_drop(&c->stats, NET_DROP_ICMP_UNHANDLED);
        break;
      }
      // Answer in place: same id, seq and data, type 0, new checksum.
      icmp_emit(p->data, ICMP_ECHO_REPLY, 0, h.rest, h.body_len);
      struct ipv4_tx tx = {0};
      tx.src = netif_is_local(&c->netif, info->dst) ? info->dst : IPV4_ANY;
      tx.dst = info->src;
      tx.proto = IPV4_PROTO_ICMP;
      tx.tos = info->tos;
      c->stats.icmp_tx++;
      ipv4_output(ic->ip, p, &tx);
      return;
    }
    case ICMP_ECHO_REPLY: {
      struct icmp_ping *pg = find_ping(ic, icmp_echo_id(&h));
      struct icmp_ping_reply r;
      memset(&r, 0, sizeof(r));
      if (!pg || info->src != pg->dst || !ping_match(pg, icmp_echo_seq(&h), net_now_us(c), &r)) {
        net_stats_drop(&c->stats, NET_DROP_ICMP_UNHANDLED);
        break;
      }
      r.from = info->src;
      r.len = (uint16_t)h.body_len;
      r.ttl = info->ttl;
      r.err = NET_OK;
      r.type = h.type;
      ping_push(pg, &r);
      break;
    }
    default:
      if (icmp_is_error(h.type)) {
        handle_error(ic, &h, info);
      } else {
        net_stats_drop(&c->stats, NET_DROP_ICMP_UNHANDLED);
      }
      break;
  }
  pbuf_free(p);
}

int icmp_ping_open(struct icmp *ic, struct icmp_ping *pg, ipv4_addr_t dst) {
  memset(pg, 0, sizeof(*pg));
  int slot = -1;
  for (int i = 0; i < NET_PING_SLOTS; i++) {
    if (!ic->pings[i]) {
      slot = i;
      break;
    }
  }
  if (slot < 0) return NET_ERR_NOMEM;
  // A random identifier that no other open session uses (bounded retries).
  uint16_t id = 0;
  for (int tries = 0; tries < 16; tries++) {
    id = (uint16_t)net_random_u32(ic->core);
    if (!find_ping(ic, id)) break;
  }
  if (find_ping(ic, id)) return NET_ERR_ADDRINUSE;
  pg->icmp = ic;
  pg->dst = dst;
  pg->id = id;
  pg->active = true;
  ic->pings[slot] = pg;
  return NET_OK;
}

int icmp_ping_send(struct icmp_ping *pg, uint16_t seq, size_t payload_len) {
  if (!pg->active) return NET_ERR_CLOSED;
  if (payload_len > 65535 - 20 - ICMP_HDR_LEN) return NET_ERR_MSGSIZE;
  struct icmp *ic = pg->icmp;
  struct net_core *c = ic->core;
  struct pbuf *p = pbuf_alloc_tx(&c->pool, ICMP_HDR_LEN + payload_len);
  if (!p) return NET_ERR_NOMEM;
  uint64_t now = net_now_us(c);
  uint8_t *d = p->data + ICMP_HDR_LEN;
  // Like iputils: a timestamp first (for humans reading captures), then a counting pattern.
  for (size_t i = 0; i < payload_len; i++) d[i] = (uint8_t)(0x10 + i);
  if (payload_len >= 8) {
    net_put32(d, (uint32_t)(now / 1000000));
    net_put32(d + 4, (uint32_t)(now % 1000000));
  }
  icmp_emit(p->data, ICMP_ECHO_REQUEST, 0, (uint32_t)pg->id << 16 | seq, payload_len);
  unsigned slot = seq % ICMP_PING_INFLIGHT;
  pg->inflight[slot].seq = seq;
  pg->inflight[slot].valid = true;
  pg->inflight[slot].answered = false;
  pg->inflight[slot].sent_us = now;
  struct ipv4_tx tx = {0};
  tx.dst = pg->dst;
  tx.proto = IPV4_PROTO_ICMP;
  c->stats.icmp_tx++;
  return ipv4_output(ic->ip, p, &tx);
}

bool icmp_ping_next(struct icmp_ping *pg, struct icmp_ping_reply *out) {
  if (pg->rcount == 0) return false;
  *out = pg->replies[pg->rhead];
  pg->rhead = (pg->rhead + 1) % NET_PING_SLOTS;
  pg->rcount--;
  return true;
}

void icmp_ping_close(struct icmp_ping *pg) {
  if (!pg->active) return;
  struct icmp *ic = pg->icmp;
  for (int i = 0; i < NET_PING_SLOTS; i++) {
    if (ic->pings[i] == pg) ic->pings[i] = NULL;
  }
  pg->active = false;
}
