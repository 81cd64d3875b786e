#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

extern "C" {
#include "net/core/checksum.h"
#include "net/core/core.h"
#include "net/core/net_err.h"
#include "net/core/netif.h"
#include "net/core/pbuf.h"
#include "net/core/stats.h"
#include "net/core/timer.h"
}

TEST(NetErr, EveryCodeHasDistinctTextAndErrno) {
  std::set<std::string> texts;
  for (int e = NET_OK; e >= NET_ERR__LAST; e--) {
    std::string t = net_strerror(e);
    EXPECT_NE(t, "unknown error") << e;
    EXPECT_TRUE(texts.insert(t).second) << "duplicate text " << t;
    if (e < 0) EXPECT_LT(net_err_to_errno(e), 0) << e;
  }
  EXPECT_STREQ(net_strerror(-1000), "unknown error");
  EXPECT_STREQ(net_strerror(NET_ERR_CONNREFUSED), "connection refused");
  EXPECT_EQ(net_err_to_errno(NET_ERR_CONNREFUSED), -111);
  EXPECT_EQ(net_err_to_errno(NET_ERR_TIMEDOUT), -110);
  EXPECT_EQ(net_err_to_errno(NET_ERR_WOULDBLOCK), -11);
  EXPECT_EQ(net_err_to_errno(NET_OK), 0);
  EXPECT_EQ(net_err_to_errno(1234), 1234);  // byte counts pass through
  EXPECT_EQ(net_err_to_errno(-1000), -5);   // unknown -> EIO
}

TEST(Checksum, Rfc1071Example) {
  // RFC 1071 section 3 example: the one's-complement sum of these words is 0xddf2.
  const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(net_cksum(data, sizeof(data)), (uint16_t)~0xddf2);
}

TEST(Checksum, KnownIpv4Header) {
  // A real header (from a capture): its stored checksum is 0xb861.
  uint8_t hdr[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                   0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(net_cksum(hdr, sizeof(hdr)), 0xb861);
  hdr[10] = 0xb8;
  hdr[11] = 0x61;
  EXPECT_EQ(net_cksum(hdr, sizeof(hdr)), 0);  // verifying a correct header gives 0
}

TEST(Checksum, OddLengthAndChunking) {
  std::vector<uint8_t> d(1001);
  for (size_t i = 0; i < d.size(); i++) d[i] = (uint8_t)(i * 7 + 3);
  uint32_t s = net_cksum_add(0, d.data(), 500);
  s = net_cksum_add(s, d.data() + 500, 501);
  EXPECT_EQ(net_cksum_finish(s), net_cksum(d.data(), d.size()));
  // Odd trailing byte is padded with zero on the right.
  const uint8_t one[] = {0xab};
  EXPECT_EQ(net_cksum(one, 1), (uint16_t)~0xab00);
}

TEST(Checksum, PseudoHeaderMatchesExplicitBytes) {
  ipv4_addr_t src = IPV4_ADDR(10, 0, 2, 15), dst = IPV4_ADDR(93, 184, 216, 34);
  uint8_t ph[12] = {10, 0, 2, 15, 93, 184, 216, 34, 0, 17, 0x01, 0x2c};
  EXPECT_EQ(net_cksum_finish(net_cksum_pseudo_ipv4(src, dst, 17, 300)), net_cksum(ph, 12));
}

// Straightforward RFC 1071 reference: big-endian 16-bit words, one at a time.
static uint16_t RefCksum(const uint8_t *d, size_t n) {
  uint64_t s = 0;
  for (size_t i = 0; i + 1 < n; i += 2) s += (uint32_t)(d[i] << 8 | d[i + 1]);
  if (n & 1) s += (uint32_t)(d[n - 1] << 8);
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}

TEST(Checksum, MatchesReferenceAtEveryLengthAndAlignment) {
  std::vector<uint8_t> d(3000);
  uint32_t x = 12345;
  for (auto &b : d) b = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
  for (size_t off = 0; off < 8; off++) {
    for (size_t n = 0; n < 300; n++) {
      ASSERT_EQ(net_cksum(d.data() + off, n), RefCksum(d.data() + off, n)) << off << " " << n;
    }
    ASSERT_EQ(net_cksum(d.data() + off, 2989), RefCksum(d.data() + off, 2989));
  }
  // Chunked sums (even chunks, odd last) agree with the one-shot sum.
  uint32_t s = net_cksum_add(0, d.data(), 1000);
  s = net_cksum_add(s, d.data() + 1000, 998);
  s = net_cksum_add(s, d.data() + 1998, 3);
  EXPECT_EQ(net_cksum_finish(s), RefCksum(d.data(), 2001));
  std::vector<uint8_t> ff(4096, 0xff), zero(64, 0);
  EXPECT_EQ(net_cksum(ff.data(), ff.size()), RefCksum(ff.data(), ff.size()));
  EXPECT_EQ(net_cksum(zero.data(), zero.size()), 0xffff);
}

TEST(Checksum, LargeBufferNoOverflow) {
  std::vector<uint8_t> d(65535, 0xff);
  // Sum of 0xffff words is 0xffff (one's complement -0), so the checksum is 0.
  EXPECT_EQ(net_cksum(d.data(), 65534), 0);
}

class PbufTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pool_.reset(new pbuf_pool);
    pbuf_pool_init(pool_.get());
  }
  std::unique_ptr<pbuf_pool> pool_;
};

