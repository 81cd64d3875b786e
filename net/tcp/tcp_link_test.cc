// Two TCP stacks over an in-memory link with seeded loss, duplication, reordering, corruption,
// delay and jitter. For every seed both directions carry the test pattern at once, each side
// half-closes when done, and the test checks that every byte arrived intact and in order and
// that both connections end in the right states (TIME_WAIT, then gone).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "net/tcp/tcp.h"
#include "net/tcp/tcp_test_util.h"

namespace {

using tcptest::Impair;
using tcptest::Link;

struct Flow {
  tcp_conn_t* c = nullptr;
  std::vector<uint8_t> tx;
  size_t sent = 0;
  std::vector<uint8_t> rx;
  bool shut = false, eof = false;
  int err = NET_OK;

  void Pump() {
    if (!c) return;
    while (sent < tx.size()) {
      long n = tcp_send(c, tx.data() + sent, tx.size() - sent);
      if (n <= 0) {
        if (n != NET_ERR_WOULDBLOCK) err = (int)n;
        break;
      }
      sent += (size_t)n;
    }
    if (sent == tx.size() && !shut && tcp_poll(c) != 0) {
      int r = tcp_shutdown_write(c);
      if (r == NET_OK) shut = true;
    }
    uint8_t buf[16384];
    for (;;) {
      long n = tcp_recv(c, buf, sizeof(buf));
      if (n > 0) {
        rx.insert(rx.end(), buf, buf + n);
        continue;
      }
      if (n == 0) eof = true;
      if (n < 0 && n != NET_ERR_WOULDBLOCK) err = (int)n;
      break;
    }
  }
  bool Done() const { return eof && shut; }
};

struct Outcome {
  bool ok = false;
  std::string why;
};

Outcome RunSeed(uint64_t seed) {
  std::mt19937_64 r(seed * 0x9e3779b97f4a7c15ull + 1);
  Impair imp;
  imp.loss = r() % 60;     // up to 6 %
  imp.dup = r() % 30;      // up to 3 %
  imp.reorder = r() % 60;  // up to 6 %
  imp.corrupt = r() % 20;  // up to 2 %
  imp.delay_us = 200 + r() % 20000;
  imp.jitter_us = r() % 3 ? 0 : r() % 5000;
  tcp_config_t cfg;
  tcp_config_default(&cfg);
  switch (seed % 5) {
    case 1:
      cfg.sack = false;  // NewReno recovery
      break;
    case 2:
      cfg.timestamps = false;
      cfg.window_scaling = false;
      break;
    case 3:
      cfg.cc = TCP_CC_CUBIC;
      break;
    case 4:
      cfg.sndbuf = cfg.rcvbuf = 8192;  // the seed's small buffers: zero windows happen
      break;
    default:
      break;
  }
  if (r() % 4 == 0) cfg.mtu = 576;
  Link link(seed, imp, &cfg);
  tcp_conn_t* l = nullptr;
  if (tcp_listen(link.b(), 0, 5001, 0, &l) != NET_OK) return {false, "listen"};
  Flow a, b;
  a.tx = tcptest::Pattern(r() % 400000);
  b.tx = tcptest::Pattern(r() % 200000, 7);
  if (tcp_connect(link.a(), Link::kA, 0, Link::kB, 5001, &a.c) != NET_OK) return {false, "connect"};
  const bool trace = getenv("TCP_LINK_TRACE") != nullptr;
  uint64_t next_trace = 0;
  auto pump = [&]() {
    if (trace && link.now() >= next_trace) {
      next_trace = link.now() + 200000;
      for (tcp_conn_t* c : {a.c, b.c}) {
        if (!c) continue;
        tcp_info_t in;
        tcp_get_info(c, &in);
        fprintf(stderr,
                "t=%.3f %s st=%s cwnd=%u ssth=%u fl=%u srtt=%u rto=%u rtx=%llu snd_wnd=%u "
                "sent=%llu rcvd=%llu q=%u\n",
                link.now() / 1e6, c == a.c ? "A" : "B", tcp_state_name(in.state), in.cwnd,
                in.ssthresh, in.bytes_in_flight, in.srtt_us, in.rto_us,
                (unsigned long long)in.retransmits, in.snd_wnd, (unsigned long long)in.bytes_sent,
                (unsigned long long)in.bytes_received, in.snd_queued);
      }
    }
    if (!b.c) tcp_accept(l, &b.c);
    a.Pump();
    b.Pump();
    return (a.Done() && b.Done()) || a.err != NET_OK || b.err != NET_OK;
  };
  bool fin = link.RunUntil(pump, 1800ull * 1000000);
  char buf[256];
  snprintf(buf, sizeof(buf),
           " seed=%llu loss=%u dup=%u reorder=%u corrupt=%u delay=%llu jitter=%llu cfg=%d "
           "mtu=%u a.tx=%zu a.rx=%zu b.tx=%zu b.rx=%zu a.err=%d b.err=%d",
           (unsigned long long)seed, imp.loss, imp.dup, imp.reorder, imp.corrupt,
           (unsigned long long)imp.delay_us, (unsigned long long)imp.jitter_us, (int)(seed % 5),
           cfg.mtu, a.tx.size(), a.rx.size(), b.tx.size(), b.rx.size(), a.err, b.err);
  std::string ctx(buf);
  for (tcp_stack_t* st : {link.a(), link.b()}) {
    tcp_stats_t x;
    tcp_get_stats(st, &x);
    snprintf(buf, sizeof(buf),
             " [paws=%llu oow=%llu badck=%llu bad=%llu chal=%llu ooo_drop=%llu rto=%llu fr=%llu]",
             (unsigned long long)x.paws_drops, (unsigned long long)x.out_of_window,
             (unsigned long long)x.bad_checksum, (unsigned long long)x.bad_segments,
             (unsigned long long)x.challenge_acks, (unsigned long long)x.ooo_drops,
             (unsigned long long)x.rto_timeouts, (unsigned long long)x.fast_retransmits);
    ctx += buf;
  }
  if (!fin || a.err || b.err) return {false, "transfer did not finish" + ctx};
  if (a.rx != b.tx) return {false, "B->A data differs" + ctx};
  if (b.rx != a.tx) return {false, "A->B data differs" + ctx};
  tcp_info_t ia, ib;
  tcp_get_info(a.c, &ia);
  tcp_get_info(b.c, &ib);
  // Both sent FIN and received FIN: each side is in TIME_WAIT or (the side whose FIN was
  // acknowledged last) already CLOSED, or still waiting for the last ACK / in CLOSING.
  auto closing_state = [](tcp_state_t s) {
    return s == TCP_TIME_WAIT || s == TCP_CLOSED || s == TCP_LAST_ACK || s == TCP_CLOSING ||
           s == TCP_FIN_WAIT_1 || s == TCP_FIN_WAIT_2;
  };
  if (!closing_state(ia.state) || !closing_state(ib.state)) {
    return {false, std::string("unexpected states ") + tcp_state_name(ia.state) + "/" +
                       tcp_state_name(ib.state) + ctx};
  }
  tcp_close(a.c);
  tcp_close(b.c);
  // Let every timer run out: both sides must end with no connection (B keeps its listener).
  link.RunUntil([] { return false; }, 10ull * 60 * 1000000);
  tcp_stats_t sa, sb;
  tcp_get_stats(link.a(), &sa);
  tcp_get_stats(link.b(), &sb);
  if (sa.conns_in_use != 0 || sb.conns_in_use != 1) {
    return {false, "connections left: A " + std::to_string(sa.conns_in_use) + " B " +
                       std::to_string(sb.conns_in_use) + ctx};
  }
  if (sa.buffer_bytes != 0 || sb.buffer_bytes != 0) return {false, "buffers leaked" + ctx};
  if (sa.timeouts + sb.timeouts != 0) return {false, "a connection timed out" + ctx};
  return {true, ""};
}

uint64_t SeedCount() {
  const char* e = getenv("TCP_LINK_SEEDS");
  return e ? strtoull(e, nullptr, 10) : 300;
}

TEST(TcpLink, ManySeedsDeliverEveryByte) {
  uint64_t n = SeedCount();
  const char* first = getenv("TCP_LINK_FIRST_SEED");
  uint64_t base = first ? strtoull(first, nullptr, 10) : 1;
  int failures = 0;
  for (uint64_t s = base; s < base + n && failures < 5; s++) {
    Outcome o = RunSeed(s);
    if (!o.ok) {
      ADD_FAILURE() << o.why;
      failures++;
    }
  }
}

// A clean link: the handshake, a transfer and an orderly close with nothing lost.
TEST(TcpLink, CleanLinkNoRetransmissions) {
  Impair imp;
  imp.delay_us = 5000;
  Link link(42, imp);
  tcp_conn_t* l;
  ASSERT_EQ(tcp_listen(link.b(), 0, 7, 0, &l), NET_OK);
  Flow a, b;
  a.tx = tcptest::Pattern(2000000);
  ASSERT_EQ(tcp_connect(link.a(), Link::kA, 0, Link::kB, 7, &a.c), NET_OK);
  ASSERT_TRUE(link.RunUntil(
      [&] {
        if (!b.c) tcp_accept(l, &b.c);
        a.Pump();
        b.Pump();
        return a.Done() && b.Done();
      },
      600ull * 1000000));
  EXPECT_EQ(b.rx, a.tx);
  tcp_info_t in;
  tcp_get_info(a.c, &in);
  EXPECT_EQ(in.retransmits, 0u);
  EXPECT_TRUE(in.ts && in.sack && in.wscale);
  // 2 MB over a 10 ms RTT finishes in well under a second of (fake) time: the window opened.
  EXPECT_LT(link.now(), 1000000u + 3000000u);
}

// The host build holds 10,000 idle connections (20,000 endpoints over both stacks here); idle
// connections hold no buffer memory, only their table slot.
TEST(TcpLink, TenThousandIdleConnections) {
  constexpr int kConns = 10000;
  tcp_config_t cfg;
  tcp_config_default(&cfg);
  cfg.max_conns = kConns + 1;
  Impair imp;
  imp.delay_us = 100;
  Link link(7, imp, &cfg);
  tcp_conn_t* l;
  ASSERT_EQ(tcp_listen(link.b(), 0, 9000, 64, &l), NET_OK);
  std::vector<tcp_conn_t*> client(kConns), server;
  server.reserve(kConns);
  for (int base = 0; base < kConns; base += 50) {
    for (int i = base; i < base + 50; i++) {
      ASSERT_EQ(tcp_connect(link.a(), Link::kA, 0, Link::kB, 9000, &client[i]), NET_OK) << i;
    }
    ASSERT_TRUE(link.RunUntil(
        [&] {
          tcp_conn_t* c;
          while (tcp_accept(l, &c) == NET_OK) server.push_back(c);
          return (int)server.size() == base + 50;
        },
        10ull * 1000000))
        << base;
  }
  tcp_stats_t sa, sb;
  tcp_get_stats(link.a(), &sa);
  tcp_get_stats(link.b(), &sb);
  EXPECT_EQ(sa.conns_in_use, (uint32_t)kConns);
  EXPECT_EQ(sb.conns_in_use, (uint32_t)kConns + 1);
  EXPECT_EQ(sa.buffer_bytes, 0u);
  EXPECT_EQ(sb.buffer_bytes, 0u);
  EXPECT_EQ(sa.syncookies_sent + sb.syncookies_sent, 0u);
  for (tcp_conn_t* c : client) {
    tcp_info_t in;
    tcp_get_info(c, &in);
    ASSERT_EQ(in.state, TCP_ESTABLISHED);
  }
  // Every connection still works: a byte each way on a sample of them.
  for (int i = 0; i < kConns; i += 997) {
    ASSERT_EQ(tcp_send(client[i], "p", 1), 1);
  }
  link.RunUntil([] { return false; }, 1000000);
  int got = 0;
  for (tcp_conn_t* c : server) {
    char ch;
    if (tcp_recv(c, &ch, 1) == 1 && ch == 'p') got++;
  }
  EXPECT_EQ(got, (kConns + 996) / 997);
  RecordProperty("bytes_per_idle_connection", (int)tcp_conn_slot_bytes());
  printf("memory per idle connection: %zu bytes (table slot; no buffers while idle)\n",
         tcp_conn_slot_bytes());
}

}  // namespace
