#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "net/testing/link_fixture.h"

extern "C" {
#include "net/arp/arp.h"
#include "net/core/net_err.h"
#include "net/ipv4/ipv4.h"
#include "net/ipv4/ipv4_wire.h"
#include "net/ipv4/reass.h"
}

using nettest::Bytes;
using nettest::IpOpts;
using nettest::kPeerIp;
using nettest::kPeerMac;
using nettest::kStackIp;
using nettest::kStackMac;

namespace {

struct Delivered {
  std::vector<Bytes> payloads;
  std::vector<ipv4_rx_info> infos;
  std::vector<uint8_t> unreach_codes;
};

void Input(void *ctx, pbuf *p, const ipv4_rx_info *info) {
  auto *d = static_cast<Delivered *>(ctx);
  d->payloads.emplace_back(p->data, p->data + p->len);
  d->infos.push_back(*info);
  pbuf_free(p);
}

void Unreach(void *ctx, pbuf *, const ipv4_rx_info *, uint8_t code) {
  static_cast<Delivered *>(ctx)->unreach_codes.push_back(code);
}

class Ipv4Test : public nettest::LinkTest {
 protected:
  void SetUp() override {
    LinkTest::SetUp();
    arp_init(&arp_, core_.get(), &eth_);
    ipv4_init(ip_.get(), core_.get(), &arp_);
    ipv4_proto_ops ops = {Input, nullptr, &got_};
    ASSERT_EQ(ipv4_register(ip_.get(), 17, &ops), NET_OK);
    ipv4_set_unreach_hook(ip_.get(), Unreach, &got_);
  }
  void TearDown() override {
    arp_flush(&arp_);
    ipv4_poll(ip_.get(), UINT64_MAX / 2);
    LinkTest::TearDown();
  }
  void In(const Bytes &dgram, size_t pad_to = 0) {
    Bytes f = nettest::EthFrame(kStackMac, kPeerMac, ETH_TYPE_IPV4, dgram);
    if (f.size() < pad_to) f.resize(pad_to, 0);
    InputFrame(f);
  }
  // Teaches ARP the MAC of `ip` so output goes straight to the platform.
  void Neighbour(ipv4_addr_t ip) {
    // Replies are learned only when addressed to us; make an entry pending first.
    pbuf *p = pbuf_alloc_tx(&core_->pool, 1);
    arp_output(&arp_, p, ip);
    InputFrame(nettest::EthFrame(kStackMac, kPeerMac, ETH_TYPE_ARP,
                                 nettest::Arp(/*op=reply*/ 2, kPeerMac, ip, kStackMac, kStackIp)));
    DrainSent();
  }
  // The IPv4 datagrams sent since the last call.
  std::vector<Bytes> SentIp() {
    std::vector<Bytes> out;
    Bytes pl;
    for (uint16_t type; (type = PopSent(&pl)) != 0;) {
      if (type == ETH_TYPE_IPV4) out.push_back(pl);
    }
    return out;
  }
  arp arp_;
  std::unique_ptr<ipv4> ip_{new ipv4};
  Delivered got_;
};

TEST_F(Ipv4Test, DeliversValidDatagramAndTrimsPadding) {
  Bytes payload = {9, 8, 7};
  In(nettest::Ipv4(kPeerIp, kStackIp, 17, payload), 60);
  ASSERT_EQ(got_.payloads.size(), 1u);
  EXPECT_EQ(got_.payloads[0], payload);  // Ethernet padding stripped
  EXPECT_EQ(got_.infos[0].src, kPeerIp);
  EXPECT_EQ(got_.infos[0].dst, kStackIp);
  EXPECT_EQ(got_.infos[0].ttl, 64);
  EXPECT_EQ(got_.infos[0].hdr_len, 20);
  EXPECT_FALSE(got_.infos[0].broadcast);
  // Broadcast is delivered and flagged; options are skipped safely.
  IpOpts o;
  o.options = {1, 1, 0x88, 4, 0x12, 0x34, 0, 0};  // NOP NOP stream-id(4) EOL pad
  In(nettest::Ipv4(kPeerIp, IPV4_ADDR(10, 0, 0, 255), 17, payload, o));
  ASSERT_EQ(got_.payloads.size(), 2u);
  EXPECT_TRUE(got_.infos[1].broadcast);
  EXPECT_EQ(got_.infos[1].hdr_len, 28);
  EXPECT_EQ(got_.payloads[1], payload);
}

TEST_F(Ipv4Test, ValidationDropsWithReasons) {
  Bytes ok = nettest::Ipv4(kPeerIp, kStackIp, 17, {1, 2, 3, 4});
  Bytes v6 = ok;
  v6[0] = 0x65;
  In(v6);
  EXPECT_EQ(Drops(NET_DROP_IP_BAD_VERSION), 1u);
  Bytes ihl = ok;
  ihl[0] = 0x44;
  In(ihl);
  Bytes ihl_big = ok;
  ihl_big[0] = 0x4f;  // 60-byte header in a 24-byte datagram
  In(ihl_big);
  EXPECT_EQ(Drops(NET_DROP_IP_BAD_HLEN), 2u);
  Bytes len = ok;
  net_put16(&len[2], 200);  // longer than the frame
  In(len);
  Bytes len_small = ok;
  net_put16(&len_small[2], 10);  // shorter than the header
  In(len_small);
  EXPECT_EQ(Drops(NET_DROP_IP_BAD_LEN), 2u);
  Bytes ck = ok;
  ck[10] ^= 1;
  In(ck);
  EXPECT_EQ(Drops(NET_DROP_IP_BAD_CKSUM), 1u);
  IpOpts bad_opt;
  bad_opt.options = {0x88, 9, 0, 0};  // option length runs past the header
  In(nettest::Ipv4(kPeerIp, kStackIp, 17, {1}, bad_opt));
  bad_opt.options = {0x88, 1, 0, 0};  // option length < 2 (would loop forever if trusted)
  In(nettest::Ipv4(kPeerIp, kStackIp, 17, {1}, bad_opt));
  EXPECT_EQ(Drops(NET_DROP_IP_BAD_OPTIONS), 2u);
  IpOpts ttl0;
  ttl0.ttl = 0;
  In(nettest::Ipv4(kPeerIp, kStackIp, 17, {1}, ttl0));
  EXPECT_EQ(Drops(NET_DROP_IP_TTL), 1u);
  In(nettest::Ipv4(IPV4_BROADCAST, kStackIp, 17, {1}));
  In(nettest::Ipv4(IPV4_ADDR(224, 0, 0, 1), kStackIp, 17, {1}));
  EXPECT_EQ(Drops(NET_DROP_IP_BAD_SRC), 2u);
  In(nettest::Ipv4(kPeerIp, IPV4_ADDR(10, 0, 0, 3), 17, {1}));
  EXPECT_EQ(Drops(NET_DROP_IP_NOT_FOR_US), 1u);
  In(Bytes(ok.begin(), ok.begin() + 19));
  EXPECT_EQ(Drops(NET_DROP_IP_SHORT), 1u);
  EXPECT_TRUE(got_.payloads.empty());
}

TEST_F(Ipv4Test, UnknownProtocolAsksForUnreachableOnlyForUnicast) {
  In(nettest::Ipv4(kPeerIp, kStackIp, 99, {1, 2}));
  In(nettest::Ipv4(kPeerIp, IPV4_BROADCAST, 99, {1, 2}));
  EXPECT_EQ(Drops(NET_DROP_IP_UNKNOWN_PROTO), 2u);
  ASSERT_EQ(got_.unreach_codes.size(), 1u);
  EXPECT_EQ(got_.unreach_codes[0], 2);
}

TEST_F(Ipv4Test, OutputRoutesOnLinkAndViaGateway) {
  Neighbour(kPeerIp);
  Neighbour(IPV4_ADDR(10, 0, 0, 254));
  ipv4_tx tx = {};
  tx.dst = kPeerIp;
  tx.proto = 17;
  pbuf *p = pbuf_alloc_tx(&core_->pool, 10);
  memset(p->data, 0x5a, 10);
  ASSERT_EQ(ipv4_output(ip_.get(), p, &tx), NET_OK);
  tx.dst = IPV4_ADDR(8, 8, 8, 8);
  ASSERT_EQ(ipv4_output(ip_.get(), pbuf_alloc_tx(&core_->pool, 10), &tx), NET_OK);
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 2u);
  ipv4_hdr h;
  net_drop_reason why;
  ASSERT_TRUE(ipv4_parse(sent[0].data(), sent[0].size(), &h, &why));
  EXPECT_EQ(h.src, kStackIp);
  EXPECT_EQ(h.dst, kPeerIp);
  EXPECT_EQ(h.ttl, NET_IP_DEFAULT_TTL);
  EXPECT_EQ(h.total_len, 30);
  EXPECT_EQ(sent[0][20], 0x5a);
  ASSERT_TRUE(ipv4_parse(sent[1].data(), sent[1].size(), &h, &why));
  EXPECT_EQ(h.dst, IPV4_ADDR(8, 8, 8, 8));  // sent to the gateway's MAC, addressed to 8.8.8.8
  // No gateway: off-link is unreachable.
  core_->netif.gw = IPV4_ANY;
  EXPECT_EQ(ipv4_output(ip_.get(), pbuf_alloc_tx(&core_->pool, 10), &tx), NET_ERR_NETUNREACH);
  EXPECT_EQ(Drops(NET_DROP_IP_NO_ROUTE), 1u);
  // Interface down: nothing goes out.
  core_->netif.up = false;
  tx.dst = kPeerIp;
  EXPECT_EQ(ipv4_output(ip_.get(), pbuf_alloc_tx(&core_->pool, 10), &tx), NET_ERR_NETUNREACH);
}

