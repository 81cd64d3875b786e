#include <gtest/gtest.h>

#include "net/testing/link_fixture.h"

extern "C" {
#include "net/arp/arp.h"
#include "net/arp/arp_wire.h"
#include "net/core/net_err.h"
}

using nettest::Bytes;
using nettest::kBroadcastMac;
using nettest::kPeerIp;
using nettest::kPeerMac;
using nettest::kStackIp;
using nettest::kStackMac;

namespace {

class ArpTest : public nettest::LinkTest {
 protected:
  void SetUp() override {
    LinkTest::SetUp();
    arp_init(&arp_, core_.get(), &eth_);
  }
  void TearDown() override {
    arp_flush(&arp_);
    LinkTest::TearDown();
  }
  void InputArp(const uint8_t dst[6], const Bytes &arp) {
    InputFrame(nettest::EthFrame(dst, kPeerMac, ETH_TYPE_ARP, arp));
  }
  pbuf *Packet(uint8_t tag) {
    pbuf *p = pbuf_alloc_tx(&core_->pool, 20);
    memset(p->data, tag, 20);
    return p;
  }
  arp arp_;
};

TEST_F(ArpTest, AnswersRequestsForUsAndLearnsSender) {
  InputArp(kBroadcastMac, nettest::Arp(ARP_OP_REQUEST, kPeerMac, kPeerIp, kBroadcastMac, kStackIp));
  Bytes pl;
  uint8_t dst[6];
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_ARP);
  EXPECT_EQ(0, memcmp(dst, kPeerMac, 6));
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REPLY);
  EXPECT_EQ(0, memcmp(r.sha, kStackMac, 6));
  EXPECT_EQ(r.spa, kStackIp);
  EXPECT_EQ(0, memcmp(r.tha, kPeerMac, 6));
  EXPECT_EQ(r.tpa, kPeerIp);
  uint8_t mac[6];
  ASSERT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  EXPECT_EQ(0, memcmp(mac, kPeerMac, 6));
}

TEST_F(ArpTest, IgnoresRequestsForOthersAndMalformed) {
  InputArp(kBroadcastMac,
           nettest::Arp(ARP_OP_REQUEST, kPeerMac, kPeerIp, kBroadcastMac, IPV4_ADDR(10, 0, 0, 7)));
  Bytes bad = nettest::Arp(ARP_OP_REQUEST, kPeerMac, kPeerIp, kBroadcastMac, kStackIp);
  bad[7] = 9;  // unknown opcode
  InputArp(kBroadcastMac, bad);
  InputArp(kBroadcastMac, Bytes(bad.begin(), bad.begin() + 27));  // truncated
  Bytes mc = nettest::Arp(ARP_OP_REQUEST, kBroadcastMac, kPeerIp, kBroadcastMac,
                          kStackIp);  // broadcast sender MAC
  InputArp(kBroadcastMac, mc);
  Bytes pl;
  EXPECT_EQ(PopSent(&pl), 0);
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
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_ARP);  // exactly one request for two packets
  EXPECT_EQ(0, memcmp(dst, kBroadcastMac, 6));
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REQUEST);
  EXPECT_EQ(r.tpa, kPeerIp);
  EXPECT_EQ(PopSent(&pl), 0);
  InputArp(kStackMac, nettest::Arp(ARP_OP_REPLY, kPeerMac, kPeerIp, kStackMac, kStackIp));
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_IPV4);
  EXPECT_EQ(0, memcmp(dst, kPeerMac, 6));
  EXPECT_EQ(pl[0], 1);
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_IPV4);
  EXPECT_EQ(pl[0], 2);
  // Now resolved: straight out.
  ASSERT_EQ(arp_output(&arp_, Packet(3), kPeerIp), NET_OK);
  ASSERT_EQ(PopSent(&pl), ETH_TYPE_IPV4);
  EXPECT_EQ(arp_.queued_total, 0u);
}

