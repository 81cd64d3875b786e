// The resolver against a scripted server on the fake link.
#include "net/dns/dns_test_util.h"
#include "net/testing/stack_fixture.h"

extern "C" {
#include "net/core/net_err.h"
#include "net/dns/dns.h"
#include "net/icmp/icmp_wire.h"
#include "net/udp/udp_wire.h"
}

using namespace nettest;

namespace {

struct Query {
  uint16_t sport, id;
  std::string name;
};

class DnsTest : public StackTest {
 protected:
  // Every DNS query the stack sent since the last call.
  std::vector<Query> Queries() {
    std::vector<Query> out;
    for (auto &d : SentIp()) {
      if (d.hdr.proto != 17 || d.hdr.dst != kPeerIp) continue;
      EXPECT_EQ(net_get16(&d.payload[2]), 53);
      Query q;
      q.sport = net_get16(&d.payload[0]);
      q.id = net_get16(&d.payload[8]);
      char name[DNS_NAME_BUF];
      EXPECT_GT(dns_read_name(d.payload.data() + 8, d.payload.size() - 8, 12, name), 0);
      q.name = name;
      out.push_back(q);
      last_raw_ = d.payload;
    }
    return out;
  }
  void Answer(const Query &q, const dnstest::Bytes &msg, uint16_t from_port = 53) {
    InIp(17, Udp(kPeerIp, kStackIp, from_port, q.sport, msg));
  }
  int Result(int h, dns_result *r) { return dns_resolve_result(&s_->dns, h, r); }
  Bytes last_raw_;
};

TEST_F(DnsTest, ResolvesAndCaches) {
  int h = dns_resolve_start(&s_->dns, "Host.Test");
  ASSERT_GE(h, 0);
  auto qs = Queries();
  ASSERT_EQ(qs.size(), 1u);
  EXPECT_EQ(qs[0].name, "host.test");
  EXPECT_GE(qs[0].sport, NET_EPHEMERAL_PORT_MIN);
  dns_result r;
  EXPECT_EQ(Result(h, &r), NET_ERR_INPROGRESS);
  Answer(qs[0], dnstest::Response(qs[0].id, 0, "host.test", DNS_TYPE_A,
                                  {{dnstest::Ptr(12), DNS_TYPE_A, 120, dnstest::A(10, 1, 2, 3)}}));
  ASSERT_EQ(Result(h, &r), NET_OK);
  ASSERT_EQ(r.count, 1u);
  EXPECT_EQ(r.addrs[0], IPV4_ADDR(10, 1, 2, 3));
  EXPECT_FALSE(r.from_cache);
  EXPECT_EQ(s_->core.stats.udp_sockets, 0u);  // the query's socket is gone
  // Second lookup: from the cache, no packet.
  h = dns_resolve_start(&s_->dns, "host.test.");
  ASSERT_EQ(Result(h, &r), NET_OK);
  EXPECT_TRUE(r.from_cache);
  EXPECT_TRUE(Queries().empty());
  EXPECT_EQ(s_->core.stats.dns_cache_hits, 1u);
  // After the TTL, it asks again.
  Advance(121 * 1000);
  h = dns_resolve_start(&s_->dns, "host.test");
  EXPECT_EQ(Queries().size(), 1u);
  dns_cancel(&s_->dns, h);
}

TEST_F(DnsTest, IgnoresSpoofedAnswersAndRetriesWithFreshIdAndPort) {
  int h = dns_resolve_start(&s_->dns, "a.test");
  auto q1 = Queries();
  ASSERT_EQ(q1.size(), 1u);
  auto good = [&](const Query &q) {
    return dnstest::Response(q.id, 0, "a.test", DNS_TYPE_A,
                             {{dnstest::Ptr(12), DNS_TYPE_A, 60, dnstest::A(10, 0, 0, 50)}});
  };
  Query wrong_id = q1[0];
  wrong_id.id ^= 1;
  Answer(q1[0], good(wrong_id));   // wrong transaction id
  Answer(q1[0], good(q1[0]), 54);  // wrong source port: no socket matches
  dnstest::Bytes wrong_q = dnstest::Response(q1[0].id, 0, "b.test", DNS_TYPE_A, {});
  Answer(q1[0], wrong_q);  // wrong question
  dns_result r;
  EXPECT_EQ(Result(h, &r), NET_ERR_INPROGRESS);
  EXPECT_EQ(Drops(NET_DROP_DNS_MISMATCH), 2u);
  Advance(NET_DNS_TIMEOUT_MS);
  auto q2 = Queries();
  ASSERT_EQ(q2.size(), 1u);
  EXPECT_NE(q2[0].sport, q1[0].sport);
  EXPECT_NE(q2[0].id, q1[0].id);
  Answer(q1[0], good(q1[0]));  // the late answer to the first try: its socket is closed
  EXPECT_EQ(Result(h, &r), NET_ERR_INPROGRESS);
  Answer(q2[0], good(q2[0]));
  ASSERT_EQ(Result(h, &r), NET_OK);
  EXPECT_EQ(r.addrs[0], IPV4_ADDR(10, 0, 0, 50));
}

TEST_F(DnsTest, TimesOutAfterAllTries) {
  int h = dns_resolve_start(&s_->dns, "slow.test");
  int sent = 0, rc = NET_ERR_INPROGRESS;
  dns_result r;
  uint64_t start = plat_->now_us;
  for (int i = 0; i < 20 && rc == NET_ERR_INPROGRESS; i++) {
    sent += (int)Queries().size();
    Advance(NET_DNS_TIMEOUT_MS / 2);
    rc = Result(h, &r);
  }
  sent += (int)Queries().size();
  EXPECT_EQ(rc, NET_ERR_TIMEDOUT);
  EXPECT_EQ(sent, NET_DNS_TRIES);
  EXPECT_EQ(plat_->now_us - start, (uint64_t)NET_DNS_TRIES * NET_DNS_TIMEOUT_MS * 1000);
  EXPECT_EQ(s_->core.stats.dns_queries, (uint64_t)NET_DNS_TRIES);
  EXPECT_EQ(s_->core.stats.udp_sockets, 0u);
}

TEST_F(DnsTest, ReportsNxdomainAndNodata) {
  int h = dns_resolve_start(&s_->dns, "nope.test");
  auto q = Queries();
  ASSERT_EQ(q.size(), 1u);
  Answer(q[0], dnstest::Response(q[0].id, 3, "nope.test", DNS_TYPE_A, {}));
  dns_result r;
  EXPECT_EQ(Result(h, &r), NET_ERR_NOTFOUND);
  h = dns_resolve_start(&s_->dns, "empty.test");
  q = Queries();
  Answer(q[0], dnstest::Response(q[0].id, 0, "empty.test", DNS_TYPE_A, {}));
  EXPECT_EQ(Result(h, &r), NET_ERR_NODATA);
}

TEST_F(DnsTest, RequeriesTheEndOfAnIncompleteCnameChain) {
  int h = dns_resolve_start(&s_->dns, "alias.test");
  auto q = Queries();
  ASSERT_EQ(q.size(), 1u);
  Answer(q[0],
         dnstest::Response(q[0].id, 0, "alias.test", DNS_TYPE_A,
                           {{dnstest::Ptr(12), DNS_TYPE_CNAME, 30, dnstest::Name("t.test")}}));
  auto q2 = Queries();
  ASSERT_EQ(q2.size(), 1u);
  EXPECT_EQ(q2[0].name, "t.test");
  Answer(q2[0], dnstest::Response(q2[0].id, 0, "t.test", DNS_TYPE_A,
                                  {{dnstest::Ptr(12), DNS_TYPE_A, 300, dnstest::A(1, 2, 3, 4)}}));
  dns_result r;
  ASSERT_EQ(Result(h, &r), NET_OK);
  EXPECT_STREQ(r.canonical, "t.test");
  EXPECT_EQ(r.addrs[0], IPV4_ADDR(1, 2, 3, 4));
  EXPECT_EQ(r.ttl_s, 30u);  // the chain is only as fresh as its shortest TTL
}

TEST_F(DnsTest, PortUnreachableMovesOnAndIsReported) {
  int h = dns_resolve_start(&s_->dns, "a.test");
  dns_result r;
  for (int i = 0; i < NET_DNS_TRIES; i++) {
    auto q = Queries();
    ASSERT_EQ(q.size(), 1u) << i;
    Bytes quote = Ipv4(kStackIp, kPeerIp, 17, last_raw_);
    InIp(1, Icmp(ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, 0, quote));
  }
  EXPECT_EQ(Result(h, &r), NET_ERR_CONNREFUSED);
}

TEST_F(DnsTest, LiteralsInvalidNamesAndLimits) {
  dns_result r;
  int h = dns_resolve_start(&s_->dns, "192.0.2.7");
  ASSERT_EQ(Result(h, &r), NET_OK);
  EXPECT_EQ(r.addrs[0], IPV4_ADDR(192, 0, 2, 7));
  EXPECT_TRUE(Queries().empty());
  EXPECT_EQ(dns_resolve_start(&s_->dns, "bad..name"), NET_ERR_INVAL);
  EXPECT_EQ(dns_resolve_result(&s_->dns, 99, &r), NET_ERR_INVAL);
  int hs[NET_DNS_MAX_QUERIES];
  for (int i = 0; i < NET_DNS_MAX_QUERIES; i++) {
    hs[i] = dns_resolve_start(&s_->dns, ("q" + std::to_string(i) + ".test").c_str());
    ASSERT_GE(hs[i], 0);
  }
  EXPECT_EQ(dns_resolve_start(&s_->dns, "more.test"), NET_ERR_NOMEM);
  for (int i = 0; i < NET_DNS_MAX_QUERIES; i++) dns_cancel(&s_->dns, hs[i]);
  EXPECT_EQ(s_->core.stats.udp_sockets, 0u);
}

}  // namespace