// A handler that answers every datagram with one to ourselves (protocol 17), like a TCP
// receiver acking a segment from a local sender.
struct Bouncer {
  ipv4 *ip;
  int seen;
};

void Bounce(void *ctx, pbuf *p, const ipv4_rx_info *) {
  auto *b = static_cast<Bouncer *>(ctx);
  b->seen++;
  pbuf_free(p);
  ipv4_tx tx = {};
  tx.dst = kStackIp;
  tx.proto = 17;
  ipv4_output(b->ip, pbuf_alloc_tx(&b->ip->core->pool, 4), &tx);
}

TEST_F(Ipv4Test, LoopbackIsDeliveredOnTheNextRunNeverInsideTheSender) {
  Bouncer b = {ip_.get(), 0};
  ipv4_proto_ops ops = {Bounce, nullptr, &b};
  ASSERT_EQ(ipv4_register(ip_.get(), 18, &ops), NET_OK);
  ipv4_tx tx = {};
  tx.dst = kStackIp;
  tx.proto = 18;
  ASSERT_EQ(ipv4_output(ip_.get(), pbuf_alloc_tx(&core_->pool, 10), &tx), NET_OK);
  EXPECT_EQ(b.seen, 0);  // not re-entered from ipv4_output
  EXPECT_TRUE(ipv4_loopback_pending(ip_.get()));
  EXPECT_EQ(ipv4_loopback_run(ip_.get()), 1u);
  EXPECT_EQ(b.seen, 1);
  // The answer sent during that run waits for the next one.
  EXPECT_TRUE(got_.payloads.empty());
  EXPECT_EQ(ipv4_loopback_run(ip_.get()), 1u);
  ASSERT_EQ(got_.payloads.size(), 1u);
  EXPECT_EQ(got_.infos[0].src, kStackIp);
  EXPECT_EQ(ipv4_loopback_run(ip_.get()), 0u);
  EXPECT_TRUE(SentIp().empty());  // nothing reached the wire
  // Bounded: beyond NET_IP_LOOPBACK_QUEUE the sender gets NOMEM and nothing leaks.
  tx.proto = 17;
  int refused = 0;
  for (int i = 0; i < NET_IP_LOOPBACK_QUEUE + 3; i++) {
    if (ipv4_output(ip_.get(), pbuf_alloc_tx(&core_->pool, 1), &tx) == NET_ERR_NOMEM) refused++;
  }
  EXPECT_EQ(refused, 3);
  EXPECT_EQ(ipv4_loopback_run(ip_.get()), (unsigned)NET_IP_LOOPBACK_QUEUE);
}