TEST_F(ArpTest, RetriesThenGivesUpAndDropsQueue) {
  ASSERT_EQ(arp_output(&arp_, Packet(1), kPeerIp), NET_OK);
  Bytes pl;
  int requests = 0;
  for (int i = 0; i < 10; i++) {
    while (PopSent(&pl) == ETH_TYPE_ARP) requests++;
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
  InputArp(kBroadcastMac, nettest::Arp(ARP_OP_REQUEST, kPeerMac, kPeerIp, kBroadcastMac, kStackIp));
  uint8_t mac[6];
  ASSERT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  // The peer changes its MAC and announces it (gratuitous: sender == target).
  const uint8_t kNew[6] = {0x02, 0, 0, 0, 0, 0x77};
  InputArp(kBroadcastMac, nettest::Arp(ARP_OP_REQUEST, kNew, kPeerIp, kBroadcastMac, kPeerIp));
  ASSERT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  EXPECT_EQ(0, memcmp(mac, kNew, 6));
  Advance(NET_ARP_ENTRY_TTL_MS - 1000);
  EXPECT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
  Advance(2000);
  EXPECT_FALSE(arp_lookup(&arp_, kPeerIp, mac));
  // A gratuitous ARP from an unknown host teaches nothing (RFC 826 merge rule).
  InputArp(kBroadcastMac, nettest::Arp(ARP_OP_REQUEST, kNew, IPV4_ADDR(10, 0, 0, 8), kBroadcastMac,
                                       IPV4_ADDR(10, 0, 0, 8)));
  EXPECT_FALSE(arp_lookup(&arp_, IPV4_ADDR(10, 0, 0, 8), mac));
}

TEST_F(ArpTest, EntriesInUseAreRefreshedBeforeExpiry) {
  InputArp(kBroadcastMac, nettest::Arp(ARP_OP_REQUEST, kPeerMac, kPeerIp, kBroadcastMac, kStackIp));
  Bytes pl;
  uint8_t dst[6];
  while (PopSent(&pl)) {
  }
  Advance(NET_ARP_ENTRY_TTL_MS - NET_ARP_REFRESH_MS + 1000);
  ASSERT_EQ(arp_output(&arp_, Packet(1), kPeerIp), NET_OK);
  // A unicast request to the known MAC, and the packet goes out without waiting.
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_ARP);
  EXPECT_EQ(0, memcmp(dst, kPeerMac, 6));
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REQUEST);
  EXPECT_EQ(r.tpa, kPeerIp);
  ASSERT_EQ(PopSent(&pl), ETH_TYPE_IPV4);
  ASSERT_EQ(arp_output(&arp_, Packet(2), kPeerIp), NET_OK);
  ASSERT_EQ(PopSent(&pl), ETH_TYPE_IPV4);  // only one refresh request outstanding
  EXPECT_EQ(PopSent(&pl), 0);
  InputArp(kStackMac, nettest::Arp(ARP_OP_REPLY, kPeerMac, kPeerIp, kStackMac, kStackIp));
  Advance(NET_ARP_REFRESH_MS);  // past the old expiry: the reply extended it
  uint8_t mac[6];
  EXPECT_TRUE(arp_lookup(&arp_, kPeerIp, mac));
}

TEST_F(ArpTest, AnnounceAndBroadcastOutput) {
  ASSERT_EQ(arp_announce(&arp_), NET_OK);
  Bytes pl;
  uint8_t dst[6];
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_ARP);
  arp_pkt r;
  ASSERT_TRUE(arp_parse(pl.data(), pl.size(), &r));
  EXPECT_EQ(r.op, ARP_OP_REQUEST);
  EXPECT_EQ(r.spa, kStackIp);
  EXPECT_EQ(r.tpa, kStackIp);
  EXPECT_EQ(0, memcmp(dst, kBroadcastMac, 6));
  ASSERT_EQ(arp_output(&arp_, Packet(5), IPV4_ADDR(10, 0, 0, 255)), NET_OK);
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_IPV4);
  EXPECT_EQ(0, memcmp(dst, kBroadcastMac, 6));
  ASSERT_EQ(arp_output(&arp_, Packet(5), IPV4_ADDR(224, 1, 2, 3)), NET_OK);
  ASSERT_EQ(PopSent(&pl, dst), ETH_TYPE_IPV4);
  const uint8_t kMc[6] = {0x01, 0x00, 0x5e, 0x01, 0x02, 0x03};
  EXPECT_EQ(0, memcmp(dst, kMc, 6));
}

}  // namespace
