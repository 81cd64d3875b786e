// Congestion control (NewReno, CUBIC) and the integer cube root, tested on the connection struct
// directly. (The keyed hash is crypto_siphash24, tested in //crypto:siphash_test.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "net/tcp/tcp_internal.h"

namespace {

TEST(TcpIcbrt, ExactOnCubesAndFloorBetween) {
  for (uint64_t r = 0; r < 3000; r++) {
    uint64_t c = r * r * r;
    EXPECT_EQ(tcp_icbrt64(c), r);
    if (r > 0) {
      EXPECT_EQ(tcp_icbrt64(c - 1), r - 1);
    }
    EXPECT_EQ(tcp_icbrt64(c + 1), r == 0 ? 1u : r);
  }
  EXPECT_EQ(tcp_icbrt64(UINT64_MAX), 2642245u);
  EXPECT_EQ(tcp_icbrt64(2642245ull * 2642245ull * 2642245ull), 2642245u);
}

struct CcFixture : ::testing::Test {
  tcp_conn_t c;
  void SetUp() override {
    memset(&c, 0, sizeof(c));
    c.mss = 1000;
    c.cwnd = 10000;
    c.ssthresh = 0x7fffffff;
  }
};

TEST_F(CcFixture, NewRenoSlowStartThenAvoidance) {
  c.cc = &tcp_cc_newreno;
  c.cc->init(&c);
  c.cc->on_ack(&c, 1000, 0);
  EXPECT_EQ(c.cwnd, 11000u);
  c.cc->on_ack(&c, 5000, 0);  // byte counting caps one ACK's growth at 2 segments
  EXPECT_EQ(c.cwnd, 13000u);
  c.snd_una = 0;
  c.snd_max = 20000;
  c.cc->on_loss(&c, 0);
  EXPECT_EQ(c.ssthresh, 10000u);  // half the flight
  c.cwnd = c.ssthresh;
  // One full window of ACKed bytes adds one segment.
  for (int i = 0; i < 9; i++) c.cc->on_ack(&c, 1000, 0);
  EXPECT_EQ(c.cwnd, 10000u);
  c.cc->on_ack(&c, 1000, 0);
  EXPECT_EQ(c.cwnd, 11000u);
  c.snd_max = 1000;
  c.cc->on_rto(&c, 0);
  EXPECT_EQ(c.ssthresh, 2000u);  // never below two segments
}

// RFC 9438: after a loss at W_max = 100 segments the window drops to 70 and climbs back,
// reaching W_max after K = cbrt(W_max * (1 - beta) / C) = cbrt(75) = 4.217 s.
TEST_F(CcFixture, CubicReturnsToWmaxAfterK) {
  c.cc = &tcp_cc_cubic;
  c.cc->init(&c);
  c.cwnd = 100000;
  c.snd_una = 0;
  c.snd_max = 100000;
  c.srtt_us = 100000;  // long enough an RTT that CUBIC, not the Reno-friendly estimate, leads
  c.cc->on_loss(&c, 1000000);
  EXPECT_EQ(c.ssthresh, 70000u);
  c.cwnd = c.ssthresh;
  uint64_t t = 1000000;
  uint32_t at_k = 0, at_half_k = 0;
  // ACK one window per RTT (100 ms) for 10 s.
  for (int rtt = 0; rtt < 100; rtt++) {
    uint32_t w = c.cwnd;
    for (uint32_t acked = 0; acked < w; acked += 1000) c.cc->on_ack(&c, 1000, t);
    t += 100000;
    uint64_t since = t - 1000000;
    if (since >= 2108000 && at_half_k == 0) at_half_k = c.cwnd;
    if (since >= 4217000 && at_k == 0) at_k = c.cwnd;
  }
  // Concave: halfway to K the window has recovered most of the gap (W(K/2) = W_max - C(K/2)^3;
  // the window aims one RTT ahead).
  double k = std::cbrt(75.0);
  double w_half = 100.0 - 0.4 * std::pow(k / 2 - 0.1, 3);
  EXPECT_NEAR(at_half_k / 1000.0, w_half, 4.0);
  EXPECT_NEAR(at_k / 1000.0, 100.0, 4.0);
  // Convex growth beyond W_max afterwards: W(10 s) = W_max + C (10 - K)^3.
  EXPECT_NEAR(c.cwnd / 1000.0, 100.0 + 0.4 * std::pow(10.0 + 0.1 - k, 3), 8.0);
}

TEST_F(CcFixture, CubicFastConvergence) {
  c.cc = &tcp_cc_cubic;
  c.cc->init(&c);
  c.snd_una = 0;
  c.cwnd = 100000;
  c.snd_max = 100000;
  c.cc->on_loss(&c, 0);
  EXPECT_EQ(c.ccs.w_max, 100000u);
  c.cwnd = 80000;  // a second loss below the previous W_max
  c.snd_max = 80000;
  c.cc->on_loss(&c, 0);
  EXPECT_EQ(c.ccs.w_max, 68000u);  // 80000 * (1 + 0.7) / 2
  EXPECT_EQ(c.ssthresh, 56000u);
}

}  // namespace
