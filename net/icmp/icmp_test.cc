#include "net/testing/stack_fixture.h"

extern "C" {
#include "net/core/net_err.h"
#include "net/icmp/icmp_wire.h"
}

using namespace nettest;

namespace {

class IcmpTest : public StackTest {};

TEST_F(IcmpTest, EchoReplyMirrorsRequest) {
  Bytes data = {'p', 'i', 'n', 'g', 1, 2, 3};
  InIp(1, Icmp(ICMP_ECHO_REQUEST, 0, 0x12340007, data));
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].hdr.src, kStackIp);
  EXPECT_EQ(sent[0].hdr.dst, kPeerIp);
  EXPECT_EQ(sent[0].hdr.proto, 1);
  icmp_hdr h;
  net_drop_reason why;
  ASSERT_TRUE(icmp_parse(sent[0].payload.data(), sent[0].payload.size(), &h, &why));
  EXPECT_EQ(h.type, ICMP_ECHO_REPLY);
  EXPECT_EQ(h.rest, 0x12340007u);
  EXPECT_EQ(Bytes(h.body, h.body + h.body_len), data);
}

TEST_F(IcmpTest, NoReplyToBroadcastOrBadChecksum) {
  InIp(1, Icmp(ICMP_ECHO_REQUEST, 0, 1, {1}), kPeerIp, IPV4_ADDR(10, 0, 0, 255));
  Bytes bad = Icmp(ICMP_ECHO_REQUEST, 0, 1, {1});
  bad[8] ^= 1;
  InIp(1, bad);
  InIp(1, {8, 0, 0});  // shorter than a header
  EXPECT_TRUE(SentIp().empty());
  EXPECT_EQ(Drops(NET_DROP_ICMP_BAD_CKSUM), 1u);
  EXPECT_EQ(Drops(NET_DROP_ICMP_SHORT), 1u);
}

TEST_F(IcmpTest, PortAndProtocolUnreachableQuoteTheDatagram) {
  Bytes udp = Udp(kPeerIp, kStackIp, 1234, 9, {'x', 'y'});
  InIp(17, udp);
  InIp(99, {1, 2, 3, 4});
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 2u);
  icmp_hdr h;
  net_drop_reason why;
  ASSERT_TRUE(icmp_parse(sent[0].payload.data(), sent[0].payload.size(), &h, &why));
  EXPECT_EQ(h.type, ICMP_DEST_UNREACH);
  EXPECT_EQ(h.code, ICMP_UNREACH_PORT);
  icmp_quote q;
  ASSERT_TRUE(icmp_parse_quote(h.body, h.body_len, &q));
  EXPECT_EQ(q.src, kPeerIp);
  EXPECT_EQ(q.dst, kStackIp);
  EXPECT_EQ(q.proto, 17);
  EXPECT_EQ(Bytes(q.payload, q.payload + q.payload_len), udp);
  ASSERT_TRUE(icmp_parse(sent[1].payload.data(), sent[1].payload.size(), &h, &why));
  EXPECT_EQ(h.code, ICMP_UNREACH_PROTO);
}

TEST_F(IcmpTest, ErrorsAreRateLimitedAndNeverAboutBroadcasts) {
  Bytes udp = Udp(kPeerIp, IPV4_ADDR(10, 0, 0, 255), 1, 9, {1});
  InIp(17, udp, kPeerIp, IPV4_ADDR(10, 0, 0, 255));
  EXPECT_TRUE(SentIp().empty());
  for (int i = 0; i < NET_ICMP_ERR_RATE_PER_S + 50; i++) {
    InIp(17, Udp(kPeerIp, kStackIp, 1, 9, {1}));
  }
  EXPECT_EQ(SentIp().size(), (size_t)NET_ICMP_ERR_RATE_PER_S);
  EXPECT_EQ(Drops(NET_DROP_ICMP_RATE_LIMIT), 50u);
  Advance(1000);
  InIp(17, Udp(kPeerIp, kStackIp, 1, 9, {1}));
  EXPECT_EQ(SentIp().size(), 1u);  // tokens refill
}

