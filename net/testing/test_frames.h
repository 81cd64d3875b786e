// Helpers for C++ unit tests: building frames and datagrams byte by byte.
#ifndef NET_TESTING_TEST_FRAMES_H_
#define NET_TESTING_TEST_FRAMES_H_

#include <cstdint>
#include <cstring>
#include <vector>

extern "C" {
#include "net/core/checksum.h"
#include "net/ipv4/ipv4_addr.h"
}

namespace nettest {

using Bytes = std::vector<uint8_t>;

// The addresses every single-stack test uses: the stack under test and its one peer on
// 10.0.0.0/24.
constexpr uint8_t kStackMac[6] = {0x02, 0, 0, 0, 0, 0x02};
constexpr uint8_t kPeerMac[6] = {0x02, 0, 0, 0, 0, 0x01};
constexpr uint8_t kBroadcastMac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
constexpr ipv4_addr_t kStackIp = IPV4_ADDR(10, 0, 0, 2);
constexpr ipv4_addr_t kPeerIp = IPV4_ADDR(10, 0, 0, 1);

inline Bytes EthFrame(const uint8_t dst[6], const uint8_t src[6], uint16_t type,
                      const Bytes &payload) {
  Bytes f(dst, dst + 6);
  f.insert(f.end(), src, src + 6);
  f.push_back(type >> 8);
  f.push_back(type & 0xff);
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

// An ARP packet for IPv4 over Ethernet (RFC 826), 28 bytes, written field by field (not with
// the stack's own emitter).
inline Bytes Arp(uint16_t op, const uint8_t sha[6], ipv4_addr_t spa, const uint8_t tha[6],
                 ipv4_addr_t tpa) {
  Bytes a(28);
  net_put16(&a[0], 1);       // hardware: Ethernet
  net_put16(&a[2], 0x0800);  // protocol: IPv4
  a[4] = 6;
  a[5] = 4;
  net_put16(&a[6], op);
  std::memcpy(&a[8], sha, 6);
  net_put32(&a[14], spa);
  std::memcpy(&a[18], tha, 6);
  net_put32(&a[24], tpa);
  return a;
}

struct IpOpts {
  uint16_t id = 1;
  bool df = false, mf = false;
  uint32_t frag_offset = 0;  // bytes
  uint8_t ttl = 64;
  Bytes options;  // appended after the 20-byte header (multiple of 4)
};

inline Bytes Ipv4(ipv4_addr_t src, ipv4_addr_t dst, uint8_t proto, const Bytes &payload,
                  const IpOpts &o = IpOpts()) {
  size_t hl = 20 + o.options.size();
  Bytes d(hl);
  d[0] = 0x40 | (uint8_t)(hl / 4);
  uint16_t total = (uint16_t)(hl + payload.size());
  net_put16(&d[2], total);
  net_put16(&d[4], o.id);
  uint16_t frag = (uint16_t)(o.frag_offset / 8);
  if (o.df) frag |= 0x4000;
  if (o.mf) frag |= 0x2000;
  net_put16(&d[6], frag);
  d[8] = o.ttl;
  d[9] = proto;
  net_put32(&d[12], src);
  net_put32(&d[16], dst);
  if (!o.options.empty()) std::memcpy(&d[20], o.options.data(), o.options.size());
  net_put16(&d[10], net_cksum(d.data(), hl));
  d.insert(d.end(), payload.begin(), payload.end());
  return d;
}

inline Bytes Udp(ipv4_addr_t src, ipv4_addr_t dst, uint16_t sport, uint16_t dport,
                 const Bytes &payload, bool checksum = true) {
  Bytes u(8);
  net_put16(&u[0], sport);
  net_put16(&u[2], dport);
  net_put16(&u[4], (uint16_t)(8 + payload.size()));
  u.insert(u.end(), payload.begin(), payload.end());
  if (checksum) {
    uint32_t s = net_cksum_pseudo_ipv4(src, dst, 17, (uint16_t)u.size());
    uint16_t c = net_cksum_finish(net_cksum_add(s, u.data(), u.size()));
    net_put16(&u[6], c ? c : 0xffff);
  }
  return u;
}

inline Bytes Icmp(uint8_t type, uint8_t code, uint32_t rest, const Bytes &body) {
  Bytes m(8);
  m[0] = type;
  m[1] = code;
  net_put32(&m[4], rest);
  m.insert(m.end(), body.begin(), body.end());
  net_put16(&m[2], net_cksum(m.data(), m.size()));
  return m;
}

}  // namespace nettest

#endif  // NET_TESTING_TEST_FRAMES_H_
