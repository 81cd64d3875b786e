#include "net/udp/udp.h"

#include <string.h>

#include "net/core/net_err.h"
#include "net/icmp/icmp_wire.h"
#include "net/udp/udp_wire.h"

static void udp_input(void *ctx, struct pbuf *p, const struct ipv4_rx_info *info);
static void udp_icmp_error(void *ctx, const struct ipv4_icmp_error *e);

void udp_init(struct udp *u, struct net_core *core, struct ipv4 *ip, struct icmp *icmp) {
  memset(u, 0, sizeof(*u));
  u->core = core;
  u->ip = ip;
  u->icmp = icmp;
  for (int i = 0; i < NET_UDP_SOCKETS; i++) pbuf_queue_init(&u->socks[i].rxq);
  struct ipv4_proto_ops ops = {udp_input, udp_icmp_error, u};
  ipv4_register(ip, IPV4_PROTO_UDP, &ops);
}

struct udp_sock *udp_open(struct udp *u) {
  for (int i = 0; i < NET_UDP_SOCKETS; i++) {
    struct udp_sock *s = &u->socks[i];
    if (!s->used) {
      memset(s, 0, sizeof(*s));
      pbuf_queue_init(&s->rxq);
      s->used = true;
      u->core->stats.udp_sockets++;
      return s;
    }
  }
  return NULL;
}

static bool port_in_use(const struct udp *u, ipv4_addr_t addr, uint16_t port) {
  for (int i = 0; i < NET_UDP_SOCKETS; i++) {
    const struct udp_sock *s = &u->socks[i];
    if (s->used && s->bound && s->local_port == port &&
        (s->local_addr == IPV4_ANY || addr == IPV4_ANY || s->local_addr == addr)) {
      return true;
    }
  }
  return false;
}

int udp_bind(struct udp *u, struct udp_sock *s, ipv4_addr_t addr, uint16_t port) {
  if (!s->used || s->bound) return NET_ERR_INVAL;
  if (addr != IPV4_ANY && !netif_is_local(&u->core->netif, addr) &&
      !netif_is_broadcast(&u->core->netif, addr)) {
    return NET_ERR_ADDRNOTAVAIL;
  }
  if (port == 0) {
    // RFC 6056 algorithm 1 in spirit: random start, then a linear scan of the range.
    uint32_t range = (uint32_t)NET_EPHEMERAL_PORT_MAX - NET_EPHEMERAL_PORT_MIN + 1;
    uint32_t start = net_random_u32(u->core) % range;
    for (uint32_t i = 0; i < range; i++) {
      uint16_t cand = (uint16_t)(NET_EPHEMERAL_PORT_MIN + (start + i) % range);
      if (!port_in_use(u, addr, cand)) {
        port = cand;
        break;
      }
    }
    if (port == 0) return NET_ERR_ADDRNOTAVAIL;
  } else if (port_in_use(u, addr, port)) {
    return NET_ERR_ADDRINUSE;
  }
  s->local_addr = addr;
  s->local_port = port;
  s->bound = true;
  return NET_OK;
}

int udp_connect(struct udp *u, struct udp_sock *s, ipv4_addr_t addr, uint16_t port) {
  if (!s->used || port == 0 || addr == IPV4_ANY) return NET_ERR_INVAL;
  if (!s->bound) {
    int rc = udp_bind(u, s, IPV4_ANY, 0);
    if (rc != NET_OK) return rc;
  }
  s->connected = true;
  s->remote_addr = addr;
  s->remote_port = port;
  s->pending_err = 0;
  return NET_OK;
}

int udp_sendto(struct udp *u, struct udp_sock *s, ipv4_addr_t dst, uint16_t port, const void *data,
               size_t len) {
  struct net_core *c = u->core;
  if (!s->used || port == 0 || dst == IPV4_ANY) return NET_ERR_INVAL;
  if (len > UDP_MAX_PAYLOAD) return NET_ERR_MSGSIZE;
  if (!s->bound) {
    int rc = udp_bind(u, s, IPV4_ANY, 0);
    if (rc != NET_OK) return rc;
  }
  struct pbuf *p = pbuf_alloc_tx(&c->pool, UDP_HDR_LEN + len);
  if (!p) {
    net_stats_drop(&c->stats, NET_DROP_NO_PBUF);
    return NET_ERR_NOMEM;
  }
  if (len) memcpy(p->data + UDP_HDR_LEN, data, len);
  ipv4_addr_t src = s->local_addr;
  if (src == IPV4_ANY || netif_is_broadcast(&c->netif, src)) src = c->netif.addr;
  udp_emit(p->data, s->local_port, port, len, src, dst);
  struct ipv4_tx tx = {0};
  tx.src = src;
  tx.dst = dst;
  tx.proto = IPV4_PROTO_UDP;
  c->stats.udp_tx++;
  int rc = ipv4_output(u->ip, p, &tx);
  return rc == NET_OK ? (int)len : rc;
}

int udp_send(struct udp *u, struct udp_sock *s, const void *data, size_t len) {
  if (!s->connected) return NET_ERR_NOTCONN;
  if (s->pending_err) {
    int e = s->pending_err;
    s->pending_err = 0;
    return e;
  }
  return udp_sendto(u, s, s->remote_addr, s->remote_port, data, len);
}

