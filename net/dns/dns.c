#include "net/dns/dns.h"

#include <string.h>

#include "net/core/net_err.h"

static void query_timeout(void *arg, uint64_t now_ms);
static void query_recv(void *ctx, struct udp_sock *s);

void dns_init(struct dns *d, struct net_core *core, struct udp *udp) {
  memset(d, 0, sizeof(*d));
  d->core = core;
  d->udp = udp;
  for (int i = 0; i < NET_DNS_MAX_QUERIES; i++) {
    d->queries[i].dns = d;
    net_timer_init(&d->queries[i].timer, query_timeout, &d->queries[i]);
  }
}

static void lowercase_copy(char *dst, const char *src) {
  size_t n = strlen(src);
  if (n && src[n - 1] == '.') n--;
  for (size_t i = 0; i < n; i++) {
    char c = src[i];
    dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  dst[n] = '\0';
}

static struct dns_cache_entry *cache_find(struct dns *d, const char *name, uint64_t now) {
  for (int i = 0; i < NET_DNS_CACHE_ENTRIES; i++) {
    struct dns_cache_entry *e = &d->cache[i];
    if (!e->used) continue;
    if (e->expires_ms <= now) {
      e->used = false;
      continue;
    }
    if (strcmp(e->name, name) == 0) return e;
  }
  return NULL;
}

static void cache_put(struct dns *d, const char *name, const struct dns_result *r, uint64_t now) {
  if (r->ttl_s == 0) return;  // TTL 0 means "do not cache"
  uint32_t ttl = r->ttl_s > NET_DNS_MAX_TTL_S ? NET_DNS_MAX_TTL_S : r->ttl_s;
  struct dns_cache_entry *slot = cache_find(d, name, now);
  for (int i = 0; !slot && i < NET_DNS_CACHE_ENTRIES; i++) {
    if (!d->cache[i].used) slot = &d->cache[i];
  }
  if (!slot) {  // evict the entry closest to expiry
    slot = &d->cache[0];
    for (int i = 1; i < NET_DNS_CACHE_ENTRIES; i++) {
      if (d->cache[i].expires_ms < slot->expires_ms) slot = &d->cache[i];
    }
  }
  slot->used = true;
  memcpy(slot->name, name, DNS_NAME_BUF);
  memcpy(slot->addrs, r->addrs, sizeof(slot->addrs));
  slot->count = r->count;
  memcpy(slot->canonical, r->canonical, DNS_NAME_BUF);
  slot->expires_ms = now + (uint64_t)ttl * 1000;
}

static void finish(struct dns_query *q, int result) {
  struct dns *d = q->dns;
  net_core_timer_cancel(d->core, &q->timer);
  if (q->sock) {
    udp_close(d->udp, q->sock);
    q->sock = NULL;
  }
  q->state = DNS_Q_DONE;
  q->result = result;
  if (result == NET_OK && !q->res.from_cache) cache_put(d, q->name, &q->res, net_now_ms(d->core));
}

// Sends the next attempt for q->current, or finishes with `fail` when attempts are used up.
static void send_attempt(struct dns_query *q, int fail) {
  struct dns *d = q->dns;
  struct net_core *c = d->core;
  if (q->sock) {
    udp_close(d->udp, q->sock);
    q->sock = NULL;
  }
  if (q->attempt >= NET_DNS_TRIES) {
    finish(q, fail);
    return;
  }
  q->server = c->netif.dns[q->attempt % c->netif.dns_count];
  q->attempt++;
  // New socket (random ephemeral port) and new random id per attempt: a spoofer has to guess
  // both (RFC 5452).
  q->sock = udp_open(d->udp);
  int rc = q->sock ? udp_connect(d->udp, q->sock, q->server, DNS_PORT) : NET_ERR_NOMEM;
  if (rc != NET_OK) {
    finish(q, rc);
    return;
  }
  udp_set_callback(q->sock, query_recv, q);
  q->id = (uint16_t)net_random_u32(c);
  uint8_t buf[DNS_HDR_LEN + DNS_NAME_BUF + 8];
  int len = dns_build_query(buf, sizeof(buf), q->id, q->current, DNS_TYPE_A);
  if (len < 0) {
    finish(q, NET_ERR_INVAL);
    return;
  }
  c->stats.dns_queries++;
  net_core_timer_arm(c, &q->timer, net_now_ms(c) + NET_DNS_TIMEOUT_MS);
  rc = udp_send(d->udp, q->sock, buf, (size_t)len);
  // A local send failure (e.g. no route) is final: retrying cannot help.
  if (rc < 0 && rc != NET_ERR_NOMEM) finish(q, rc);
}

static void query_timeout(void *arg, uint64_t now_ms) {
  (void)now_ms;
  struct dns_query *q = (struct dns_query *)arg;
  if (q->state != DNS_Q_PENDING) return;
  send_attempt(q, NET_ERR_TIMEDOUT);
}

static void handle_response(struct dns_query *q, const uint8_t *msg, size_t len) {
  struct dns *d = q->dns;
  struct net_core *c = d->core;
  struct dns_response r;
  enum dns_parse_status st = dns_parse_response(msg, len, q->id, q->current, DNS_TYPE_A, &r);
  if (st != DNS_PARSE_OK) {
    // Not an answer to our question (or garbage): keep waiting for the real one.
    net_stats_drop(&c->stats,
                   st == DNS_PARSE_MISMATCH ? NET_DROP_DNS_MISMATCH : NET_DROP_DNS_MALFORMED);
    return;
  }
  if (r.rcode == DNS_RCODE_NXDOMAIN) {
    finish(q, NET_ERR_NOTFOUND);
    return;
  }
  if (r.rcode != DNS_RCODE_NOERROR) {
    send_attempt(q, NET_ERR_SERVFAIL);  // another server may do better
    return;
  }
  if (r.ttl < q->ttl_s) q->ttl_s = r.ttl;
  bool chained = !dns_name_equal(r.canonical, q->current);
  if (r.a_count == 0) {
    if (chained && q->cname_requeries < NET_DNS_MAX_CNAME_CHAIN) {
      // The server gave the alias but not its addresses: ask for the chain's end.
      q->cname_requeries++;
      memcpy(q->current, r.canonical, DNS_NAME_BUF);
      q->attempt = 0;
      send_attempt(q, NET_ERR_TIMEDOUT);
      return;
    }
    finish(q, r.truncated ? NET_ERR_PROTO : NET_ERR_NODATA);
    return;
  }
  memset(&q->res, 0, sizeof(q->res));
  for (unsigned i = 0; i < r.a_count; i++) q->res.addrs[i] = r.a[i];
  q->res.count = r.a_count;
  if (!dns_name_equal(r.canonical, q->name)) memcpy(q->res.canonical, r.canonical, DNS_NAME_BUF);
  q->res.ttl_s = q->ttl_s;
  finish(q, NET_OK);
}

static void query_recv(void *ctx, struct udp_sock *s) {
  struct dns_query *q = (struct dns_query *)ctx;
  struct dns *d = q->dns;
  uint8_t buf[512 + 1];
  // Bounded: the queue holds at most NET_UDP_RX_QUEUE_LEN datagrams.
  while (q->state == DNS_Q_PENDING && q->sock == s && udp_readable(s)) {
    ipv4_addr_t src;
    uint16_t port;
    int n = udp_recvfrom(d->udp, s, buf, sizeof(buf), &src, &port);
    if (n == NET_ERR_WOULDBLOCK) break;
    if (n < 0) {
      // ICMP error (e.g. port unreachable): this server is not answering, try the next.
      send_attempt(q, n);
      return;
    }
    // Classic DNS over UDP is at most 512 bytes; longer datagrams are truncated, so parse what
    // we have (a truncated message fails parsing and is counted as malformed).
    handle_response(q, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf));
  }
}