TEST_F(PbufTest, HeadroomPushPull) {
  pbuf *p = pbuf_alloc_tx(pool_.get(), 100);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->len, 100u);
  EXPECT_EQ(pbuf_headroom(p), (size_t)NET_PBUF_HEADROOM);
  uint8_t *payload = p->data;
  uint8_t *h = pbuf_push(p, 20);
  ASSERT_EQ(h, payload - 20);
  EXPECT_EQ(p->len, 120u);
  EXPECT_EQ(pbuf_push(p, NET_PBUF_HEADROOM), nullptr);  // too much: unchanged
  EXPECT_EQ(p->len, 120u);
  EXPECT_EQ(pbuf_pull(p, 20), payload);
  EXPECT_EQ(pbuf_pull(p, 101), nullptr);
  EXPECT_TRUE(pbuf_trim(p, 60));
  EXPECT_FALSE(pbuf_trim(p, 61));
  EXPECT_EQ(p->len, 60u);
  uint8_t *t = pbuf_append(p, 10);
  EXPECT_EQ(t, payload + 60);
  EXPECT_EQ(pbuf_append(p, NET_PBUF_SMALL_SIZE), nullptr);
  pbuf_free(p);
  EXPECT_EQ(pbuf_pool_free_count(pool_.get()), pbuf_pool_total_count(pool_.get()));
}

TEST_F(PbufTest, ClassesExhaustionAndDoubleFree) {
  uint32_t total = pbuf_pool_total_count(pool_.get());
  pbuf *big = pbuf_alloc(pool_.get(), 0, 60000);
  ASSERT_NE(big, nullptr);
  EXPECT_GE(big->cap, 60000u);
  EXPECT_EQ(pbuf_alloc(pool_.get(), 0, NET_PBUF_LARGE_SIZE + 1), nullptr);
  EXPECT_EQ(pbuf_alloc(pool_.get(), 10, NET_PBUF_LARGE_SIZE - 5), nullptr);
  std::vector<pbuf *> all;
  for (;;) {
    pbuf *p = pbuf_alloc(pool_.get(), 0, 64);
    if (!p) break;
    all.push_back(p);
    ASSERT_LE(all.size(), (size_t)total);
  }
  // Small requests spill into the large class once small buffers run out.
  EXPECT_EQ(all.size(), (size_t)total - 1);
  EXPECT_GT(pool_->alloc_failures, 0u);
  for (pbuf *p : all) pbuf_free(p);
  pbuf_free(big);
  pbuf_free(big);  // refused and counted
  EXPECT_EQ(pool_->bad_frees, 1u);
  pbuf_free(nullptr);
  EXPECT_EQ(pbuf_pool_free_count(pool_.get()), total);
}

