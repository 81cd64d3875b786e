// IPv4 header parse (full validation) and emit (no state).
#ifndef NET_IPV4_IPV4_WIRE_H_
#define NET_IPV4_IPV4_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/stats.h"
#include "net/ipv4/ipv4_addr.h"

#define IPV4_HDR_LEN 20
#define IPV4_MAX_HDR_LEN 60
#define IPV4_FLAG_DF 0x4000
#define IPV4_FLAG_MF 0x2000
#define IPV4_FRAG_MASK 0x1fff

struct ipv4_hdr {
  uint8_t hdr_len;  // bytes, 20..60
  uint8_t tos;
  uint16_t total_len;
  uint16_t id;
  bool df, mf;
  uint32_t frag_offset;  // bytes
  uint8_t ttl;
  uint8_t proto;
  ipv4_addr_t src, dst;
};

// Validates version, IHL, total length against len (the bytes available: trailing Ethernet
// padding is allowed), header checksum, and walks the options (each must be well-formed and
// inside the header). On failure returns false and sets *reason.
bool ipv4_parse(const uint8_t *buf, size_t len, struct ipv4_hdr *out, enum net_drop_reason *reason);

// Writes a 20-byte header (no options) including its checksum.
void ipv4_emit(uint8_t *buf, const struct ipv4_hdr *h);

#endif  // NET_IPV4_IPV4_WIRE_H_
