// The Internet checksum (RFC 1071) and the IPv4 pseudo-header used by UDP and TCP (RFC 768/9293).
#ifndef NET_CORE_CHECKSUM_H_
#define NET_CORE_CHECKSUM_H_

#include <stddef.h>
#include <stdint.h>

#include "net/ipv4/ipv4_addr.h"

// Adds `len` bytes to a running 32-bit one's-complement accumulator. Bytes are taken as
// big-endian 16-bit words; an odd trailing byte is padded with zero, so only the LAST chunk of
// a multi-part sum may have odd length.
uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len);

// Folds the accumulator to 16 bits and complements it: the value to store in a header (host order;
// write it with net_put16). A buffer whose stored checksum is right sums to 0 here.
uint16_t net_cksum_finish(uint32_t sum);

// Checksum of one buffer: net_cksum_finish(net_cksum_add(0, data, len)).
uint16_t net_cksum(const void *data, size_t len);

// Accumulator seeded with the IPv4 pseudo-header (src, dst, zero, protocol, upper-layer length).
uint32_t net_cksum_pseudo_ipv4(ipv4_addr_t src, ipv4_addr_t dst, uint8_t proto, uint16_t len);

#endif  // NET_CORE_CHECKSUM_H_