TEST_F(PbufTest, QueueFifoAndPurge) {
  pbuf_queue q;
  pbuf_queue_init(&q);
  EXPECT_TRUE(pbuf_queue_empty(&q));
  pbuf *a = pbuf_alloc(pool_.get(), 0, 10), *b = pbuf_alloc(pool_.get(), 0, 20);
  pbuf_queue_push(&q, a);
  pbuf_queue_push(&q, b);
  EXPECT_EQ(q.count, 2u);
  EXPECT_EQ(q.bytes, 30u);
  EXPECT_EQ(pbuf_queue_pop(&q), a);
  EXPECT_EQ(q.bytes, 20u);
  pbuf_free(a);
  pbuf_queue_push(&q, pbuf_alloc(pool_.get(), 0, 5));
  pbuf_queue_purge(&q);
  EXPECT_TRUE(pbuf_queue_empty(&q));
  EXPECT_EQ(q.count, 0u);
  EXPECT_EQ(pbuf_pool_free_count(pool_.get()), pbuf_pool_total_count(pool_.get()));
}

struct TimerLog {
  std::vector<int> fired;
  net_timer_list *list;
  net_timer *rearm = nullptr;
};

struct TimerCtx {
  TimerLog *log;
  int id;
};

static void OnTimer(void *arg, uint64_t now) {
  auto *c = static_cast<TimerCtx *>(arg);
  c->log->fired.push_back(c->id);
  if (c->log->rearm) net_timer_arm(c->log->list, c->log->rearm, now);  // "fire again now"
}

TEST(Timer, OrderCancelAndRearmTerminates) {
  net_timer_list l;
  net_timer_list_init(&l);
  TimerLog log;
  log.list = &l;
  TimerCtx c1{&log, 1}, c2{&log, 2}, c3{&log, 3};
  net_timer t1, t2, t3;
  net_timer_init(&t1, OnTimer, &c1);
  net_timer_init(&t2, OnTimer, &c2);
  net_timer_init(&t3, OnTimer, &c3);
  net_timer_arm(&l, &t2, 200);
  net_timer_arm(&l, &t1, 100);
  net_timer_arm(&l, &t3, 300);
  EXPECT_EQ(net_timer_next_deadline(&l), 100u);
  EXPECT_EQ(net_timer_run(&l, 99), 0u);
  net_timer_cancel(&l, &t3);
  net_timer_cancel(&l, &t3);  // harmless twice
  EXPECT_EQ(net_timer_run(&l, 250), 2u);
  EXPECT_EQ(log.fired, (std::vector<int>{1, 2}));
  EXPECT_EQ(net_timer_next_deadline(&l), NET_TIME_NEVER);
  // A callback that re-arms itself for "now" fires once per run, not forever.
  log.rearm = &t1;
  net_timer_arm(&l, &t1, 300);
  EXPECT_EQ(net_timer_run(&l, 300), 1u);
  EXPECT_TRUE(net_timer_armed(&t1));
  EXPECT_EQ(net_timer_run(&l, 300), 1u);
  log.rearm = nullptr;
  EXPECT_EQ(net_timer_run(&l, 300), 1u);
  EXPECT_FALSE(net_timer_armed(&t1));
}

TEST(Stats, EveryDropReasonHasAUniqueName) {
  std::set<std::string> names;
  for (int r = 0; r < NET_DROP__COUNT; r++) {
    std::string n = net_drop_reason_name(r);
    EXPECT_NE(n, "unknown") << r;
    EXPECT_TRUE(names.insert(n).second) << n;
  }
  EXPECT_STREQ(net_drop_reason_name(NET_DROP__COUNT), "unknown");
  EXPECT_STREQ(net_drop_reason_name(-1), "unknown");
  net_stats s;
  net_stats_init(&s);
  net_stats_drop(&s, NET_DROP_IP_BAD_CKSUM);
  net_stats_drop(&s, NET_DROP_IP_BAD_CKSUM);
  EXPECT_EQ(s.drops[NET_DROP_IP_BAD_CKSUM], 2u);
  EXPECT_EQ(s.drops_total, 2u);
}

