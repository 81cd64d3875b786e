// Ethernet II header parse/emit (no state).
#ifndef NET_ETHERNET_ETH_WIRE_H_
#define NET_ETHERNET_ETH_WIRE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ETH_HDR_LEN 14
#define ETH_MIN_FRAME 60  // without FCS
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_IPV6 0x86dd

struct eth_hdr {
  uint8_t dst[6];
  uint8_t src[6];
  uint16_t type;
};

// Parses the header; false if the frame is shorter than ETH_HDR_LEN or the type field is an
// 802.3 length (< 0x0600), which we do not speak.
bool eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *out);

// Writes the 14-byte header.
void eth_emit(uint8_t *buf, const struct eth_hdr *h);

static inline bool eth_is_broadcast(const uint8_t mac[6]) {
  return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff;
}
static inline bool eth_is_multicast(const uint8_t mac[6]) { return (mac[0] & 1) != 0; }

extern const uint8_t kEthBroadcast[6];

#endif  // NET_ETHERNET_ETH_WIRE_H_
