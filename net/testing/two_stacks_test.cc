// Two whole stacks over the in-memory link: ARP, ping (incl. fragmentation), UDP, errors; with
// seeded loss/duplication/reordering/corruption.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

extern "C" {
#include "net/core/net_err.h"
#include "net/testing/two_stacks.h"
}

namespace {

struct PingWait {
  icmp_ping *pg;
  icmp_ping_reply reply;
  bool got = false;
};

bool GotReply(void *ctx) {
  auto *w = static_cast<PingWait *>(ctx);
  if (!w->got && icmp_ping_next(w->pg, &w->reply)) w->got = true;
  return w->got;
}

std::unique_ptr<two_stacks> Make(const char *ab = nullptr, const char *ba = nullptr,
                                 uint64_t seed = 1) {
  std::unique_ptr<two_stacks> t(new two_stacks);
  impair_cfg cab, cba;
  char err[100];
  if (ab) EXPECT_TRUE(impair_parse(ab, &cab, err, sizeof(err))) << err;
  if (ba) EXPECT_TRUE(impair_parse(ba, &cba, err, sizeof(err))) << err;
  two_stacks_init(t.get(), ab ? &cab : nullptr, ba ? &cba : nullptr, seed);
  return t;
}

void ExpectNoLeaks(two_stacks *t) {
  EXPECT_EQ(pbuf_pool_free_count(&t->a.core.pool), pbuf_pool_total_count(&t->a.core.pool));
  EXPECT_EQ(pbuf_pool_free_count(&t->b.core.pool), pbuf_pool_total_count(&t->b.core.pool));
  EXPECT_EQ(t->a.core.pool.bad_frees, 0u);
  EXPECT_EQ(t->b.core.pool.bad_frees, 0u);
}

}  // namespace

TEST(TwoStacks, GratuitousArpTeachesNothingButPingResolves) {
  auto t = Make();
  uint8_t mac[6];
  two_stacks_run(t.get(), 10, nullptr, nullptr);
  // Gratuitous ARP only refreshes existing entries (RFC 826 merge rule).
  EXPECT_FALSE(arp_lookup(&t->b.arp, TWO_STACKS_ADDR_A, mac));
  icmp_ping pg;
  ASSERT_EQ(icmp_ping_open(&t->a.icmp, &pg, TWO_STACKS_ADDR_B), NET_OK);
  ASSERT_EQ(icmp_ping_send(&pg, 1, 56), NET_OK);
  PingWait w{&pg, {}};
  ASSERT_TRUE(two_stacks_run(t.get(), 1000, GotReply, &w));
  EXPECT_EQ(w.reply.err, NET_OK);
  EXPECT_EQ(w.reply.seq, 1);
  EXPECT_EQ(w.reply.len, 56);
  EXPECT_EQ(w.reply.from, TWO_STACKS_ADDR_B);
  EXPECT_EQ(w.reply.ttl, NET_IP_DEFAULT_TTL);
  ASSERT_TRUE(arp_lookup(&t->a.arp, TWO_STACKS_ADDR_B, mac));
  EXPECT_EQ(mac[5], 0x02);
  ASSERT_TRUE(arp_lookup(&t->b.arp, TWO_STACKS_ADDR_A, mac));  // learned from the request
  EXPECT_EQ(mac[5], 0x01);
  icmp_ping_close(&pg);
  ExpectNoLeaks(t.get());
}

TEST(TwoStacks, BigPingFragmentsAndReassembles) {
  auto t = Make();
  icmp_ping pg;
  ASSERT_EQ(icmp_ping_open(&t->a.icmp, &pg, TWO_STACKS_ADDR_B), NET_OK);
  ASSERT_EQ(icmp_ping_send(&pg, 7, 4000), NET_OK);
  PingWait w{&pg, {}};
  ASSERT_TRUE(two_stacks_run(t.get(), 1000, GotReply, &w));
  EXPECT_EQ(w.reply.len, 4000);
  EXPECT_EQ(t->b.core.stats.ip_reassembled, 1u);
  EXPECT_EQ(t->a.core.stats.ip_reassembled, 1u);
  EXPECT_EQ(t->a.core.stats.ip_frag_tx, 3u);  // 4008 bytes in 1480-byte pieces
  icmp_ping_close(&pg);
  ExpectNoLeaks(t.get());
}

TEST(TwoStacks, PingUnreachableHostTimesOutInArp) {
  auto t = Make();
  icmp_ping pg;
  ASSERT_EQ(icmp_ping_open(&t->a.icmp, &pg, IPV4_ADDR(10, 0, 0, 99)), NET_OK);
  ASSERT_EQ(icmp_ping_send(&pg, 1, 56), NET_OK);
  PingWait w{&pg, {}};
  EXPECT_FALSE(two_stacks_run(t.get(), 5000, GotReply, &w));
  EXPECT_EQ(t->a.core.stats.drops[NET_DROP_ARP_UNRESOLVED], 1u);
  EXPECT_EQ(t->a.core.stats.arp_tx, 1u + NET_ARP_MAX_REQUESTS);  // announce + requests
  icmp_ping_close(&pg);
  ExpectNoLeaks(t.get());
}

struct UdpWait {
  udp *u;
  udp_sock *s;
  char buf[70000];
  int n = NET_ERR_WOULDBLOCK;
  ipv4_addr_t from;
  uint16_t port;
};