TEST(Netif, RoutingAndBroadcast) {
  netif n;
  netif_init(&n);
  EXPECT_EQ(n.mtu, NET_MTU_DEFAULT);
  n.addr = IPV4_ADDR(10, 0, 2, 15);
  n.prefix = 24;
  ipv4_addr_t hop;
  EXPECT_EQ(netif_next_hop(&n, IPV4_ADDR(8, 8, 8, 8), &hop), NET_ERR_NETUNREACH);
  n.gw = IPV4_ADDR(10, 0, 2, 2);
  ASSERT_EQ(netif_next_hop(&n, IPV4_ADDR(8, 8, 8, 8), &hop), NET_OK);
  EXPECT_EQ(hop, n.gw);
  ASSERT_EQ(netif_next_hop(&n, IPV4_ADDR(10, 0, 2, 3), &hop), NET_OK);
  EXPECT_EQ(hop, IPV4_ADDR(10, 0, 2, 3));
  EXPECT_TRUE(netif_is_broadcast(&n, IPV4_ADDR(10, 0, 2, 255)));
  EXPECT_TRUE(netif_is_broadcast(&n, IPV4_BROADCAST));
  EXPECT_FALSE(netif_is_broadcast(&n, IPV4_ADDR(10, 0, 3, 255)));
  EXPECT_TRUE(netif_is_local(&n, IPV4_ADDR(10, 0, 2, 15)));
  n.gw = IPV4_ADDR(10, 9, 9, 9);  // off-link gateway is unusable
  EXPECT_EQ(netif_next_hop(&n, IPV4_ADDR(8, 8, 8, 8), &hop), NET_ERR_NETUNREACH);
}

TEST(Netif, MacParseFormat) {
  uint8_t mac[6] = {};
  ASSERT_TRUE(net_mac_parse("02:00:5E:10:00:01", mac));
  char buf[18];
  EXPECT_STREQ(net_mac_format(mac, buf), "02:00:5e:10:00:01");
  EXPECT_TRUE(net_mac_parse("02-00-5e-10-00-01", mac));
  for (const char *bad : {"", "02:00:5e:10:00", "02:00:5e:10:00:01:02", "0g:00:5e:10:00:01",
                          "02:00:5e:10:00:1", "02:00:5e:10:00:01x"}) {
    EXPECT_FALSE(net_mac_parse(bad, mac)) << bad;
  }
}

static int g_sent_len;
static int SendStub(void *, const uint8_t *, size_t len) {
  g_sent_len = (int)len;
  return len > 1000 ? NET_ERR_IO : NET_OK;
}
static uint64_t NowStub(void *ctx) { return *static_cast<uint64_t *>(ctx); }
static void RandStub(void *, void *buf, size_t len) { memset(buf, 0xa5, len); }

TEST(Core, SendFrameCountsAndClock) {
  auto c = std::make_unique<net_core>();
  uint64_t now = 5'000'123;
  net_platform plat{SendStub, NowStub, RandStub, &now};
  net_core_init(c.get(), &plat);
  EXPECT_EQ(net_now_ms(c.get()), 5000u);
  EXPECT_EQ(net_random_u32(c.get()), 0xa5a5a5a5u);
  pbuf *p = pbuf_alloc(&c->pool, 0, 60);
  EXPECT_EQ(net_core_send_frame(c.get(), p), NET_OK);
  EXPECT_EQ(g_sent_len, 60);
  EXPECT_EQ(c->stats.tx_packets, 1u);
  EXPECT_EQ(c->stats.tx_bytes, 60u);
  pbuf_free(p);
  p = pbuf_alloc(&c->pool, 0, 1200);
  EXPECT_EQ(net_core_send_frame(c.get(), p), NET_ERR_IO);
  EXPECT_EQ(c->stats.drops[NET_DROP_ETH_TX_ERROR], 1u);
  EXPECT_EQ(c->stats.tx_packets, 1u);
  pbuf_free(p);
}
