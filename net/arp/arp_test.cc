#include <gtest/gtest.h>

#include <memory>

#include "net/testing/test_frames.h"

extern "C" {
#include "net/arp/arp.h"
#include "net/arp/arp_wire.h"
#include "net/core/net_err.h"
#include "net/testing/fake_platform.h"
}

using nettest::Bytes;

namespace {

const uint8_t kOurs[6] = {0x02, 0, 0, 0, 0, 0x02};
const uint8_t kPeer[6] = {0x02, 0, 0, 0, 0, 0x01};
const uint8_t kBcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
const ipv4_addr_t kOurIp = IPV4_ADDR(10, 0, 0, 2);
const ipv4_addr_t kPeerIp = IPV4_ADDR(10, 0, 0, 1);

Bytes ArpBytes(uint16_t op, const uint8_t sha[6], ipv4_addr_t spa, const uint8_t tha[6],
               ipv4_addr_t tpa) {
  arp_pkt p;
  p.op = op;
  memcpy(p.sha, sha, 6);
  p.spa = spa;
  memcpy(p.tha, tha, 6);
  p.tpa = tpa;
  Bytes b(ARP_PKT_LEN);
  arp_emit(b.data(), &p);
  return b;
}

class ArpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_platform_init(plat_.get(), 1);
    net_platform ops = fake_platform_ops(plat_.get());
    net_core_init(core_.get(), &ops);
    memcpy(core_->netif.mac, kOurs, 6);
    core_->netif.addr = kOurIp;
    core_->netif.prefix = 24;
    core_->netif.up = true;
    eth_init(&eth_, core_.get());
    arp_init(&arp_, core_.get(), &eth_);
  }
  void TearDown() override {
    arp_flush(&arp_);
    EXPECT_EQ(pbuf_pool_free_count(&core_->pool), pbuf_pool_total_count(&core_->pool));
  }
  void InputArp(const uint8_t dst[6], const Bytes &arp) {
    Bytes f = nettest::EthFrame(dst, kPeer, ETH_TYPE_ARP, arp);
    eth_input(&eth_, pbuf_alloc_copy(&core_->pool, 0, f.data(), f.size()));
  }
  // Pops one sent frame; returns its EtherType and fills payload.
  uint16_t Sent(Bytes *payload, uint8_t dst[6] = nullptr) {
    uint8_t f[FAKE_PLATFORM_FRAME_MAX];
    size_t n = fake_platform_pop(plat_.get(), f, sizeof(f));
    if (n == 0) return 0;
    if (dst) memcpy(dst, f, 6);
    payload->assign(f + 14, f + n);
    return (uint16_t)(f[12] << 8 | f[13]);
  }
  void Advance(uint64_t ms) {
    plat_->now_us += ms * 1000;
    net_timer_run(&core_->timers, net_now_ms(core_.get()));
  }
  pbuf *Packet(uint8_t tag) {
    pbuf *p = pbuf_alloc_tx(&core_->pool, 20);
    memset(p->data, tag, 20);
    return p;
  }
  std::unique_ptr<fake_platform> plat_{new fake_platform};
  std::unique_ptr<net_core> core_{new net_core};
  eth eth_;
  arp arp_;
};

TEST_F(ArpTest, AnswersRequestsForUsAndLearnsSender) {
  InputArp(kBcast, ArpBytes(ARP_OP_REQUEST, kPeer, kPeerIp, kBcast, kOurIp));
  Bytes pl;
  uint8_t dst[6];
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_ARP);
  EXPECT_EQ(0, memcmp(dst, kPeer, 6));
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REPLY);
  EXPECT_EQ(0, memcmp(r.sha, kOurs, 6));
  EXPECT_EQ(r.spa, kOurIp);
  EXPECT_EQ(0, memcmp(r.tha, kPeer, 6));
  EXPECT_EQ(r.tpa, kPeerIp);
  uint8_t mac[6];
  ASSERT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  EXPECT_EQ(0, memcmp(mac, kPeer, 6));
}

