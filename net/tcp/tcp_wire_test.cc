// Tests for TCP sequence arithmetic and the header/option parser and emitter.
#include "net/tcp/tcp_wire.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "net/tcp/tcp_seq.h"

namespace {

// ---------------------------------------------------------------- sequence numbers

TEST(TcpSeq, OrderingAcrossWrap) {
  EXPECT_TRUE(tcp_seq_lt(0xfffffff0u, 0x00000010u));
  EXPECT_TRUE(tcp_seq_gt(0x00000010u, 0xfffffff0u));
  EXPECT_FALSE(tcp_seq_lt(0x00000010u, 0xfffffff0u));
  EXPECT_TRUE(tcp_seq_le(5u, 5u));
  EXPECT_TRUE(tcp_seq_ge(5u, 5u));
  EXPECT_FALSE(tcp_seq_lt(5u, 5u));
  EXPECT_EQ(tcp_seq_diff(0x00000010u, 0xfffffff0u), 0x20);
  EXPECT_EQ(tcp_seq_diff(0xfffffff0u, 0x00000010u), -0x20);
  EXPECT_EQ(tcp_seq_max(0xfffffff0u, 3u), 3u);
  EXPECT_EQ(tcp_seq_min(0xfffffff0u, 3u), 0xfffffff0u);
}

TEST(TcpSeq, EveryOffsetAroundEveryBase) {
  // Walk bases across the circle, including both sides of 0 and of 2^31.
  const uint32_t bases[] = {0u, 1u, 0x7fffffffu, 0x80000000u, 0xfffffffeu, 0xffffffffu, 12345u};
  for (uint32_t b : bases) {
    for (int32_t d = -1000; d <= 1000; d++) {
      uint32_t a = b + (uint32_t)d;
      EXPECT_EQ(tcp_seq_diff(a, b), d);
      EXPECT_EQ(tcp_seq_lt(a, b), d < 0);
      EXPECT_EQ(tcp_seq_gt(a, b), d > 0);
      EXPECT_EQ(tcp_seq_in(a, b, b + 100), d >= 0 && d < 100);
      EXPECT_EQ(tcp_seq_in_incl(a, b, b + 100), d >= 0 && d <= 100);
    }
  }
}

TEST(TcpSeq, EmptyIntervalHoldsNothing) {
  EXPECT_FALSE(tcp_seq_in(7u, 7u, 7u));
  EXPECT_TRUE(tcp_seq_in_incl(7u, 7u, 7u));
}

TEST(TcpSeq, AcceptabilityFourCases) {
  const uint32_t nxt = 0xffffff00u;  // window straddles the wrap
  // len 0, wnd 0: only exactly rcv_nxt.
  EXPECT_TRUE(tcp_seq_acceptable(nxt, 0, nxt, 0));
  EXPECT_FALSE(tcp_seq_acceptable(nxt + 1, 0, nxt, 0));
  // len 0, wnd > 0: inside the window.
  EXPECT_TRUE(tcp_seq_acceptable(nxt + 0x1ff, 0, nxt, 0x200));
  EXPECT_FALSE(tcp_seq_acceptable(nxt + 0x200, 0, nxt, 0x200));
  EXPECT_FALSE(tcp_seq_acceptable(nxt - 1, 0, nxt, 0x200));
  // len > 0, wnd 0: never.
  EXPECT_FALSE(tcp_seq_acceptable(nxt, 10, nxt, 0));
  // len > 0, wnd > 0: first or last byte inside.
  EXPECT_TRUE(tcp_seq_acceptable(nxt - 5, 10, nxt, 0x200));    // last byte inside
  EXPECT_FALSE(tcp_seq_acceptable(nxt - 10, 10, nxt, 0x200));  // ends just before
  EXPECT_TRUE(tcp_seq_acceptable(nxt + 0x1ff, 10, nxt, 0x200));
  EXPECT_FALSE(tcp_seq_acceptable(nxt + 0x200, 10, nxt, 0x200));
}

// ---------------------------------------------------------------- parse

std::vector<uint8_t> Header(uint8_t data_off_words, uint8_t flags, std::vector<uint8_t> opts = {},
                            std::vector<uint8_t> payload = {}) {
  std::vector<uint8_t> b = {0x12,
                            0x34,
                            0x00,
                            0x50,  // ports 4660 -> 80
                            0xde,
                            0xad,
                            0xbe,
                            0xef,  // seq
                            0x01,
                            0x02,
                            0x03,
                            0x04,  // ack
                            (uint8_t)(data_off_words << 4),
                            flags,
                            0xff,
                            0xf0,  // window
                            0xab,
                            0xcd,  // checksum
                            0x00,
                            0x07};  // urgent pointer
  b.insert(b.end(), opts.begin(), opts.end());
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

TEST(TcpWireParse, BasicHeaderFields) {
  auto b = Header(5, TCP_FLAG_ACK | TCP_FLAG_PSH, {}, {'h', 'i'});
  tcp_segment_t s;
  ASSERT_EQ(tcp_wire_parse(b.data(), b.size(), &s), TCP_WIRE_OK);
  EXPECT_EQ(s.sport, 0x1234);
  EXPECT_EQ(s.dport, 80);
  EXPECT_EQ(s.seq, 0xdeadbeefu);
  EXPECT_EQ(s.ack, 0x01020304u);
  EXPECT_EQ(s.hlen, 20);
  EXPECT_EQ(s.flags, TCP_FLAG_ACK | TCP_FLAG_PSH);
  EXPECT_EQ(s.wnd, 0xfff0);
  EXPECT_EQ(s.csum, 0xabcd);
  EXPECT_EQ(s.urp, 7);
  EXPECT_EQ(s.opt.present, 0);
  EXPECT_FALSE(s.opt.malformed);
  ASSERT_EQ(s.payload_len, 2u);
  EXPECT_EQ(s.payload, b.data() + 20);
  EXPECT_EQ(s.payload[0], 'h');
}

TEST(TcpWireParse, TruncatedAndBadOffset) {
  auto b = Header(5, 0);
  tcp_segment_t s;
  for (size_t n = 0; n < 20; n++) EXPECT_EQ(tcp_wire_parse(b.data(), n, &s), TCP_WIRE_TRUNCATED);
  EXPECT_EQ(tcp_wire_parse(nullptr, 40, &s), TCP_WIRE_TRUNCATED);
  for (uint8_t off = 0; off < 5; off++) {
    auto bad = Header(off, 0);
    EXPECT_EQ(tcp_wire_parse(bad.data(), bad.size(), &s), TCP_WIRE_BAD_OFFSET) << int(off);
  }
  // Data offset claims 24 bytes of header but only 22 arrived.
  auto shortopt = Header(6, 0, {1, 1});
  EXPECT_EQ(tcp_wire_parse(shortopt.data(), shortopt.size(), &s), TCP_WIRE_TRUNCATED);
  // Maximum offset (60 bytes) with exactly 60 bytes present is fine.
  auto full = Header(15, 0, std::vector<uint8_t>(40, TCP_OPTKIND_NOP));
  EXPECT_EQ(tcp_wire_parse(full.data(), full.size(), &s), TCP_WIRE_OK);
  EXPECT_EQ(s.hlen, 60);
  EXPECT_EQ(s.payload_len, 0u);
}

TEST(TcpWireParse, AllKnownOptions) {
  std::vector<uint8_t> o = {
      2, 4,  0x05, 0xb4,                                      // MSS 1460
      4, 2,                                                   // SACK permitted
      8, 10, 0,    0,    0,    1,    0xff, 0xff, 0xff, 0xfe,  // TS 1, 0xfffffffe
      1, 3,  3,    7,                                         // NOP, WS 7
      1, 1,  5,    18,   0,    0,    0,    10,   0,    0,
      0, 20, 0xff, 0xff, 0xff, 0xf0, 0,    0,    0,    4,  // 2 SACK blocks
  };
  ASSERT_EQ(o.size(), 40u);
  auto b = Header(15, TCP_FLAG_SYN, o);
  tcp_segment_t s;
  ASSERT_EQ(tcp_wire_parse(b.data(), b.size(), &s), TCP_WIRE_OK);
  EXPECT_FALSE(s.opt.malformed);
  EXPECT_EQ(s.opt.present,
            TCP_OPT_MSS | TCP_OPT_SACK_PERM | TCP_OPT_TS | TCP_OPT_WSCALE | TCP_OPT_SACK);
  EXPECT_EQ(s.opt.mss, 1460);
  EXPECT_EQ(s.opt.tsval, 1u);
  EXPECT_EQ(s.opt.tsecr, 0xfffffffeu);
  EXPECT_EQ(s.opt.wscale, 7);
  ASSERT_EQ(s.opt.sack_count, 2);
  EXPECT_EQ(s.opt.sack[0].left, 10u);
  EXPECT_EQ(s.opt.sack[0].right, 20u);
  EXPECT_EQ(s.opt.sack[1].left, 0xfffffff0u);
  EXPECT_EQ(s.opt.sack[1].right, 4u);
}

TEST(TcpWireParse, WindowScaleClampedTo14) {
  tcp_opts_t o;
  const uint8_t ws[] = {3, 3, 200};
  tcp_wire_parse_options(ws, sizeof(ws), &o);
  EXPECT_EQ(o.present, TCP_OPT_WSCALE);
  EXPECT_EQ(o.wscale, 14);
}

TEST(TcpWireParse, UnknownOptionsSkippedByLength) {
  const uint8_t opts[] = {30,  6, 1,    2,   3, 4,  // unknown kind 30 (MPTCP), length 6
                          254, 2,                   // experimental, empty
                          2,   4, 0x02, 0x18};      // MSS 536 after them
  tcp_opts_t o;
  tcp_wire_parse_options(opts, sizeof(opts), &o);
  EXPECT_FALSE(o.malformed);
  EXPECT_EQ(o.present, TCP_OPT_MSS);
  EXPECT_EQ(o.mss, 536);
}

TEST(TcpWireParse, KnownKindWithWrongLengthIsSkipped) {
  const uint8_t opts[] = {2, 5, 1, 2, 3,              // MSS with length 5: ignored
                          3, 4, 9, 9,                 // WS with length 4: ignored
                          8, 6, 1, 2, 3, 4,           // TS with length 6: ignored
                          5, 9, 0, 0, 0, 0, 0, 0, 0,  // SACK with length 9: ignored
                          4, 3, 0,                    // SACK-perm with length 3: ignored
                          3, 3, 2};                   // a good WS
  tcp_opts_t o;
  tcp_wire_parse_options(opts, sizeof(opts), &o);
  EXPECT_FALSE(o.malformed);
  EXPECT_EQ(o.present, TCP_OPT_WSCALE);
  EXPECT_EQ(o.wscale, 2);
}

TEST(TcpWireParse, SackBlockCountLimits) {
  std::vector<uint8_t> five = {5, 42};
  five.resize(42, 0);
  tcp_opts_t o;
  tcp_wire_parse_options(five.data(), five.size(), &o);
  EXPECT_EQ(o.present, 0);  // five blocks cannot fit in 40 bytes: not a valid SACK option
  std::vector<uint8_t> four = {5, 34};
  four.resize(34, 1);
  tcp_wire_parse_options(four.data(), four.size(), &o);
  EXPECT_EQ(o.present, TCP_OPT_SACK);
  EXPECT_EQ(o.sack_count, 4);
  EXPECT_EQ(o.sack[3].right, 0x01010101u);
  const uint8_t empty[] = {5, 2};
  tcp_wire_parse_options(empty, sizeof(empty), &o);
  EXPECT_EQ(o.present, 0);
}

TEST(TcpWireParse, MalformedLengthsStopParsing) {
  tcp_opts_t o;
  // Length byte missing at the very end.
  const uint8_t a[] = {2, 4, 0, 100, 8};
  tcp_wire_parse_options(a, sizeof(a), &o);
  EXPECT_TRUE(o.malformed);
  EXPECT_EQ(o.present, TCP_OPT_MSS);  // options before the bad one are kept
  // Length 0 and 1 would not advance: must be rejected, not looped on.
  const uint8_t b[] = {30, 0, 2, 4, 0, 100};
  tcp_wire_parse_options(b, sizeof(b), &o);
  EXPECT_TRUE(o.malformed);
  EXPECT_EQ(o.present, 0);
  const uint8_t c[] = {30, 1};
  tcp_wire_parse_options(c, sizeof(c), &o);
  EXPECT_TRUE(o.malformed);
  // Length past the end of the option area.
  const uint8_t d[] = {8, 10, 0, 0, 0, 1, 0, 0};
  tcp_wire_parse_options(d, sizeof(d), &o);
  EXPECT_TRUE(o.malformed);
  EXPECT_EQ(o.present, 0);
}

TEST(TcpWireParse, EolEndsOptions) {
  const uint8_t opts[] = {1, 0, 2, 4, 0, 100};
  tcp_opts_t o;
  tcp_wire_parse_options(opts, sizeof(opts), &o);
  EXPECT_FALSE(o.malformed);
  EXPECT_EQ(o.present, 0);
}

TEST(TcpWireParse, OptionsNeverReadPastDeclaredArea) {
  // The option bytes end at the data offset; a payload that looks like options is not parsed.
  auto b = Header(5, 0, {}, {2, 4, 0x05, 0xb4});
  tcp_segment_t s;
  ASSERT_EQ(tcp_wire_parse(b.data(), b.size(), &s), TCP_WIRE_OK);
  EXPECT_EQ(s.opt.present, 0);
  EXPECT_EQ(s.payload_len, 4u);
}

// ---------------------------------------------------------------- emit

TEST(TcpWireEmit, SynOptionsRoundTrip) {
  tcp_segment_t s{};
  s.sport = 40000;
  s.dport = 443;
  s.seq = 0x80000000u;
  s.ack = 0;
  s.flags = TCP_FLAG_SYN;
  s.wnd = 65535;
  s.opt.present = TCP_OPT_MSS | TCP_OPT_SACK_PERM | TCP_OPT_TS | TCP_OPT_WSCALE;
  s.opt.mss = 1460;
  s.opt.wscale = 7;
  s.opt.tsval = 0x11223344;
  s.opt.tsecr = 0;
  EXPECT_EQ(tcp_wire_options_len(&s.opt), 20u);
  uint8_t buf[60];
  size_t hl = 0;
  ASSERT_EQ(tcp_wire_emit(buf, sizeof(buf), &s, &hl), TCP_WIRE_OK);
  EXPECT_EQ(hl, 40u);
  EXPECT_EQ(buf[12] >> 4, 10);
  tcp_segment_t p;
  ASSERT_EQ(tcp_wire_parse(buf, hl, &p), TCP_WIRE_OK);
  EXPECT_EQ(p.sport, 40000);
  EXPECT_EQ(p.dport, 443);
  EXPECT_EQ(p.seq, 0x80000000u);
  EXPECT_EQ(p.flags, TCP_FLAG_SYN);
  EXPECT_EQ(p.wnd, 65535);
  EXPECT_EQ(p.opt.present, s.opt.present);
  EXPECT_EQ(p.opt.mss, 1460);
  EXPECT_EQ(p.opt.wscale, 7);
  EXPECT_EQ(p.opt.tsval, 0x11223344u);
  EXPECT_FALSE(p.opt.malformed);
}

TEST(TcpWireEmit, EachOptionAloneRoundTrips) {
  const uint8_t kinds[] = {TCP_OPT_MSS, TCP_OPT_WSCALE, TCP_OPT_SACK_PERM, TCP_OPT_TS,
                           TCP_OPT_SACK};
  for (uint8_t k : kinds) {
    tcp_segment_t s{};
    s.opt.present = k;
    s.opt.mss = 9000;
    s.opt.wscale = 14;
    s.opt.tsval = 5;
    s.opt.tsecr = 6;
    s.opt.sack_count = 1;
    s.opt.sack[0] = {100, 200};
    uint8_t buf[60];
    size_t hl = 0;
    ASSERT_EQ(tcp_wire_emit(buf, sizeof(buf), &s, &hl), TCP_WIRE_OK);
    EXPECT_EQ(hl % 4, 0u);
    tcp_segment_t p;
    ASSERT_EQ(tcp_wire_parse(buf, hl, &p), TCP_WIRE_OK);
    EXPECT_EQ(p.opt.present, k);
    EXPECT_EQ(p.opt.mss, (k == TCP_OPT_MSS) ? 9000 : 0);
    EXPECT_EQ(p.opt.wscale, (k == TCP_OPT_WSCALE) ? 14 : 0);
    EXPECT_EQ(p.opt.sack_count, (k == TCP_OPT_SACK) ? 1 : 0);
  }
}

TEST(TcpWireEmit, TimestampPlusThreeSackBlocksFillsFortyBytes) {
  tcp_segment_t s{};
  s.flags = TCP_FLAG_ACK;
  s.opt.present = TCP_OPT_TS | TCP_OPT_SACK;
  s.opt.sack_count = 3;
  for (int i = 0; i < 3; i++) s.opt.sack[i] = {(uint32_t)i * 1000, (uint32_t)i * 1000 + 500};
  EXPECT_EQ(tcp_wire_options_len(&s.opt), 40u);
  uint8_t buf[60];
  size_t hl = 0;
  ASSERT_EQ(tcp_wire_emit(buf, sizeof(buf), &s, &hl), TCP_WIRE_OK);
  EXPECT_EQ(hl, 60u);
  tcp_segment_t p;
  ASSERT_EQ(tcp_wire_parse(buf, hl, &p), TCP_WIRE_OK);
  ASSERT_EQ(p.opt.sack_count, 3);
  EXPECT_EQ(p.opt.sack[2].left, 2000u);
  EXPECT_EQ(p.opt.sack[2].right, 2500u);
  // A fourth block no longer fits next to the timestamp.
  s.opt.sack_count = 4;
  EXPECT_EQ(tcp_wire_emit(buf, sizeof(buf), &s, &hl), TCP_WIRE_NO_SPACE);
}

TEST(TcpWireEmit, RejectsSmallBufferAndBadValues) {
  tcp_segment_t s{};
  uint8_t buf[60];
  size_t hl = 0;
  EXPECT_EQ(tcp_wire_emit(buf, 19, &s, &hl), TCP_WIRE_NO_SPACE);
  EXPECT_EQ(tcp_wire_emit(buf, 20, &s, &hl), TCP_WIRE_OK);
  EXPECT_EQ(hl, 20u);
  s.opt.present = TCP_OPT_MSS;
  EXPECT_EQ(tcp_wire_emit(buf, 23, &s, &hl), TCP_WIRE_NO_SPACE);
  s.opt.present = TCP_OPT_WSCALE;
  s.opt.wscale = 15;
  EXPECT_EQ(tcp_wire_emit(buf, sizeof(buf), &s, &hl), TCP_WIRE_BAD_ARG);
  s.opt.present = TCP_OPT_SACK;
  s.opt.sack_count = 5;
  EXPECT_EQ(tcp_wire_emit(buf, sizeof(buf), &s, &hl), TCP_WIRE_BAD_ARG);
  EXPECT_STRNE(tcp_wire_status_str(TCP_WIRE_BAD_ARG), "unknown");
}

// ---------------------------------------------------------------- checksum

TEST(TcpWireChecksum, KnownVectorOddLength) {
  // SYN 49374 -> 80, seq 1, window 8192, two payload bytes "AB", 10.0.0.1 -> 10.0.0.2.
  // Expected value computed independently (Python, RFC 1071 algorithm).
  const uint8_t seg[] = {0xc0, 0xde, 0x00, 0x50, 0,    0, 0, 1, 0, 0,    0,
                         0,    0x50, 0x02, 0x20, 0x00, 0, 0, 0, 0, 0x41, 0x42};
  EXPECT_EQ(tcp_wire_checksum(0x0a000001, 0x0a000002, seg, sizeof(seg)), 0x796c);
}

TEST(TcpWireChecksum, VerifiesToZeroAndDetectsFlips) {
  std::vector<uint8_t> seg = Header(5, TCP_FLAG_ACK, {}, {1, 2, 3, 4, 5});
  seg[16] = seg[17] = 0;
  uint16_t c = tcp_wire_checksum(0xc0a80001, 0xc0a80002, seg.data(), seg.size());
  seg[16] = (uint8_t)(c >> 8);
  seg[17] = (uint8_t)c;
  EXPECT_EQ(tcp_wire_checksum(0xc0a80001, 0xc0a80002, seg.data(), seg.size()), 0);
  for (size_t i = 0; i < seg.size(); i++) {
    seg[i] ^= 0x10;
    EXPECT_NE(tcp_wire_checksum(0xc0a80001, 0xc0a80002, seg.data(), seg.size()), 0) << i;
    seg[i] ^= 0x10;
  }
  // Wrong pseudo header (other destination) fails too.
  EXPECT_NE(tcp_wire_checksum(0xc0a80001, 0xc0a80003, seg.data(), seg.size()), 0);
}

}  // namespace