TEST_F(Ipv4Test, FragmentsLargeDatagramsAndHonoursDf) {
  Neighbour(kPeerIp);
  Bytes payload(4000);
  for (size_t i = 0; i < payload.size(); i++) payload[i] = (uint8_t)(i * 7);
  pbuf *p = pbuf_alloc_tx(&core_->pool, payload.size());
  memcpy(p->data, payload.data(), payload.size());
  ipv4_tx tx = {};
  tx.dst = kPeerIp;
  tx.proto = 17;
  ASSERT_EQ(ipv4_output(ip_.get(), p, &tx), NET_OK);
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 3u);
  Bytes rebuilt;
  uint16_t id = 0;
  for (size_t i = 0; i < sent.size(); i++) {
    ipv4_hdr h;
    net_drop_reason why;
    ASSERT_TRUE(ipv4_parse(sent[i].data(), sent[i].size(), &h, &why));
    EXPECT_LE(h.total_len, 1500);
    EXPECT_EQ(h.frag_offset, rebuilt.size());
    EXPECT_EQ(h.mf, i + 1 < sent.size());
    if (i == 0) id = h.id;
    EXPECT_EQ(h.id, id);
    if (h.mf) EXPECT_EQ((h.total_len - 20) % 8, 0);
    rebuilt.insert(rebuilt.end(), sent[i].begin() + 20, sent[i].begin() + h.total_len);
  }
  EXPECT_EQ(rebuilt, payload);
  EXPECT_EQ(core_->stats.ip_frag_tx, 3u);
  tx.df = true;
  p = pbuf_alloc_tx(&core_->pool, 2000);
  EXPECT_EQ(ipv4_output(ip_.get(), p, &tx), NET_ERR_MSGSIZE);
  EXPECT_EQ(Drops(NET_DROP_IP_TOO_BIG), 1u);
}

