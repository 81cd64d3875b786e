// Builds DNS responses for tests.
#ifndef NET_DNS_DNS_TEST_UTIL_H_
#define NET_DNS_DNS_TEST_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

namespace dnstest {

using Bytes = std::vector<uint8_t>;

inline void Put16(Bytes *b, uint16_t v) {
  b->push_back(v >> 8);
  b->push_back(v & 0xff);
}

inline void Put32(Bytes *b, uint32_t v) {
  Put16(b, v >> 16);
  Put16(b, v & 0xffff);
}

// Uncompressed wire name.
inline Bytes Name(const std::string &dotted) {
  Bytes b;
  size_t start = 0;
  while (start <= dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    if (dot > start) {
      b.push_back((uint8_t)(dot - start));
      b.insert(b.end(), dotted.begin() + start, dotted.begin() + dot);
    }
    start = dot + 1;
  }
  b.push_back(0);
  return b;
}

struct Rr {
  Bytes owner;  // wire form (may be a pointer)
  uint16_t type;
  uint32_t ttl;
  Bytes rdata;
};

inline Bytes Response(uint16_t id, uint8_t rcode, const std::string &qname, uint16_t qtype,
                      const std::vector<Rr> &answers, uint8_t flags1 = 0x81) {
  Bytes m;
  Put16(&m, id);
  m.push_back(flags1);
  m.push_back(0x80 | rcode);
  Put16(&m, 1);
  Put16(&m, (uint16_t)answers.size());
  Put16(&m, 0);
  Put16(&m, 0);
  Bytes q = Name(qname);
  m.insert(m.end(), q.begin(), q.end());
  Put16(&m, qtype);
  Put16(&m, 1);
  for (const Rr &r : answers) {
    m.insert(m.end(), r.owner.begin(), r.owner.end());
    Put16(&m, r.type);
    Put16(&m, 1);
    Put32(&m, r.ttl);
    Put16(&m, (uint16_t)r.rdata.size());
    m.insert(m.end(), r.rdata.begin(), r.rdata.end());
  }
  return m;
}

inline Bytes Ptr(uint16_t off) { return {(uint8_t)(0xc0 | (off >> 8)), (uint8_t)off}; }
inline Bytes A(uint8_t a, uint8_t b, uint8_t c, uint8_t d) { return {a, b, c, d}; }

}  // namespace dnstest

#endif  // NET_DNS_DNS_TEST_UTIL_H_