static bool UdpGot(void *ctx) {
  auto *w = static_cast<UdpWait *>(ctx);
  if (w->n == NET_ERR_WOULDBLOCK)
    w->n = udp_recvfrom(w->u, w->s, w->buf, sizeof(w->buf), &w->from, &w->port);
  return w->n != NET_ERR_WOULDBLOCK;
}

TEST(TwoStacks, UdpEchoBroadcastAndPortUnreachable) {
  auto t = Make();
  udp_sock *srv = udp_open(&t->b.udp);
  ASSERT_NE(srv, nullptr);
  ASSERT_EQ(udp_bind(&t->b.udp, srv, IPV4_ANY, 7), NET_OK);
  udp_sock *other = udp_open(&t->b.udp);
  EXPECT_EQ(udp_bind(&t->b.udp, other, IPV4_ANY, 7), NET_ERR_ADDRINUSE);
  udp_close(&t->b.udp, other);
  udp_sock *cli = udp_open(&t->a.udp);
  ASSERT_EQ(udp_sendto(&t->a.udp, cli, TWO_STACKS_ADDR_B, 7, "hello", 5), 5);
  EXPECT_GE(cli->local_port, NET_EPHEMERAL_PORT_MIN);
  auto w = std::make_unique<UdpWait>();
  w->u = &t->b.udp;
  w->s = srv;
  ASSERT_TRUE(two_stacks_run(t.get(), 1000, UdpGot, w.get()));
  ASSERT_EQ(w->n, 5);
  EXPECT_EQ(std::string(w->buf, 5), "hello");
  EXPECT_EQ(w->from, TWO_STACKS_ADDR_A);
  EXPECT_EQ(w->port, cli->local_port);
  // A large datagram crosses fragmented.
  std::string big(20000, 'x');
  for (size_t i = 0; i < big.size(); i++) big[i] = (char)(i * 13);
  ASSERT_EQ(udp_sendto(&t->a.udp, cli, TWO_STACKS_ADDR_B, 7, big.data(), big.size()), 20000);
  w->n = NET_ERR_WOULDBLOCK;
  ASSERT_TRUE(two_stacks_run(t.get(), 1000, UdpGot, w.get()));
  ASSERT_EQ(w->n, 20000);
  EXPECT_EQ(memcmp(w->buf, big.data(), big.size()), 0);
  // Broadcast reaches the bound socket.
  ASSERT_EQ(udp_sendto(&t->a.udp, cli, IPV4_ADDR(10, 0, 0, 255), 7, "bc", 2), 2);
  w->n = NET_ERR_WOULDBLOCK;
  ASSERT_TRUE(two_stacks_run(t.get(), 1000, UdpGot, w.get()));
  EXPECT_EQ(w->n, 2);
  // Connected socket to a closed port learns "connection refused" from ICMP.
  udp_sock *c2 = udp_open(&t->a.udp);
  ASSERT_EQ(udp_connect(&t->a.udp, c2, TWO_STACKS_ADDR_B, 9999), NET_OK);
  ASSERT_EQ(udp_send(&t->a.udp, c2, "x", 1), 1);
  w->u = &t->a.udp;
  w->s = c2;
  w->n = NET_ERR_WOULDBLOCK;
  ASSERT_TRUE(two_stacks_run(t.get(), 1000, UdpGot, w.get()));
  EXPECT_EQ(w->n, NET_ERR_CONNREFUSED);
  EXPECT_EQ(t->b.core.stats.drops[NET_DROP_UDP_NO_PORT], 1u);
  udp_close(&t->a.udp, c2);
  udp_close(&t->a.udp, cli);
  udp_close(&t->b.udp, srv);
  EXPECT_EQ(t->a.core.stats.udp_sockets, 0u);
  ExpectNoLeaks(t.get());
}

// Many seeds of a hostile link: every ping that gets through is intact and the stacks never
// leak or misbehave; with moderate impairment most pings succeed.
TEST(TwoStacks, PingsSurviveImpairedLinks) {
  int total_ok = 0, total = 0;
  for (uint64_t seed = 1; seed <= 20; seed++) {
    auto t = Make("loss=5,dup=5,reorder=10,corrupt=5,delay=2,jitter=3",
                  "loss=5,dup=5,reorder=10,corrupt=5,delay=2,jitter=3", seed);
    icmp_ping pg;
    ASSERT_EQ(icmp_ping_open(&t->a.icmp, &pg, TWO_STACKS_ADDR_B), NET_OK);
    for (uint16_t seq = 0; seq < 20; seq++) {
      size_t size = seq % 4 == 0 ? 3000 : 100;
      icmp_ping_send(&pg, seq, size);
      PingWait w{&pg, {}};
      total++;
      if (two_stacks_run(t.get(), 1000, GotReply, &w)) {
        EXPECT_EQ(w.reply.err, NET_OK);
        EXPECT_EQ(w.reply.seq, seq);
        EXPECT_EQ(w.reply.len, size);
        total_ok++;
      }
      // Drain duplicates and late replies.
      two_stacks_run(t.get(), 50, nullptr, nullptr);
      icmp_ping_reply r;
      while (icmp_ping_next(&pg, &r)) EXPECT_TRUE(r.duplicate || r.seq < seq) << r.seq;
    }
    icmp_ping_close(&pg);
    two_stacks_run(t.get(), 20000, nullptr, nullptr);  // reassembly timeouts run out
    ExpectNoLeaks(t.get());
  }
  EXPECT_GT(total_ok, total * 6 / 10);
  EXPECT_LT(total_ok, total);  // the impairment really bit
}
