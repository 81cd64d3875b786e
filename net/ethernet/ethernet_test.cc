#include <gtest/gtest.h>

#include <vector>

#include "net/testing/link_fixture.h"

extern "C" {
#include "net/core/net_err.h"
#include "net/ethernet/ethernet.h"
}

using nettest::Bytes;
using nettest::kBroadcastMac;
using nettest::kPeerMac;
using nettest::kStackMac;

namespace {

const uint8_t kOther[6] = {0x02, 0, 0, 0, 0, 0x09};
const uint8_t kMcast[6] = {0x01, 0x00, 0x5e, 0, 0, 1};

struct Got {
  std::vector<Bytes> payloads;
  std::vector<uint16_t> types;
};

void Handler(void *ctx, pbuf *p, const eth_hdr *h) {
  auto *g = static_cast<Got *>(ctx);
  g->payloads.emplace_back(p->data, p->data + p->len);
  g->types.push_back(h->type);
  // The header stays readable just before data.
  EXPECT_EQ(0, memcmp(p->data - ETH_HDR_LEN + 6, h->src, 6));
  pbuf_free(p);
}

class EthTest : public nettest::LinkTest {
 protected:
  void SetUp() override {
    LinkTest::SetUp();
    ASSERT_EQ(eth_register(&eth_, ETH_TYPE_IPV4, Handler, &got_), NET_OK);
  }
  Got got_;
};

TEST_F(EthTest, FiltersByDestinationAndDemuxes) {
  Bytes payload = {1, 2, 3};
  InputFrame(nettest::EthFrame(kStackMac, kPeerMac, ETH_TYPE_IPV4, payload));
  InputFrame(nettest::EthFrame(kBroadcastMac, kPeerMac, ETH_TYPE_IPV4, payload));
  InputFrame(nettest::EthFrame(kMcast, kPeerMac, ETH_TYPE_IPV4, payload));
  InputFrame(nettest::EthFrame(kOther, kPeerMac, ETH_TYPE_IPV4, payload));      // not for us
  InputFrame(nettest::EthFrame(kStackMac, kStackMac, ETH_TYPE_IPV4, payload));  // from ourselves
  InputFrame(nettest::EthFrame(kStackMac, kMcast, ETH_TYPE_IPV4, payload));     // multicast source
  InputFrame(nettest::EthFrame(kStackMac, kPeerMac, 0x86dd, payload));          // IPv6: no handler
  InputFrame(nettest::EthFrame(kStackMac, kPeerMac, 0x0040, payload));  // 802.3 length field
  InputFrame(Bytes(kStackMac, kStackMac + 6));                          // runt
  ASSERT_EQ(got_.payloads.size(), 3u);
  EXPECT_EQ(got_.payloads[0], payload);
  EXPECT_EQ(got_.types[0], ETH_TYPE_IPV4);
  const net_stats &s = core_->stats;
  EXPECT_EQ(s.rx_packets, 9u);
  EXPECT_EQ(s.drops[NET_DROP_ETH_NOT_FOR_US], 3u);
  EXPECT_EQ(s.drops[NET_DROP_ETH_UNKNOWN_TYPE], 1u);
  EXPECT_EQ(s.drops[NET_DROP_ETH_SHORT], 2u);
  EXPECT_EQ(pbuf_pool_free_count(&core_->pool), pbuf_pool_total_count(&core_->pool));
}

TEST_F(EthTest, OutputWritesHeaderAndZeroPads) {
  pbuf *p = pbuf_alloc_tx(&core_->pool, 5);
  memset(p->data, 0xee, 5);
  // Dirty the tail of the buffer: padding must not leak it.
  memset(p->data + 5, 0xaa, 100);
  ASSERT_EQ(eth_output(&eth_, p, kPeerMac, ETH_TYPE_ARP), NET_OK);
  uint8_t f[FAKE_PLATFORM_FRAME_MAX];
  size_t n = fake_platform_pop(plat_.get(), f, sizeof(f));
  ASSERT_EQ(n, 60u);
  EXPECT_EQ(0, memcmp(f, kPeerMac, 6));
  EXPECT_EQ(0, memcmp(f + 6, kStackMac, 6));
  EXPECT_EQ(f[12], 0x08);
  EXPECT_EQ(f[13], 0x06);
  for (int i = 14; i < 19; i++) EXPECT_EQ(f[i], 0xee);
  for (int i = 19; i < 60; i++) EXPECT_EQ(f[i], 0) << i;
  EXPECT_EQ(core_->stats.tx_packets, 1u);
  // Larger frames are not padded.
  p = pbuf_alloc_tx(&core_->pool, 100);
  ASSERT_EQ(eth_output(&eth_, p, kPeerMac, ETH_TYPE_IPV4), NET_OK);
  EXPECT_EQ(fake_platform_pop(plat_.get(), f, sizeof(f)), 114u);
  // Transmit errors are reported and counted.
  plat_->send_result = NET_ERR_IO;
  p = pbuf_alloc_tx(&core_->pool, 100);
  EXPECT_EQ(eth_output(&eth_, p, kPeerMac, ETH_TYPE_IPV4), NET_ERR_IO);
  EXPECT_EQ(core_->stats.drops[NET_DROP_ETH_TX_ERROR], 1u);
  EXPECT_EQ(pbuf_pool_free_count(&core_->pool), pbuf_pool_total_count(&core_->pool));
}

TEST_F(EthTest, RegistrationIsBounded) {
  for (uint16_t t = 0x9000; t < 0x9000 + NET_ETH_MAX_TYPE_HANDLERS - 1; t++) {
    EXPECT_EQ(eth_register(&eth_, t, Handler, &got_), NET_OK);
  }
  EXPECT_EQ(eth_register(&eth_, 0x9100, Handler, &got_), NET_ERR_NOMEM);
  EXPECT_EQ(eth_register(&eth_, ETH_TYPE_IPV4, Handler, &got_), NET_OK);  // replace is fine
}

}  // namespace
