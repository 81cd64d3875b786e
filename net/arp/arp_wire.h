// ARP for IPv4 over Ethernet (RFC 826) parse/emit (no state).
#ifndef NET_ARP_ARP_WIRE_H_
#define NET_ARP_ARP_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/ipv4/ipv4_addr.h"

#define ARP_PKT_LEN 28
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

struct arp_pkt {
  uint16_t op;
  uint8_t sha[6];
  ipv4_addr_t spa;
  uint8_t tha[6];
  ipv4_addr_t tpa;
};

// Accepts only Ethernet/IPv4 (htype 1, ptype 0x0800, hlen 6, plen 4) requests and replies;
// trailing bytes (Ethernet padding) are ignored.
bool arp_parse(const uint8_t *buf, size_t len, struct arp_pkt *out);

// Writes ARP_PKT_LEN bytes.
void arp_emit(uint8_t *buf, const struct arp_pkt *pkt);

#endif  // NET_ARP_ARP_WIRE_H_