int dns_resolve_start(struct dns *d, const char *name) {
  struct net_core *c = d->core;
  struct dns_query *q = NULL;
  int handle = -1;
  for (int i = 0; i < NET_DNS_MAX_QUERIES; i++) {
    if (d->queries[i].state == DNS_Q_FREE) {
      q = &d->queries[i];
      handle = i;
      break;
    }
  }
  if (!q) return NET_ERR_NOMEM;
  if (!name) return NET_ERR_INVAL;
  ipv4_addr_t lit;
  memset(&q->res, 0, sizeof(q->res));
  q->sock = NULL;
  if (ipv4_addr_parse(name, &lit)) {
    q->res.addrs[0] = lit;
    q->res.count = 1;
    q->state = DNS_Q_DONE;
    q->result = NET_OK;
    return handle;
  }
  if (!dns_name_valid(name)) return NET_ERR_INVAL;
  lowercase_copy(q->name, name);
  struct dns_cache_entry *e = cache_find(d, q->name, net_now_ms(c));
  if (e) {
    memcpy(q->res.addrs, e->addrs, sizeof(q->res.addrs));
    q->res.count = e->count;
    memcpy(q->res.canonical, e->canonical, DNS_NAME_BUF);
    q->res.ttl_s = (uint32_t)((e->expires_ms - net_now_ms(c)) / 1000);
    q->res.from_cache = true;
    q->state = DNS_Q_DONE;
    q->result = NET_OK;
    c->stats.dns_cache_hits++;
    return handle;
  }
  if (c->netif.dns_count == 0) return NET_ERR_INVAL;
  memcpy(q->current, q->name, DNS_NAME_BUF);
  q->attempt = 0;
  q->cname_requeries = 0;
  q->ttl_s = UINT32_MAX;
  q->state = DNS_Q_PENDING;
  send_attempt(q, NET_ERR_TIMEDOUT);
  return handle;
}

int dns_resolve_result(struct dns *d, int handle, struct dns_result *out) {
  if (handle < 0 || handle >= NET_DNS_MAX_QUERIES) return NET_ERR_INVAL;
  struct dns_query *q = &d->queries[handle];
  if (q->state == DNS_Q_FREE) return NET_ERR_INVAL;
  if (q->state == DNS_Q_PENDING) return NET_ERR_INPROGRESS;
  if (out) *out = q->res;
  q->state = DNS_Q_FREE;
  return q->result;
}

void dns_cancel(struct dns *d, int handle) {
  if (handle < 0 || handle >= NET_DNS_MAX_QUERIES) return;
  struct dns_query *q = &d->queries[handle];
  if (q->state == DNS_Q_PENDING) finish(q, NET_ERR_ABORTED);
  q->state = DNS_Q_FREE;
}

void dns_cache_flush(struct dns *d) {
  for (int i = 0; i < NET_DNS_CACHE_ENTRIES; i++) d->cache[i].used = false;
}
