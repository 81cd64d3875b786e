// GoogleTest fixture: one whole stack (10.0.0.2/24, gateway 10.0.0.254, DNS 10.0.0.1) on a fake
// platform, with the peer 10.0.0.1 already in the ARP cache.
#ifndef NET_TESTING_STACK_FIXTURE_H_
#define NET_TESTING_STACK_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "net/testing/test_frames.h"

extern "C" {
#include "net/ipv4/ipv4_wire.h"
#include "net/stack/stack.h"
#include "net/testing/fake_platform.h"
}

namespace nettest {

struct SentDatagram {
  ipv4_hdr hdr;
  Bytes payload;  // after the IP header
};

class StackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_platform_init(plat_.get(), 7);
    net_platform ops = fake_platform_ops(plat_.get());
    net_stack_config cfg = {};
    memcpy(cfg.mac, kStackMac, 6);
    cfg.addr = kStackIp;
    cfg.prefix = 24;
    cfg.gw = IPV4_ADDR(10, 0, 0, 254);
    cfg.dns[0] = kPeerIp;
    cfg.dns_count = 1;
    net_stack_init(s_.get(), &ops, &cfg);
    net_stack_up(s_.get());
    // Teach ARP the peer with a request from it (learned because it targets us).
    const uint8_t unknown[6] = {0};
    Bytes f = EthFrame(kStackMac, kPeerMac, 0x0806,
                       Arp(/*op=request*/ 1, kPeerMac, kPeerIp, unknown, kStackIp));
    net_stack_input_frame(s_.get(), f.data(), f.size());
    Drain();
  }
  void TearDown() override {
    for (int i = 0; i < NET_DNS_MAX_QUERIES; i++) dns_cancel(&s_->dns, i);
    for (int i = 0; i < NET_UDP_SOCKETS; i++) udp_close(&s_->udp, &s_->udp.socks[i]);
    Advance(3600 * 1000);
    Drain();
    EXPECT_EQ(pbuf_pool_free_count(&s_->core.pool), pbuf_pool_total_count(&s_->core.pool));
    EXPECT_EQ(s_->core.pool.bad_frees, 0u);
  }
  void Drain() {
    uint8_t f[FAKE_PLATFORM_FRAME_MAX];
    while (fake_platform_pop(plat_.get(), f, sizeof(f))) {
    }
  }
  // An IPv4 datagram from `src` to the stack.
  void InIp(uint8_t proto, const Bytes &payload, ipv4_addr_t src = kPeerIp,
            ipv4_addr_t dst = kStackIp, const IpOpts &o = IpOpts()) {
    Bytes f = EthFrame(kStackMac, kPeerMac, 0x0800, Ipv4(src, dst, proto, payload, o));
    net_stack_input_frame(s_.get(), f.data(), f.size());
  }
  // Everything IPv4 the stack sent since the last call (header validated).
  std::vector<SentDatagram> SentIp() {
    std::vector<SentDatagram> out;
    uint8_t f[FAKE_PLATFORM_FRAME_MAX];
    size_t n;
    while ((n = fake_platform_pop(plat_.get(), f, sizeof(f))) != 0) {
      if (n < 34 || f[12] != 0x08 || f[13] != 0x00) continue;
      SentDatagram d;
      net_drop_reason why;
      EXPECT_TRUE(ipv4_parse(f + 14, n - 14, &d.hdr, &why)) << "stack sent a bad header";
      d.payload.assign(f + 14 + d.hdr.hdr_len, f + 14 + d.hdr.total_len);
      out.push_back(d);
    }
    return out;
  }
  void Advance(uint64_t ms) {
    // Step in small increments so periodic timers see every deadline.
    for (uint64_t done = 0; done < ms;) {
      uint64_t step = ms - done < 100 ? ms - done : 100;
      plat_->now_us += step * 1000;
      done += step;
      net_stack_poll(s_.get());
    }
  }
  uint64_t Drops(net_drop_reason r) { return s_->core.stats.drops[r]; }

  std::unique_ptr<fake_platform> plat_{new fake_platform};
  std::unique_ptr<net_stack> s_{new net_stack};
};

}  // namespace nettest

#endif  // NET_TESTING_STACK_FIXTURE_H_