int udp_recvfrom(struct udp *u, struct udp_sock *s, void *buf, size_t cap, ipv4_addr_t *src,
                 uint16_t *port) {
  (void)u;
  if (!s->used) return NET_ERR_INVAL;
  if (s->pending_err) {
    int e = s->pending_err;
    s->pending_err = 0;
    return e;
  }
  struct pbuf *p = pbuf_queue_pop(&s->rxq);
  if (!p) return NET_ERR_WOULDBLOCK;
  size_t n = p->len < cap ? p->len : cap;
  if (n) memcpy(buf, p->data, n);
  if (src) *src = p->meta[0];
  if (port) *port = (uint16_t)p->meta[1];
  int len = (int)p->len;
  pbuf_free(p);
  return len;
}

void udp_set_callback(struct udp_sock *s, udp_recv_cb cb, void *ctx) {
  s->on_recv = cb;
  s->cb_ctx = ctx;
}

void udp_close(struct udp *u, struct udp_sock *s) {
  if (!s->used) return;
  pbuf_queue_purge(&s->rxq);
  s->used = false;
  s->bound = false;
  s->connected = false;
  u->core->stats.udp_sockets--;
}

static bool matches(const struct udp_sock *s, const struct ipv4_rx_info *info,
                    const struct udp_hdr *h) {
  if (!s->used || !s->bound || s->local_port != h->dst_port) return false;
  if (s->local_addr != IPV4_ANY && s->local_addr != info->dst) return false;
  if (s->connected && (s->remote_addr != info->src || s->remote_port != h->src_port)) return false;
  return true;
}

static void enqueue(struct udp *u, struct udp_sock *s, struct pbuf *p, ipv4_addr_t src,
                    uint16_t sport) {
  if (s->rxq.count >= NET_UDP_RX_QUEUE_LEN || s->rxq.bytes + p->len > NET_UDP_RX_QUEUE_BYTES) {
    net_stats_drop(&u->core->stats, NET_DROP_UDP_QUEUE_FULL);
    pbuf_free(p);
    return;
  }
  p->meta[0] = src;
  p->meta[1] = sport;
  pbuf_queue_push(&s->rxq, p);
  if (s->on_recv) s->on_recv(s->cb_ctx, s);
}

static void udp_input(void *ctx, struct pbuf *p, const struct ipv4_rx_info *info) {
  struct udp *u = (struct udp *)ctx;
  struct net_core *c = u->core;
  struct udp_hdr h;
  enum net_drop_reason why = NET_DROP_UDP_SHORT;
  c->stats.udp_rx++;
  if (!udp_parse(p->data, p->len, info->src, info->dst, &h, &why)) {
    net_stats_drop(&c->stats, why);
    pbuf_free(p);
    return;
  }
  if (info->broadcast || info->multicast) {
    // Every matching socket gets its own copy.
    struct udp_sock *first = NULL;
    for (int i = 0; i < NET_UDP_SOCKETS; i++) {
      struct udp_sock *s = &u->socks[i];
      if (!matches(s, info, &h)) continue;
      if (!first) {
        first = s;
        continue;
      }
      struct pbuf *copy = pbuf_alloc_copy(&c->pool, 0, p->data + UDP_HDR_LEN, h.len - UDP_HDR_LEN);
      if (!copy) {
        net_stats_drop(&c->stats, NET_DROP_NO_PBUF);
        continue;
      }
      enqueue(u, s, copy, info->src, h.src_port);
    }
    if (!first) {
      net_stats_drop(&c->stats, NET_DROP_UDP_NO_PORT);
      pbuf_free(p);
      return;
    }
    pbuf_trim(p, h.len);
    pbuf_pull(p, UDP_HDR_LEN);
    enqueue(u, first, p, info->src, h.src_port);
    return;
  }
  // Unicast: prefer a connected socket, then a specific address, then a wildcard.
  struct udp_sock *best = NULL;
  int best_score = -1;
  for (int i = 0; i < NET_UDP_SOCKETS; i++) {
    struct udp_sock *s = &u->socks[i];
    if (!matches(s, info, &h)) continue;
    int score = (s->connected ? 2 : 0) + (s->local_addr != IPV4_ANY ? 1 : 0);
    if (score > best_score) {
      best = s;
      best_score = score;
    }
  }
  if (!best) {
    net_stats_drop(&c->stats, NET_DROP_UDP_NO_PORT);
    if (u->icmp) icmp_send_error(u->icmp, p, info, ICMP_DEST_UNREACH, ICMP_UNREACH_PORT);
    pbuf_free(p);
    return;
  }
  pbuf_trim(p, h.len);
  pbuf_pull(p, UDP_HDR_LEN);
  enqueue(u, best, p, info->src, h.src_port);
}

static void udp_icmp_error(void *ctx, const struct ipv4_icmp_error *e) {
  struct udp *u = (struct udp *)ctx;
  uint16_t sport = net_get16(e->orig_payload), dport = net_get16(e->orig_payload + 2);
  // Like Linux, only connected sockets learn about errors: an unconnected one cannot tell which
  // of its peers the error is about.
  for (int i = 0; i < NET_UDP_SOCKETS; i++) {
    struct udp_sock *s = &u->socks[i];
    if (s->used && s->connected && s->local_port == sport && s->remote_addr == e->orig_dst &&
        s->remote_port == dport) {
      s->pending_err = e->err;
      if (s->on_recv) s->on_recv(s->cb_ctx, s);
    }
  }
}