// ---- Reassembly through the receive path.

Bytes Payload(size_t n) {
  Bytes b(n);
  for (size_t i = 0; i < n; i++) b[i] = (uint8_t)(i * 13 + 1);
  return b;
}

Bytes Frag(const Bytes &payload, size_t off, size_t len, bool more, uint16_t id = 77) {
  IpOpts o;
  o.id = id;
  o.mf = more;
  o.frag_offset = (uint32_t)off;
  return nettest::Ipv4(kPeerIp, kStackIp, 17,
                       Bytes(payload.begin() + off, payload.begin() + off + len), o);
}

TEST_F(Ipv4Test, ReassemblesInAnyOrderIgnoringExactDuplicates) {
  Bytes pl = Payload(3000);
  In(Frag(pl, 2000, 1000, false));
  In(Frag(pl, 0, 1000, true));
  In(Frag(pl, 0, 1000, true));  // duplicate: ignored, datagram survives
  EXPECT_TRUE(got_.payloads.empty());
  In(Frag(pl, 1000, 1000, true));
  ASSERT_EQ(got_.payloads.size(), 1u);
  EXPECT_EQ(got_.payloads[0], pl);
  EXPECT_EQ(core_->stats.ip_reassembled, 1u);
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_DUP), 1u);
  EXPECT_EQ(ip_->reass.bytes_held, 0u);
}

TEST_F(Ipv4Test, OverlappingFragmentKillsTheDatagram) {
  Bytes pl = Payload(3000);
  In(Frag(pl, 0, 1000, true));
  Bytes evil = pl;
  evil[1500] ^= 0xff;
  In(Frag(evil, 992, 1008, true));  // overlaps the first by 8 bytes with different data
  In(Frag(pl, 1000, 1000, true));
  In(Frag(pl, 2000, 1000, false));
  EXPECT_TRUE(got_.payloads.empty());  // the survivors alone never complete
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_OVERLAP), 1u);
  // Same data, different boundaries (a partial overlap) is refused too.
  In(Frag(pl, 0, 1000, true, 78));
  In(Frag(pl, 504, 1000, true, 78));
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_OVERLAP), 2u);
}

TEST_F(Ipv4Test, IncompleteDatagramsTimeOut) {
  Bytes pl = Payload(2000);
  In(Frag(pl, 0, 1000, true));
  EXPECT_EQ(ip_->reass.bytes_held, 1000u);
  plat_->now_us += (NET_IP_REASS_TIMEOUT_MS + 1) * 1000ull;
  net_timer_run(&core_->timers, net_now_ms(core_.get()));
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_TIMEOUT), 1u);
  EXPECT_EQ(ip_->reass.bytes_held, 0u);
  In(Frag(pl, 1000, 1000, false));  // the late half starts a new, doomed slot
  EXPECT_TRUE(got_.payloads.empty());
}

TEST_F(Ipv4Test, RejectsPingOfDeathAndBadFragmentSizes) {
  Bytes pl = Payload(1000);
  IpOpts o;
  o.id = 5;
  o.frag_offset = 65528;  // 65528 + 20 + 100 > 65535
  In(nettest::Ipv4(kPeerIp, kStackIp, 17, Bytes(pl.begin(), pl.begin() + 100), o));
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_TOO_BIG), 1u);
  In(Frag(pl, 0, 999, true));  // non-final fragment not a multiple of 8
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_BAD), 1u);
  // Last fragment that ends before data already received.
  In(Frag(pl, 0, 800, true, 9));
  In(Frag(pl, 400, 8, false, 9));
  EXPECT_GE(Drops(NET_DROP_IP_FRAG_OVERLAP) + Drops(NET_DROP_IP_FRAG_BAD), 2u);
}

