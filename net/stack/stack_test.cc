#include <string>

#include "net/testing/stack_fixture.h"

using namespace nettest;

namespace {

using StackPollDueTest = StackTest;

// net_stack_poll_due() says "due" exactly when the poll has something to do: a timer at or past
// its deadline, or a datagram to our own address waiting for the loopback run.
TEST_F(StackPollDueTest, FollowsTimersAndLoopback) {
  uint64_t next = net_stack_poll(s_.get());
  EXPECT_FALSE(net_stack_poll_due(s_.get()));

  // A timer: due from its deadline on (the clock is in ms on the platform's microseconds).
  if (next == NET_TIME_NEVER) {
    static net_timer t;
    net_timer_init(
        &t, [](void *, uint64_t) {}, nullptr);
    next = net_now_ms(&s_->core) + 50;
    net_core_timer_arm(&s_->core, &t, next);
  }
  plat_->now_us = (next - 1) * 1000;
  EXPECT_FALSE(net_stack_poll_due(s_.get()));
  plat_->now_us = next * 1000;
  EXPECT_TRUE(net_stack_poll_due(s_.get()));
  net_stack_poll(s_.get());
  EXPECT_FALSE(net_stack_poll_due(s_.get()));

  // A datagram to ourselves waits for the poll, which delivers it.
  udp_sock *rx = udp_open(&s_->udp), *tx = udp_open(&s_->udp);
  ASSERT_NE(rx, nullptr);
  ASSERT_NE(tx, nullptr);
  ASSERT_EQ(udp_bind(&s_->udp, rx, 0, 5353), NET_OK);
  ASSERT_EQ(udp_sendto(&s_->udp, tx, kStackIp, 5353, "hi", 2), 2);
  EXPECT_TRUE(net_stack_poll_due(s_.get()));
  net_stack_poll(s_.get());
  EXPECT_FALSE(net_stack_poll_due(s_.get()));
  char buf[8];
  EXPECT_EQ(udp_recvfrom(&s_->udp, rx, buf, sizeof(buf), nullptr, nullptr), 2);
  EXPECT_EQ(std::string(buf, 2), "hi");
}

}  // namespace
