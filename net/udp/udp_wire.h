// UDP (RFC 768) header parse/emit with the IPv4 pseudo-header checksum (no state).
#ifndef NET_UDP_UDP_WIRE_H_
#define NET_UDP_UDP_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/stats.h"
#include "net/ipv4/ipv4_addr.h"

#define UDP_HDR_LEN 8
#define UDP_MAX_PAYLOAD (65535 - 20 - UDP_HDR_LEN)

struct udp_hdr {
  uint16_t src_port;
  uint16_t dst_port;
  uint16_t len;  // header + payload, as carried in the header
};

// Validates length (header field >= 8 and <= len; the payload is the first hdr.len - 8 bytes)
// and the checksum (0 means "none" and is accepted, RFC 768).
bool udp_parse(const uint8_t *buf, size_t len, ipv4_addr_t src, ipv4_addr_t dst,
               struct udp_hdr *out, enum net_drop_reason *why);

// Writes the header in front of `payload_len` bytes that follow it in buf and computes the
// checksum (a computed 0 is sent as 0xffff).
void udp_emit(uint8_t *buf, uint16_t src_port, uint16_t dst_port, size_t payload_len,
              ipv4_addr_t src, ipv4_addr_t dst);

#endif  // NET_UDP_UDP_WIRE_H_
