// The one network interface: its Ethernet and IPv4 configuration.
#ifndef NET_CORE_NETIF_H_
#define NET_CORE_NETIF_H_

#include <stdbool.h>
#include <stdint.h>

#include "net/core/net_err.h"
#include "net/core/net_opts.h"
#include "net/ipv4/ipv4_addr.h"

#define NET_MAC_LEN 6

struct netif {
  uint8_t mac[NET_MAC_LEN];
  ipv4_addr_t addr;
  uint8_t prefix;  // 0..32
  ipv4_addr_t gw;  // IPV4_ANY: no default route
  ipv4_addr_t dns[NET_DNS_MAX_SERVERS];
  uint8_t dns_count;
  uint16_t mtu;  // IP MTU (payload of an Ethernet frame)
  bool up;
};

// Zeroes the interface and sets the default MTU.
void netif_init(struct netif *nif);

// True for our own unicast address.
static inline bool netif_is_local(const struct netif *nif, ipv4_addr_t a) {
  return a != IPV4_ANY && a == nif->addr;
}

// True for 255.255.255.255 and the subnet's directed broadcast.
bool netif_is_broadcast(const struct netif *nif, ipv4_addr_t a);

// True when dst is on the local subnet (reachable without a gateway).
bool netif_on_link(const struct netif *nif, ipv4_addr_t dst);

// Picks the next hop for dst: dst itself on-link (or broadcast), else the gateway.
// NET_ERR_NETUNREACH when dst is off-link and there is no gateway (or the gateway is off-link).
int netif_next_hop(const struct netif *nif, ipv4_addr_t dst, ipv4_addr_t *hop);

// Parses "aa:bb:cc:dd:ee:ff" (hex, case-insensitive, ':' or '-' separators).
bool net_mac_parse(const char *s, uint8_t mac[NET_MAC_LEN]);

// Formats as "aa:bb:cc:dd:ee:ff" into buf (at least 18 bytes); returns buf.
char *net_mac_format(const uint8_t mac[NET_MAC_LEN], char *buf);

#endif  // NET_CORE_NETIF_H_
