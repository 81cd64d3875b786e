#include "net/core/checksum.h"

#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define NET_ASSUME_ALIGNED(p, n) __builtin_assume_aligned((p), (n))
#else
#define NET_ASSUME_ALIGNED(p, n) (p)
#endif

uint32_t net_cksum_add(uint32_t sum, const void *data, size_t len) {
  const uint8_t *p = (const uint8_t *)data;
  // Sum native-order words 8 bytes at a time (memcpy: no alignment assumptions, as the kernel's
  // -mstrict-align requires), fold, then swap to network order once: the one's-complement sum
  // commutes with byte swapping (RFC 1071 section 2B).
  uint64_t acc = 0;
  // Whole 16-bit words up to an 8-byte boundary first (the pairing of bytes into words stays the
  // same), so the loop below loads aligned words: under -mstrict-align an 8-byte memcpy from an
  // address of unknown alignment becomes eight byte loads. Odd addresses keep that slow path.
  if (((uintptr_t)p & 1) == 0) {
    while (((uintptr_t)p & 7) != 0 && len >= 2) {
      uint16_t h;
      memcpy(&h, p, 2);
      acc += h;
      p += 2;
      len -= 2;
    }
    for (; len >= 8; p += 8, len -= 8) {
      uint64_t w;
      memcpy(&w, NET_ASSUME_ALIGNED(p, 8), 8);
      acc += (w & 0xffffffffu) + (w >> 32);
    }
  }
  while (len >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    acc += (w & 0xffffffffu) + (w >> 32);
    p += 8;
    len -= 8;
  }
  while (len >= 2) {
    uint16_t h;
    memcpy(&h, p, 2);
    acc += h;
    p += 2;
    len -= 2;
  }
  while (acc >> 16) acc = (acc & 0xffff) + (acc >> 16);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  acc = ((acc & 0xff) << 8) | (acc >> 8);
#endif
  if (len) acc += (uint32_t)(p[0] << 8);  // odd trailing byte, padded with zero on the right
  acc += sum;
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
