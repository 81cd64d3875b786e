#include "net/core/netif.h"

#include <string.h>

void netif_init(struct netif *nif) {
  memset(nif, 0, sizeof(*nif));
  nif->mtu = NET_MTU_DEFAULT;
}

bool netif_is_broadcast(const struct netif *nif, ipv4_addr_t a) {
  if (a == IPV4_BROADCAST) return true;
  // A /31 or /32 has no directed broadcast (RFC 3021).
  if (nif->prefix >= 31) return false;
  ipv4_addr_t mask = ipv4_prefix_mask(nif->prefix);
  return (a & mask) == (nif->addr & mask) && (a & ~mask) == ~mask;
}

bool netif_on_link(const struct netif *nif, ipv4_addr_t dst) {
  return nif->addr != IPV4_ANY && ipv4_same_subnet(dst, nif->addr, nif->prefix);
}

int netif_next_hop(const struct netif *nif, ipv4_addr_t dst, ipv4_addr_t *hop) {
  if (dst == IPV4_BROADCAST || netif_on_link(nif, dst)) {
    *hop = dst;
    return NET_OK;
  }
  if (nif->gw != IPV4_ANY && netif_on_link(nif, nif->gw)) {
    *hop = nif->gw;
    return NET_OK;
  }
  return NET_ERR_NETUNREACH;
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool net_mac_parse(const char *s, uint8_t mac[NET_MAC_LEN]) {
  if (!s) return false;
  uint8_t out[NET_MAC_LEN];
  for (int i = 0; i < NET_MAC_LEN; i++) {
    int hi = hexval(s[0]);
    int lo = hi < 0 ? -1 : hexval(s[1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = (uint8_t)(hi << 4 | lo);
    s += 2;
    if (i < NET_MAC_LEN - 1) {
      if (*s != ':' && *s != '-') return false;
      s++;
    }
  }
  if (*s != '\0') return false;
  memcpy(mac, out, NET_MAC_LEN);
  return true;
}

char *net_mac_format(const uint8_t mac[NET_MAC_LEN], char *buf) {
  static const char kHex[] = "0123456789abcdef";
  char *p = buf;
  for (int i = 0; i < NET_MAC_LEN; i++) {
    *p++ = kHex[mac[i] >> 4];
    *p++ = kHex[mac[i] & 15];
    *p++ = i < NET_MAC_LEN - 1 ? ':' : '\0';
  }
  return buf;
}