TEST_F(ArpTest, IgnoresRequestsForOthersAndMalformed) {
  InputArp(kBcast, ArpBytes(ARP_OP_REQUEST, kPeer, kPeerIp, kBcast, IPV4_ADDR(10, 0, 0, 7)));
  Bytes bad = ArpBytes(ARP_OP_REQUEST, kPeer, kPeerIp, kBcast, kOurIp);
  bad[7] = 9;  // unknown opcode
  InputArp(kBcast, bad);
  InputArp(kBcast, Bytes(bad.begin(), bad.begin() + 27));                // truncated
  Bytes mc = ArpBytes(ARP_OP_REQUEST, kBcast, kPeerIp, kBcast, kOurIp);  // broadcast sender MAC
  InputArp(kBcast, mc);
  Bytes pl;
  EXPECT_EQ(Sent(&pl), 0);
  uint8_t mac[6];
  EXPECT_FALSE(arp_lookup(&arp_, kPeerIp, mac));
  EXPECT_EQ(core_->stats.drops[NET_DROP_ARP_NOT_FOR_US], 1u);
  EXPECT_EQ(core_->stats.drops[NET_DROP_ARP_MALFORMED], 3u);
}

TEST_F(ArpTest, QueuesUntilResolvedThenSendsInOrder) {
  ASSERT_EQ(arp_output(&arp_, Packet(1), kPeerIp), NET_OK);
  ASSERT_EQ(arp_output(&arp_, Packet(2), kPeerIp), NET_OK);
  Bytes pl;
  uint8_t dst[6];
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_ARP);  // exactly one request for two packets
  EXPECT_EQ(0, memcmp(dst, kBcast, 6));
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REQUEST);
  EXPECT_EQ(r.tpa, kPeerIp);
  EXPECT_EQ(Sent(&pl), 0);
  InputArp(kOurs, ArpBytes(ARP_OP_REPLY, kPeer, kPeerIp, kOurs, kOurIp));
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_IPV4);
  EXPECT_EQ(0, memcmp(dst, kPeer, 6));
  EXPECT_EQ(pl[0], 1);
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_IPV4);
  EXPECT_EQ(pl[0], 2);
  // Now resolved: straight out.
  ASSERT_EQ(arp_output(&arp_, Packet(3), kPeerIp), NET_OK);
  ASSERT_EQ(Sent(&pl), ETH_TYPE_IPV4);
  EXPECT_EQ(arp_.queued_total, 0u);
}

TEST_F(ArpTest, RetriesThenGivesUpAndDropsQueue) {
  ASSERT_EQ(arp_output(&arp_, Packet(1), kPeerIp), NET_OK);
  Bytes pl;
  int requests = 0;
  for (int i = 0; i < 10; i++) {
    while (Sent(&pl) == ETH_TYPE_ARP) requests++;
    Advance(NET_ARP_REQUEST_INTERVAL_MS);
  }
  EXPECT_EQ(requests, NET_ARP_MAX_REQUESTS);
  EXPECT_EQ(core_->stats.drops[NET_DROP_ARP_UNRESOLVED], 1u);
  EXPECT_EQ(arp_.queued_total, 0u);
}

TEST_F(ArpTest, QueueLimitsAndTableBound) {
  for (int i = 0; i < NET_ARP_QUEUE_PER_ENTRY; i++) {
    ASSERT_EQ(arp_output(&arp_, Packet(1), kPeerIp), NET_OK);
  }
  EXPECT_EQ(arp_output(&arp_, Packet(1), kPeerIp), NET_ERR_NOMEM);
  EXPECT_EQ(core_->stats.drops[NET_DROP_ARP_QUEUE_FULL], 1u);
  // Pending entries are never evicted: once every slot is pending, new hosts are refused.
  for (int h = 10; h < 10 + NET_ARP_ENTRIES - 1; h++) {
    int rc = arp_output(&arp_, Packet(1), IPV4_ADDR(10, 0, 0, h));
    EXPECT_TRUE(rc == NET_OK || rc == NET_ERR_NOMEM);  // total queue cap may bite first
  }
  EXPECT_EQ(arp_output(&arp_, Packet(1), IPV4_ADDR(10, 0, 0, 200)), NET_ERR_NOMEM);
  EXPECT_EQ(core_->stats.drops[NET_DROP_ARP_TABLE_FULL], 1u);
  EXPECT_LE(arp_.queued_total, (uint32_t)NET_ARP_QUEUE_TOTAL);
}

