#include <gtest/gtest.h>

#include "net/dns/dns_test_util.h"

extern "C" {
#include "net/dns/dns_wire.h"
}

using namespace dnstest;

namespace {

dns_parse_status Parse(const Bytes &m, uint16_t id, const char *q, dns_response *r,
                       uint16_t qtype = DNS_TYPE_A) {
  return dns_parse_response(m.data(), m.size(), id, q, qtype, r);
}

TEST(DnsWire, BuildsQuery) {
  uint8_t buf[300];
  int n = dns_build_query(buf, sizeof(buf), 0xabcd, "www.Example.test.", DNS_TYPE_A);
  Bytes expect = {0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  Bytes name = Name("www.Example.test");
  expect.insert(expect.end(), name.begin(), name.end());
  expect.insert(expect.end(), {0, 1, 0, 1});
  ASSERT_EQ(n, (int)expect.size());
  EXPECT_EQ(Bytes(buf, buf + n), expect);
  EXPECT_EQ(dns_build_query(buf, 10, 1, "a.test", DNS_TYPE_A), -1);
  for (std::string bad : {std::string(""), std::string("."), std::string("a..b"), std::string(".a"),
                          std::string("a b"), std::string(64, 'x')}) {
    EXPECT_EQ(dns_build_query(buf, sizeof(buf), 1, bad.c_str(), DNS_TYPE_A), -1) << bad;
  }
  std::string long_name;
  for (int i = 0; i < 64; i++) long_name += "abc.";
  EXPECT_FALSE(dns_name_valid(long_name.c_str()));  // 256 characters
  EXPECT_TRUE(dns_name_valid("_srv.a-b.test"));
}

TEST(DnsWire, ParsesARecordsCaseInsensitively) {
  Bytes m = Response(7, 0, "A.Test", DNS_TYPE_A,
                     {{Ptr(12), DNS_TYPE_A, 300, A(10, 0, 0, 5)},
                      {Name("a.TEST"), DNS_TYPE_A, 100, A(10, 0, 0, 6)},
                      {Name("other.test"), DNS_TYPE_A, 1, A(1, 1, 1, 1)}});
  dns_response r;
  ASSERT_EQ(Parse(m, 7, "a.test", &r), DNS_PARSE_OK);
  ASSERT_EQ(r.a_count, 2u);
  EXPECT_EQ(r.a[0], IPV4_ADDR(10, 0, 0, 5));
  EXPECT_EQ(r.a[1], IPV4_ADDR(10, 0, 0, 6));
  EXPECT_EQ(r.ttl, 100u);
  EXPECT_EQ(r.rcode, 0);
  EXPECT_EQ(r.cname_hops, 0u);
  EXPECT_STREQ(r.canonical, "a.test");
}

TEST(DnsWire, FollowsCnameChainsInAnyOrder) {
  // www -> mid -> real, records deliberately out of order, names compressed.
  Bytes m = Response(1, 0, "www.x.test", DNS_TYPE_A, {});
  size_t qname_off = 12;
  auto add = [&](const Bytes &owner, uint16_t type, uint32_t ttl, const Bytes &rdata) {
    m.insert(m.end(), owner.begin(), owner.end());
    Put16(&m, type);
    Put16(&m, 1);
    Put32(&m, ttl);
    Put16(&m, (uint16_t)rdata.size());
    m.insert(m.end(), rdata.begin(), rdata.end());
  };
  // "real" + pointer to "x.test" (offset 12 + 4).
  Bytes real = {4, 'r', 'e', 'a', 'l'};
  Bytes xtest = Ptr((uint16_t)(qname_off + 4));
  real.insert(real.end(), xtest.begin(), xtest.end());
  size_t real_a_owner = m.size();
  add(real, DNS_TYPE_A, 50, A(10, 9, 0, 60));
  Bytes mid = {3, 'm', 'i', 'd'};
  mid.insert(mid.end(), xtest.begin(), xtest.end());
  size_t mid_cname_owner = m.size();
  add(mid, DNS_TYPE_CNAME, 40, Ptr((uint16_t)real_a_owner));
  add(Ptr((uint16_t)qname_off), DNS_TYPE_CNAME, 90, Ptr((uint16_t)mid_cname_owner));
  m[7] = 3;  // ancount
  dns_response r;
  ASSERT_EQ(Parse(m, 1, "www.x.test", &r), DNS_PARSE_OK);
  EXPECT_EQ(r.cname_hops, 2u);
  EXPECT_STREQ(r.canonical, "real.x.test");
  ASSERT_EQ(r.a_count, 1u);
  EXPECT_EQ(r.a[0], IPV4_ADDR(10, 9, 0, 60));
  EXPECT_EQ(r.ttl, 40u);
}

TEST(DnsWire, CnameLoopsAndOverlongChainsAreRejected) {
  Bytes m = Response(1, 0, "a.test", DNS_TYPE_A,
                     {{Name("a.test"), DNS_TYPE_CNAME, 1, Name("b.test")},
                      {Name("b.test"), DNS_TYPE_CNAME, 1, Name("a.test")}});
  dns_response r;
  EXPECT_EQ(Parse(m, 1, "a.test", &r), DNS_PARSE_MALFORMED);
  std::vector<Rr> chain;
  for (int i = 0; i <= NET_DNS_MAX_CNAME_CHAIN; i++) {
    chain.push_back({Name("n" + std::to_string(i) + ".test"), DNS_TYPE_CNAME, 1,
                     Name("n" + std::to_string(i + 1) + ".test")});
  }
  EXPECT_EQ(Parse(Response(1, 0, "n0.test", DNS_TYPE_A, chain), 1, "n0.test", &r),
            DNS_PARSE_MALFORMED);
}

TEST(DnsWire, AaaaRecordsAreParsed) {
  Bytes v6 = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  Bytes m = Response(3, 0, "six.test", DNS_TYPE_AAAA, {{Ptr(12), DNS_TYPE_AAAA, 10, v6}});
  dns_response r;
  ASSERT_EQ(Parse(m, 3, "six.test", &r, DNS_TYPE_AAAA), DNS_PARSE_OK);
  ASSERT_EQ(r.aaaa_count, 1u);
  EXPECT_EQ(Bytes(r.aaaa[0], r.aaaa[0] + 16), v6);
  Bytes bad = Response(3, 0, "six.test", DNS_TYPE_AAAA, {{Ptr(12), DNS_TYPE_AAAA, 10, {1, 2}}});
  EXPECT_EQ(Parse(bad, 3, "six.test", &r, DNS_TYPE_AAAA), DNS_PARSE_MALFORMED);
}

TEST(DnsWire, MismatchesAreReported) {
  Bytes m = Response(9, 0, "a.test", DNS_TYPE_A, {{Ptr(12), DNS_TYPE_A, 1, A(1, 2, 3, 4)}});
  dns_response r;
  EXPECT_EQ(Parse(m, 8, "a.test", &r), DNS_PARSE_MISMATCH);  // id
  EXPECT_EQ(Parse(m, 9, "b.test", &r), DNS_PARSE_MISMATCH);  // question
  EXPECT_EQ(Parse(m, 9, "a.test", &r, DNS_TYPE_AAAA), DNS_PARSE_MISMATCH);
  Bytes query = m;
  query[2] &= 0x7f;  // QR clear: a query, not a response
  EXPECT_EQ(Parse(query, 9, "a.test", &r), DNS_PARSE_MISMATCH);
  Bytes nx = Response(9, 3, "a.test", DNS_TYPE_A, {});
  ASSERT_EQ(Parse(nx, 9, "a.test", &r), DNS_PARSE_OK);
  EXPECT_EQ(r.rcode, 3);
}

// RFC 9267's catalogue of name-decompression bugs.
TEST(DnsWire, CompressionPointersAreSafe) {
  char out[DNS_NAME_BUF];
  // Pointer to itself.
  Bytes self = {0xc0, 0};
  EXPECT_EQ(dns_read_name(self.data(), self.size(), 0, out), -1);
  // Two pointers pointing at each other.
  Bytes pair = {1, 'a', 0xc0, 4, 0xc0, 0};
  EXPECT_EQ(dns_read_name(pair.data(), pair.size(), 0, out), -1);
  // Forward pointer (even to a valid name).
  Bytes fwd = {0xc0, 2, 1, 'a', 0};
  EXPECT_EQ(dns_read_name(fwd.data(), fwd.size(), 0, out), -1);
  // Pointer beyond the message, and a truncated pointer.
  Bytes oob = {1, 'a', 0, 0xc0, 0x50};
  EXPECT_EQ(dns_read_name(oob.data(), oob.size(), 3, out), -1);
  Bytes half = {1, 'a', 0, 0xc0};
  EXPECT_EQ(dns_read_name(half.data(), half.size(), 3, out), -1);
  // Label running past the end; missing terminator.
  Bytes run = {5, 'a', 'b'};
  EXPECT_EQ(dns_read_name(run.data(), run.size(), 0, out), -1);
  Bytes noterm = {1, 'a'};
  EXPECT_EQ(dns_read_name(noterm.data(), noterm.size(), 0, out), -1);
  // Reserved label types 0x40/0x80.
  Bytes ext = {0x41, 'a', 0};
  EXPECT_EQ(dns_read_name(ext.data(), ext.size(), 0, out), -1);
  // A dot or NUL inside a label would make text comparisons ambiguous.
  Bytes dot = {3, 'a', '.', 'b', 0};
  EXPECT_EQ(dns_read_name(dot.data(), dot.size(), 0, out), -1);
  Bytes nul = {3, 'a', 0, 'b', 0};
  EXPECT_EQ(dns_read_name(nul.data(), nul.size(), 0, out), -1);
  // Names longer than 255 bytes, also when assembled through pointers.
  Bytes longname;
  for (int i = 0; i < 5; i++) {
    longname.push_back(63);
    longname.insert(longname.end(), 63, 'x');
  }
  longname.push_back(0);
  EXPECT_EQ(dns_read_name(longname.data(), longname.size(), 0, out), -1);
  Bytes chained;
  for (int i = 0; i < 3; i++) {
    chained.push_back(63);
    chained.insert(chained.end(), 63, 'y');
  }
  chained.push_back(0);  // 193 bytes, fine on its own
  size_t second = chained.size();
  chained.push_back(63);
  chained.insert(chained.end(), 63, 'z');
  Bytes p = Ptr(0);
  chained.insert(chained.end(), p.begin(), p.end());  // 64 + 193 = 257 > 255
  EXPECT_GT(dns_read_name(chained.data(), chained.size(), 0, out), 0);
  EXPECT_EQ(dns_read_name(chained.data(), chained.size(), second, out), -1);
  // A good compressed name: returns the offset after the pointer, not after the target.
  Bytes good = {1, 'b', 0, 1, 'a', 0xc0, 0};
  EXPECT_EQ(dns_read_name(good.data(), good.size(), 3, out), 7);
  EXPECT_STREQ(out, "a.b");
  Bytes root = {0};
  EXPECT_EQ(dns_read_name(root.data(), root.size(), 0, out), 1);
  EXPECT_STREQ(out, "");
}

TEST(DnsWire, TruncatedRecordsAreMalformed) {
  Bytes m = Response(1, 0, "a.test", DNS_TYPE_A, {{Ptr(12), DNS_TYPE_A, 1, A(1, 2, 3, 4)}});
  dns_response r;
  for (size_t cut = 12; cut < m.size(); cut++) {
    Bytes t(m.begin(), m.begin() + cut);
    EXPECT_NE(Parse(t, 1, "a.test", &r), DNS_PARSE_OK) << cut;
  }
  Bytes huge_rdlen = m;
  huge_rdlen[huge_rdlen.size() - 5] = 0xff;
  EXPECT_EQ(Parse(huge_rdlen, 1, "a.test", &r), DNS_PARSE_MALFORMED);
}

}  // namespace
