// DNS stub resolver: A lookups over UDP with a fresh random source port and transaction id per
// attempt, retries across the configured servers, CNAME chains (re-querying the chain's end when
// the server did not include its addresses), and a bounded TTL cache.
#ifndef NET_DNS_DNS_H_
#define NET_DNS_DNS_H_

#include <stdbool.h>
#include <stdint.h>

#include "net/core/core.h"
#include "net/core/net_opts.h"
#include "net/core/timer.h"
#include "net/dns/dns_wire.h"
#include "net/udp/udp.h"

#ifndef NET_DNS_MAX_QUERIES
#define NET_DNS_MAX_QUERIES 4
#endif

struct dns_result {
  ipv4_addr_t addrs[NET_DNS_MAX_ADDRS];
  unsigned count;
  char canonical[DNS_NAME_BUF];  // CNAME chain end ("" when equal to the name asked)
  uint32_t ttl_s;
  bool from_cache;
};

enum dns_query_state { DNS_Q_FREE = 0, DNS_Q_PENDING, DNS_Q_DONE };

struct dns_query {
  enum dns_query_state state;
  struct dns *dns;
  char name[DNS_NAME_BUF];     // as asked (cache key)
  char current[DNS_NAME_BUF];  // name on the wire now (differs after a CNAME re-query)
  uint16_t id;
  unsigned attempt;  // sends so far for `current`
  unsigned cname_requeries;
  ipv4_addr_t server;
  struct udp_sock *sock;
  struct net_timer timer;
  uint32_t ttl_s;  // min TTL along the chain so far
  int result;      // final net_err_t once DONE
  struct dns_result res;
};

struct dns_cache_entry {
  bool used;
  char name[DNS_NAME_BUF];
  ipv4_addr_t addrs[NET_DNS_MAX_ADDRS];
  unsigned count;
  char canonical[DNS_NAME_BUF];
  uint64_t expires_ms;
};

struct dns {
  struct net_core *core;
  struct udp *udp;
  struct dns_query queries[NET_DNS_MAX_QUERIES];
  struct dns_cache_entry cache[NET_DNS_CACHE_ENTRIES];
};

void dns_init(struct dns *d, struct net_core *core, struct udp *udp);

// Starts resolving name (servers: core->netif.dns). Returns a handle >= 0, or NET_ERR_INVAL
// (bad name, no server), NET_ERR_NOMEM (NET_DNS_MAX_QUERIES busy). Dotted-quad names and cache
// hits complete at once (the handle is still valid for dns_result).
int dns_resolve_start(struct dns *d, const char *name);

// NET_ERR_INPROGRESS while pending. Otherwise the final status (NET_OK with *out filled,
// NET_ERR_NOTFOUND for NXDOMAIN, NET_ERR_NODATA, NET_ERR_SERVFAIL, NET_ERR_TIMEDOUT,
// NET_ERR_CONNREFUSED ...) and the handle is released.
int dns_resolve_result(struct dns *d, int handle, struct dns_result *out);

// Abandons a query (pending or done) and releases the handle.
void dns_cancel(struct dns *d, int handle);

void dns_cache_flush(struct dns *d);

#endif  // NET_DNS_DNS_H_