TEST_F(ArpTest, EntriesAgeOutAndGratuitousArpRefreshes) {
  InputArp(kBcast, ArpBytes(ARP_OP_REQUEST, kPeer, kPeerIp, kBcast, kOurIp));
  uint8_t mac[6];
  ASSERT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  // The peer changes its MAC and announces it (gratuitous: sender == target).
  const uint8_t kNew[6] = {0x02, 0, 0, 0, 0, 0x77};
  InputArp(kBcast, ArpBytes(ARP_OP_REQUEST, kNew, kPeerIp, kBcast, kPeerIp));
  ASSERT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  EXPECT_EQ(0, memcmp(mac, kNew, 6));
  Advance(NET_ARP_ENTRY_TTL_MS - 1000);
  EXPECT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  Advance(2000);
  EXPECT_FALSE(arp_lookup(&arp_, kPeerIp, mac));
  // A gratuitous ARP from an unknown host teaches nothing (RFC 826 merge rule).
  InputArp(kBcast,
           ArpBytes(ARP_OP_REQUEST, kNew, IPV4_ADDR(10, 0, 0, 8), kBcast, IPV4_ADDR(10, 0, 0, 8)));
  EXPECT_FALSE(arp_lookup(&arp_, IPV4_ADDR(10, 0, 0, 8), mac));
}

TEST_F(ArpTest, EntriesInUseAreRefreshedBeforeExpiry) {
  InputArp(kBcast, ArpBytes(ARP_OP_REQUEST, kPeer, kPeerIp, kBcast, kOurIp));
  Bytes pl;
  uint8_t dst[6];
  while (Sent(&pl)) {
  }
  Advance(NET_ARP_ENTRY_TTL_MS - NET_ARP_REFRESH_MS + 1000);
  ASSERT_EQ(arp_output(&arp_, Packet(1), kPeerIp), NET_OK);
  // A unicast request to the known MAC, and the packet goes out without waiting.
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_ARP);
  EXPECT_EQ(0, memcmp(dst, kPeer, 6));
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REQUEST);
  EXPECT_EQ(r.tpa, kPeerIp);
  ASSERT_EQ(Sent(&pl), ETH_TYPE_IPV4);
  ASSERT_EQ(arp_output(&arp_, Packet(2), kPeerIp), NET_OK);
  ASSERT_EQ(Sent(&pl), ETH_TYPE_IPV4);  // only one refresh request outstanding
  EXPECT_EQ(Sent(&pl), 0);
  InputArp(kOurs, ArpBytes(ARP_OP_REPLY, kPeer, kPeerIp, kOurs, kOurIp));
  Advance(NET_ARP_REFRESH_MS);  // past the old expiry: the reply extended it
  uint8_t mac[6];
  EXPECT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
}

TEST_F(ArpTest, AnnounceAndBroadcastOutput) {
  ASSERT_EQ(arp_announce(&arp_), NET_OK);
  Bytes pl;
  uint8_t dst[6];
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_ARP);
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REQUEST);
  EXPECT_EQ(r.spa, kOurIp);
  EXPECT_EQ(r.tpa, kOurIp);
  EXPECT_EQ(0, memcmp(dst, kBcast, 6));
  ASSERT_EQ(arp_output(&arp_, Packet(5), IPV4_ADDR(10, 0, 0, 255)), NET_OK);
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_IPV4);
  EXPECT_EQ(0, memcmp(dst, kBcast, 6));
  ASSERT_EQ(arp_output(&arp_, Packet(5), IPV4_ADDR(224, 1, 2, 3)), NET_OK);
  ASSERT_EQ(Sent(&pl, dst), ETH_TYPE_IPV4);
  const uint8_t kMc[6] = {0x01, 0x00, 0x5e, 0x01, 0x02, 0x03};
  EXPECT_EQ(0, memcmp(dst, kMc, 6));
}

}  // namespace