TEST_F(Ipv4Test, SlotsAreRecycledOldestFirstAndFragmentCountIsBounded) {
  Bytes pl = Payload(4000);
  for (uint16_t id = 100; id < 100 + NET_IP_REASS_SLOTS; id++) {
    In(Frag(pl, 0, 8, true, id));
    Advance(10);
  }
  // A new datagram evicts the oldest incomplete one instead of being locked out.
  In(Frag(pl, 0, 8, true, 999));
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_NO_SLOT), 1u);
  In(Frag(pl, 8, 8, false, 999));
  ASSERT_EQ(got_.payloads.size(), 1u);
  EXPECT_EQ(got_.payloads[0], Bytes(pl.begin(), pl.begin() + 16));
  In(Frag(pl, 8, 8, false, 100));  // the evicted one can no longer complete
  EXPECT_EQ(got_.payloads.size(), 1u);
  In(Frag(pl, 8, 8, false, 101));  // the others still can
  EXPECT_EQ(got_.payloads.size(), 2u);
  ipv4_poll(ip_.get(), UINT64_MAX / 2);
  // Many tiny fragments of one datagram: refused after NET_IP_REASS_MAX_FRAGS.
  for (int i = 0; i <= NET_IP_REASS_MAX_FRAGS; i++) In(Frag(pl, (size_t)i * 16, 8, true, 500));
  EXPECT_EQ(Drops(NET_DROP_IP_FRAG_TOO_MANY), 1u);
}

TEST(Reass, ByteBudgetEvictsOldestDatagrams) {
  std::unique_ptr<ipv4_reass> r(new ipv4_reass);
  ipv4_reass_init(r.get());
  static uint8_t data[8192];
  uint8_t hdr[20] = {0x45};
  ipv4_frag f = {};
  f.hdr = hdr;
  f.hdr_len = 20;
  f.src = 1;
  f.dst = 2;
  f.proto = 17;
  f.more = true;
  f.payload = data;
  f.payload_len = 8192;
  uint64_t now = 0;
  for (uint16_t id = 0; id < NET_IP_REASS_SLOTS; id++) {
    for (uint32_t off = 0; off + 8192 <= 65000; off += 8192) {
      f.id = id;
      f.offset = off;
      ipv4_reass_slot *s;
      net_drop_reason why;
      EXPECT_EQ(ipv4_reass_add(r.get(), &f, now++, &s, &why), IPV4_REASS_HELD);
      EXPECT_LE(r->bytes_held, (uint32_t)NET_IP_REASS_MAX_BYTES);
    }
  }
  // 7 x 8 KiB per datagram: two fit the 128 KiB budget, so the third and fourth each pushed
  // out the oldest one.
  EXPECT_EQ(r->evicted, 2u);
  EXPECT_EQ(ipv4_reass_expire(r.get(), now + NET_IP_REASS_TIMEOUT_MS), 2u);
  EXPECT_EQ(r->bytes_held, 0u);
  // A single datagram larger than the whole budget is refused.
  if (NET_IP_REASS_MAX_BYTES < 65535 - 20) {
    uint32_t off = 0;
    net_drop_reason why = NET_DROP_NO_PBUF;
    for (; off + 8192 <= 65000; off += 8192) {
      f.id = 77;
      f.offset = off;
      ipv4_reass_slot *s;
      if (ipv4_reass_add(r.get(), &f, now, &s, &why) == IPV4_REASS_DROPPED) break;
    }
    EXPECT_EQ(why, NET_DROP_IP_FRAG_NO_SLOT);
  }
}

TEST(Ipv4Wire, EmitParseRoundTrip) {
  ipv4_hdr h = {};
  h.hdr_len = 20;
  h.tos = 0x10;
  h.total_len = 40;
  h.id = 0xbeef;
  h.df = true;
  h.ttl = 3;
  h.proto = 6;
  h.src = IPV4_ADDR(1, 2, 3, 4);
  h.dst = IPV4_ADDR(5, 6, 7, 8);
  uint8_t b[40] = {};
  ipv4_emit(b, &h);
  ipv4_hdr out;
  net_drop_reason why;
  ASSERT_TRUE(ipv4_parse(b, sizeof(b), &out, &why));
  EXPECT_EQ(out.id, 0xbeef);
  EXPECT_TRUE(out.df);
  EXPECT_FALSE(out.mf);
  EXPECT_EQ(out.tos, 0x10);
  EXPECT_EQ(out.src, h.src);
  EXPECT_EQ(out.dst, h.dst);
  b[6] |= 0x80;  // reserved flag
  net_put16(b + 10, 0);
  net_put16(b + 10, net_cksum(b, 20));
  EXPECT_FALSE(ipv4_parse(b, sizeof(b), &out, &why));
}

}  // namespace
