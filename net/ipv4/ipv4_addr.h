// IPv4 addresses as host-order uint32_t: compare, mask and print without byte swapping; the wire
// code converts at the edges.
#ifndef NET_IPV4_IPV4_ADDR_H_
#define NET_IPV4_IPV4_ADDR_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint32_t ipv4_addr_t;

#define IPV4_ADDR(a, b, c, d)                                                           \
  ((ipv4_addr_t)(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | \
                 (uint32_t)(d)))
#define IPV4_ANY ((ipv4_addr_t)0)
#define IPV4_BROADCAST ((ipv4_addr_t)0xffffffffu)

// Longest text form "255.255.255.255" plus NUL.
#define IPV4_ADDR_STRLEN 16

// Netmask for a prefix length 0..32 (larger values are clamped to 32).
ipv4_addr_t ipv4_prefix_mask(unsigned prefix);

// True when a and b are in the same subnet of the given prefix length.
bool ipv4_same_subnet(ipv4_addr_t a, ipv4_addr_t b, unsigned prefix);

static inline bool ipv4_is_multicast(ipv4_addr_t a) { return (a >> 28) == 0xe; }
static inline bool ipv4_is_loopback(ipv4_addr_t a) { return (a >> 24) == 127; }

// Parses dotted-quad text (exactly four decimal parts 0..255, no leading '+'/'-', no trailing
// junk). Returns false on anything else.
bool ipv4_addr_parse(const char *s, ipv4_addr_t *out);

// Parses "A.B.C.D/P" (P 0..32). Without "/P" the prefix is 32.
bool ipv4_cidr_parse(const char *s, ipv4_addr_t *addr, unsigned *prefix);

// Writes dotted-quad text into buf (at least IPV4_ADDR_STRLEN bytes) and returns buf.
char *ipv4_addr_format(ipv4_addr_t a, char *buf);

// Big-endian load/store used by all wire code.
static inline uint16_t net_get16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t net_get32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void net_put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static inline void net_put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

#endif  // NET_IPV4_IPV4_ADDR_H_
