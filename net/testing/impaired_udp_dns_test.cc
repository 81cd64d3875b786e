// UDP and DNS between two stacks over hostile links: whatever arrives is intact (corruption is
// caught by checksums, duplicates and reordering are harmless), the resolver retries through loss,
// and no buffer leaks.
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <string>

#include "net/dns/dns_test_util.h"

extern "C" {
#include "net/core/net_err.h"
#include "net/testing/two_stacks.h"
}

namespace {

std::unique_ptr<two_stacks> Make(const char *spec, uint64_t seed) {
  std::unique_ptr<two_stacks> t(new two_stacks);
  impair_cfg c;
  char err[100];
  EXPECT_TRUE(impair_parse(spec, &c, err, sizeof(err))) << err;
  c.seed = seed;
  impair_cfg c2 = c;
  c2.seed = seed + 1000;
  two_stacks_init(t.get(), &c, &c2, seed);
  return t;
}

void ExpectNoLeaks(two_stacks *t) {
  EXPECT_EQ(pbuf_pool_free_count(&t->a.core.pool), pbuf_pool_total_count(&t->a.core.pool));
  EXPECT_EQ(pbuf_pool_free_count(&t->b.core.pool), pbuf_pool_total_count(&t->b.core.pool));
}

TEST(ImpairedUdp, DeliveredDatagramsAreIntact) {
  const char *spec = "loss=5,dup=10,reorder=10,corrupt=20,delay=1,jitter=2";
  uint64_t delivered = 0, sent = 0;
  for (uint64_t seed = 1; seed <= 10; seed++) {
    auto t = Make(spec, seed);
    udp_sock *rx = udp_open(&t->b.udp);
    ASSERT_EQ(udp_bind(&t->b.udp, rx, IPV4_ANY, 9000), NET_OK);
    udp_sock *tx = udp_open(&t->a.udp);
    std::set<std::string> expected;
    for (int i = 0; i < 100; i++) {
      // Sizes cross the MTU so fragments get impaired too.
      size_t len = 1 + (size_t)(i * 37) % 3000;
      std::string msg(len, '\0');
      for (size_t k = 0; k < len; k++) msg[k] = (char)(k * 31 + i + seed);
      msg.replace(0, std::min<size_t>(len, 4), std::to_string(i).substr(0, 4));
      expected.insert(msg);
      if (udp_sendto(&t->a.udp, tx, TWO_STACKS_ADDR_B, 9000, msg.data(), msg.size()) >= 0) sent++;
      two_stacks_run(t.get(), 5, nullptr, nullptr);
      char buf[4096];
      int n;
      while ((n = udp_recvfrom(&t->b.udp, rx, buf, sizeof(buf), nullptr, nullptr)) >= 0) {
        EXPECT_EQ(expected.count(std::string(buf, (size_t)n)), 1u)
            << "corrupted datagram delivered";
        delivered++;
      }
    }
    udp_close(&t->a.udp, tx);
    udp_close(&t->b.udp, rx);
    two_stacks_run(t.get(), 30000, nullptr, nullptr);
    ExpectNoLeaks(t.get());
    EXPECT_GT(t->b.core.stats.drops[NET_DROP_UDP_BAD_CKSUM] +
                  t->b.core.stats.drops[NET_DROP_IP_BAD_CKSUM] +
                  t->b.core.stats.drops[NET_DROP_IP_FRAG_OVERLAP],
              0u);
  }
  EXPECT_GT(delivered, sent / 2);
}

// A tiny authoritative server on stack B: answers A queries for *.test with 10.0.0.<len>.
struct Server {
  two_stacks *t;
  udp_sock *s;
  int answered = 0;
};

void ServerRecv(void *ctx, udp_sock *s) {
  auto *srv = static_cast<Server *>(ctx);
  uint8_t q[512];
  ipv4_addr_t src;
  uint16_t port;
  int n;
  while ((n = udp_recvfrom(&srv->t->b.udp, s, q, sizeof(q), &src, &port)) >= 0) {
    char name[DNS_NAME_BUF];
    if (n < 12 || dns_read_name(q, (size_t)n, 12, name) < 0) continue;
    uint16_t id = (uint16_t)(q[0] << 8 | q[1]);
    dnstest::Bytes resp = dnstest::Response(
        id, 0, name, DNS_TYPE_A,
        {{dnstest::Ptr(12), DNS_TYPE_A, 60, dnstest::A(10, 0, 0, (uint8_t)strlen(name))}});
    udp_sendto(&srv->t->b.udp, s, src, port, resp.data(), resp.size());
    srv->answered++;
  }
}

struct Pending {
  dns *d = nullptr;
  int h = -1;
  int rc = NET_ERR_INPROGRESS;
  dns_result r;
};

bool Done(void *ctx) {
  auto *p = static_cast<Pending *>(ctx);
  if (p->rc == NET_ERR_INPROGRESS) p->rc = dns_resolve_result(p->d, p->h, &p->r);
  return p->rc != NET_ERR_INPROGRESS;
}

TEST(ImpairedDns, ResolverRetriesThroughLossAndNeverReturnsGarbage) {
  int ok = 0, timeouts = 0;
  for (uint64_t seed = 1; seed <= 12; seed++) {
    auto t = Make("loss=30,dup=10,reorder=10,corrupt=10,delay=5", seed);
    t->a.core.netif.dns[0] = TWO_STACKS_ADDR_B;
    t->a.core.netif.dns_count = 1;
    Server srv{t.get(), udp_open(&t->b.udp)};
    ASSERT_EQ(udp_bind(&t->b.udp, srv.s, IPV4_ANY, 53), NET_OK);
    udp_set_callback(srv.s, ServerRecv, &srv);
    for (int i = 0; i < 5; i++) {
      std::string name = "h" + std::string((size_t)i + 1, 'x') + ".test";
      Pending p;
      p.d = &t->a.dns;
      p.h = dns_resolve_start(&t->a.dns, name.c_str());
      ASSERT_GE(p.h, 0);
      ASSERT_TRUE(two_stacks_run(t.get(), 10000, Done, &p));
      if (p.rc == NET_OK) {
        ok++;
        ASSERT_EQ(p.r.count, 1u);
        EXPECT_EQ(p.r.addrs[0], IPV4_ADDR(10, 0, 0, name.size()));
      } else {
        EXPECT_EQ(p.rc, NET_ERR_TIMEDOUT);
        timeouts++;
      }
    }
    udp_close(&t->b.udp, srv.s);
    two_stacks_run(t.get(), 30000, nullptr, nullptr);
    ExpectNoLeaks(t.get());
  }
  // 30% loss each way: a try fails about half the time, three tries usually succeed.
  EXPECT_GT(ok, 40);
  EXPECT_EQ(ok + timeouts, 60);
}

}  // namespace
