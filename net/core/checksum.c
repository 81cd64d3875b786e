#include "net/core/checksum.h"

uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len) {
  const uint8_t *p = (const uint8_t *)data;
  // 64-bit accumulator: a 64 KiB datagram cannot overflow it; folded back to 32 bits at the end.
  uint64_t acc = sum;
  while (len >= 2) {
    acc += (uint32_t)((p[0] << 8) | p[1]);
    p += 2;
    len -= 2;
  }
  if (len) acc += (uint32_t)(p[0] << 8);
  while (acc >> 32) acc = (acc & 0xffffffffu) + (acc >> 32);
  return (uint32_t)acc;
}

uint16_t net_cksum_finish(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

uint16_t net_cksum(const void *data, size_t len) {
  return net_cksum_finish(net_cksum_add(0, data, len));
}

uint32_t net_cksum_pseudo_ipv4(ipv4_addr_t src, ipv4_addr_t dst, uint8_t proto, uint16_t len) {
  uint64_t acc = (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
  while (acc >> 32) acc = (acc & 0xffffffffu) + (acc >> 32);
  return (uint32_t)acc;
}