TEST_F(IcmpTest, PingClientMatchesRepliesAndErrors) {
  icmp_ping pg;
  ASSERT_EQ(icmp_ping_open(&s_->icmp, &pg, kPeerIp), NET_OK);
  ASSERT_EQ(icmp_ping_send(&pg, 1, 56), NET_OK);
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 1u);
  icmp_hdr req;
  net_drop_reason why;
  ASSERT_TRUE(icmp_parse(sent[0].payload.data(), sent[0].payload.size(), &req, &why));
  EXPECT_EQ(req.type, ICMP_ECHO_REQUEST);
  EXPECT_EQ(icmp_echo_id(&req), pg.id);
  EXPECT_EQ(icmp_echo_seq(&req), 1);
  EXPECT_EQ(req.body_len, 56u);
  Bytes body(req.body, req.body + req.body_len);
  Advance(7);
  IpOpts o;
  o.ttl = 57;
  InIp(1, Icmp(ICMP_ECHO_REPLY, 0, req.rest, body), kPeerIp, kStackIp, o);
  icmp_ping_reply r;
  ASSERT_TRUE(icmp_ping_next(&pg, &r));
  EXPECT_EQ(r.err, NET_OK);
  EXPECT_EQ(r.seq, 1);
  EXPECT_EQ(r.len, 56);
  EXPECT_EQ(r.ttl, 57);
  EXPECT_EQ(r.rtt_us, 7000u);
  EXPECT_FALSE(r.duplicate);
  InIp(1, Icmp(ICMP_ECHO_REPLY, 0, req.rest, body));
  ASSERT_TRUE(icmp_ping_next(&pg, &r));
  EXPECT_TRUE(r.duplicate);
  // Replies with another id, an unknown seq, or from another host are not ours.
  InIp(1, Icmp(ICMP_ECHO_REPLY, 0, req.rest ^ 0x10000, body));
  InIp(1, Icmp(ICMP_ECHO_REPLY, 0, req.rest + 5, body));
  InIp(1, Icmp(ICMP_ECHO_REPLY, 0, req.rest, body), IPV4_ADDR(10, 0, 0, 9));
  EXPECT_FALSE(icmp_ping_next(&pg, &r));
  // A router reports the host unreachable, quoting our request.
  ASSERT_EQ(icmp_ping_send(&pg, 2, 8), NET_OK);
  sent = SentIp();
  ASSERT_EQ(sent.size(), 1u);
  Bytes quote = Ipv4(kStackIp, kPeerIp, 1, sent[0].payload);
  InIp(1, Icmp(ICMP_DEST_UNREACH, ICMP_UNREACH_HOST, 0, quote), IPV4_ADDR(10, 0, 0, 254));
  ASSERT_TRUE(icmp_ping_next(&pg, &r));
  EXPECT_EQ(r.err, NET_ERR_HOSTUNREACH);
  EXPECT_EQ(r.seq, 2);
  EXPECT_EQ(r.from, IPV4_ADDR(10, 0, 0, 254));
  icmp_ping_close(&pg);
  // Closed: replies are dropped, sends refused.
  EXPECT_EQ(icmp_ping_send(&pg, 3, 8), NET_ERR_CLOSED);
}

TEST_F(IcmpTest, PingSessionsAreBounded) {
  icmp_ping pgs[NET_PING_SLOTS + 1];
  for (int i = 0; i < NET_PING_SLOTS; i++) {
    ASSERT_EQ(icmp_ping_open(&s_->icmp, &pgs[i], kPeerIp), NET_OK);
  }
  EXPECT_EQ(icmp_ping_open(&s_->icmp, &pgs[NET_PING_SLOTS], kPeerIp), NET_ERR_NOMEM);
  for (int i = 0; i < NET_PING_SLOTS; i++) icmp_ping_close(&pgs[i]);
}

TEST(IcmpWire, QuoteValidation) {
  Bytes ip = Ipv4(1, 2, 17, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  icmp_quote q;
  ASSERT_TRUE(icmp_parse_quote(ip.data(), ip.size(), &q));
  EXPECT_EQ(q.payload_len, 9u);
  EXPECT_FALSE(icmp_parse_quote(ip.data(), 27, &q));  // fewer than 8 transport bytes
  Bytes v6 = ip;
  v6[0] = 0x65;
  EXPECT_FALSE(icmp_parse_quote(v6.data(), v6.size(), &q));
  Bytes bad_ihl = ip;
  bad_ihl[0] = 0x4f;
  EXPECT_FALSE(icmp_parse_quote(bad_ihl.data(), bad_ihl.size(), &q));
}

}  // namespace
