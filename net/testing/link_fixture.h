// GoogleTest fixture for the layers below the stack (Ethernet, ARP, IPv4): a net_core and its
// Ethernet layer on a fake platform, interface up as kStackIp/24 (gateway 10.0.0.254) with MAC
// kStackMac. A test adds the layers it exercises on top; the fixture checks at the end that every
// packet buffer went back to the pool (a derived TearDown releases its layer's buffers first).
#ifndef NET_TESTING_LINK_FIXTURE_H_
#define NET_TESTING_LINK_FIXTURE_H_

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "net/testing/test_frames.h"

extern "C" {
#include "net/core/core.h"
#include "net/ethernet/ethernet.h"
#include "net/testing/fake_platform.h"
}

namespace nettest {

constexpr ipv4_addr_t kGatewayIp = IPV4_ADDR(10, 0, 0, 254);

class LinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_platform_init(plat_.get(), 1);
    net_platform ops = fake_platform_ops(plat_.get());
    net_core_init(core_.get(), &ops);
    std::memcpy(core_->netif.mac, kStackMac, 6);
    core_->netif.addr = kStackIp;
    core_->netif.prefix = 24;
    core_->netif.gw = kGatewayIp;
    core_->netif.up = true;
    eth_init(&eth_, core_.get());
  }
  void TearDown() override {
    EXPECT_EQ(pbuf_pool_free_count(&core_->pool), pbuf_pool_total_count(&core_->pool));
  }
  // A received frame, handed to Ethernet as the driver would.
  void InputFrame(const Bytes &f) {
    eth_input(&eth_, pbuf_alloc_copy(&core_->pool, 0, f.data(), f.size()));
  }
  // Pops the oldest sent frame: returns its EtherType (0 if nothing was sent), the bytes after
  // the Ethernet header in *payload and, if dst is given, the destination MAC.
  uint16_t PopSent(Bytes *payload, uint8_t dst[6] = nullptr) {
    uint8_t f[FAKE_PLATFORM_FRAME_MAX];
    size_t n = fake_platform_pop(plat_.get(), f, sizeof(f));
    if (n < 14) return 0;
    if (dst != nullptr) std::memcpy(dst, f, 6);
    payload->assign(f + 14, f + n);
    return static_cast<uint16_t>(f[12] << 8 | f[13]);
  }
  // Forgets every frame sent so far.
  void DrainSent() {
    uint8_t f[FAKE_PLATFORM_FRAME_MAX];
    while (fake_platform_pop(plat_.get(), f, sizeof(f)) != 0) {
    }
  }
  // Moves the clock forward and runs the timers that came due.
  void Advance(uint64_t ms) {
    plat_->now_us += ms * 1000;
    net_timer_run(&core_->timers, net_now_ms(core_.get()));
  }
  uint64_t Drops(net_drop_reason r) const { return core_->stats.drops[r]; }

  std::unique_ptr<fake_platform> plat_{new fake_platform};
  std::unique_ptr<net_core> core_{new net_core};
  eth eth_;
};

}  // namespace nettest

#endif  // NET_TESTING_LINK_FIXTURE_H_
