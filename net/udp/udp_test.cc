#include <string>

#include "net/testing/stack_fixture.h"

extern "C" {
#include "net/core/net_err.h"
#include "net/icmp/icmp_wire.h"
#include "net/udp/udp_wire.h"
}

using namespace nettest;

namespace {

class UdpTest : public StackTest {
 protected:
  udp *U() { return &s_->udp; }
  int Recv(udp_sock *s, std::string *data, ipv4_addr_t *src = nullptr, uint16_t *port = nullptr) {
    char buf[70000];
    int n = udp_recvfrom(U(), s, buf, sizeof(buf), src, port);
    if (n >= 0) data->assign(buf, (size_t)n);
    return n;
  }
};

TEST_F(UdpTest, SendEmitsValidDatagramFromEphemeralPort) {
  udp_sock *s = udp_open(U());
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s_->core.stats.udp_sockets, 1u);
  ASSERT_EQ(udp_sendto(U(), s, kPeerIp, 53, "abc", 3), 3);
  EXPECT_TRUE(s->bound);
  EXPECT_GE(s->local_port, NET_EPHEMERAL_PORT_MIN);
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].hdr.proto, 17);
  udp_hdr h;
  net_drop_reason why;
  ASSERT_TRUE(
      udp_parse(sent[0].payload.data(), sent[0].payload.size(), kStackIp, kPeerIp, &h, &why));
  EXPECT_EQ(h.src_port, s->local_port);
  EXPECT_EQ(h.dst_port, 53);
  EXPECT_EQ(h.len, 11);
  EXPECT_NE(net_get16(&sent[0].payload[6]), 0);  // checksum present
  EXPECT_EQ(std::string(sent[0].payload.begin() + 8, sent[0].payload.end()), "abc");
  EXPECT_EQ(udp_sendto(U(), s, kPeerIp, 53, "x", UDP_MAX_PAYLOAD + 1), NET_ERR_MSGSIZE);
  EXPECT_EQ(udp_sendto(U(), s, kPeerIp, 0, "x", 1), NET_ERR_INVAL);
}

TEST_F(UdpTest, EphemeralPortsAreRandomAndDistinct) {
  udp_sock *a = udp_open(U()), *b = udp_open(U());
  ASSERT_EQ(udp_bind(U(), a, IPV4_ANY, 0), NET_OK);
  ASSERT_EQ(udp_bind(U(), b, IPV4_ANY, 0), NET_OK);
  EXPECT_NE(a->local_port, b->local_port);
  EXPECT_NE(b->local_port, a->local_port + 1);              // not sequential
  EXPECT_EQ(udp_bind(U(), a, IPV4_ANY, 0), NET_ERR_INVAL);  // already bound
}

TEST_F(UdpTest, BindConflictsAndTableBound) {
  udp_sock *a = udp_open(U());
  ASSERT_EQ(udp_bind(U(), a, IPV4_ANY, 7), NET_OK);
  udp_sock *b = udp_open(U());
  EXPECT_EQ(udp_bind(U(), b, kStackIp, 7), NET_ERR_ADDRINUSE);
  EXPECT_EQ(udp_bind(U(), b, IPV4_ADDR(10, 0, 0, 9), 8), NET_ERR_ADDRNOTAVAIL);
  udp_close(U(), a);
  EXPECT_EQ(udp_bind(U(), b, kStackIp, 7), NET_OK);
  std::vector<udp_sock *> all;
  while (udp_sock *s = udp_open(U())) {
    all.push_back(s);
    ASSERT_LE(all.size(), (size_t)NET_UDP_SOCKETS);
  }
  EXPECT_EQ(all.size(), (size_t)NET_UDP_SOCKETS - 1);
  EXPECT_EQ(s_->core.stats.udp_sockets, (uint32_t)NET_UDP_SOCKETS);
}

TEST_F(UdpTest, ReceiveValidatesAndQueues) {
  udp_sock *s = udp_open(U());
  ASSERT_EQ(udp_bind(U(), s, IPV4_ANY, 7), NET_OK);
  std::string d;
  EXPECT_EQ(Recv(s, &d), NET_ERR_WOULDBLOCK);
  InIp(17, Udp(kPeerIp, kStackIp, 4000, 7, {'h', 'i'}));
  InIp(17, Udp(kPeerIp, kStackIp, 4000, 7, {'n', 'o', 'c', 's'}, /*checksum=*/false));
  Bytes bad = Udp(kPeerIp, kStackIp, 4000, 7, {'x'});
  bad[8] ^= 1;
  InIp(17, bad);
  Bytes long_len = Udp(kPeerIp, kStackIp, 4000, 7, {'x'});
  net_put16(&long_len[4], 100);
  InIp(17, long_len);
  InIp(17, {0, 1, 0});
  // Trailing bytes beyond the UDP length field are ignored.
  Bytes trailing = Udp(kPeerIp, kStackIp, 4000, 7, {'t'});
  trailing.push_back(0xee);
  InIp(17, trailing);
  ipv4_addr_t src;
  uint16_t port;
  ASSERT_EQ(Recv(s, &d, &src, &port), 2);
  EXPECT_EQ(d, "hi");
  EXPECT_EQ(src, kPeerIp);
  EXPECT_EQ(port, 4000);
  ASSERT_EQ(Recv(s, &d), 4);
  EXPECT_EQ(d, "nocs");
  ASSERT_EQ(Recv(s, &d), 1);
  EXPECT_EQ(d, "t");
  EXPECT_EQ(Recv(s, &d), NET_ERR_WOULDBLOCK);
  EXPECT_EQ(Drops(NET_DROP_UDP_BAD_CKSUM), 1u);
  EXPECT_EQ(Drops(NET_DROP_UDP_BAD_LEN), 1u);
  EXPECT_EQ(Drops(NET_DROP_UDP_SHORT), 1u);
  // The queue is bounded.
  for (int i = 0; i < NET_UDP_RX_QUEUE_LEN + 3; i++) InIp(17, Udp(kPeerIp, kStackIp, 1, 7, {1}));
  EXPECT_EQ(Drops(NET_DROP_UDP_QUEUE_FULL), 3u);
  EXPECT_EQ(s->rxq.count, (uint32_t)NET_UDP_RX_QUEUE_LEN);
  // Truncating receive reports the full length.
  char small[1];
  EXPECT_EQ(udp_recvfrom(U(), s, small, 0, nullptr, nullptr), 1);
}

TEST_F(UdpTest, ConnectedSocketsFilterAndLearnIcmpErrors) {
  udp_sock *c = udp_open(U());
  ASSERT_EQ(udp_connect(U(), c, kPeerIp, 53), NET_OK);
  udp_sock *any = udp_open(U());
  ASSERT_EQ(udp_bind(U(), any, IPV4_ANY, 5000), NET_OK);
  InIp(17, Udp(kPeerIp, kStackIp, 54, c->local_port, {'w'}));  // wrong peer port
  InIp(17, Udp(kPeerIp, kStackIp, 53, c->local_port, {'r'}));
  std::string d;
  ASSERT_EQ(Recv(c, &d), 1);
  EXPECT_EQ(d, "r");
  EXPECT_EQ(Recv(c, &d), NET_ERR_WOULDBLOCK);
  // The stray datagram matched no socket: the peer got a port unreachable, like from Linux.
  auto errs = SentIp();
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].hdr.proto, 1);
  // ICMP port unreachable quoting our datagram to the peer.
  ASSERT_EQ(udp_send(U(), c, "q", 1), 1);
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 1u);
  Bytes quote = Ipv4(kStackIp, kPeerIp, 17, sent[0].payload);
  InIp(1, Icmp(ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, 0, quote));
  EXPECT_TRUE(udp_readable(c));
  EXPECT_EQ(Recv(c, &d), NET_ERR_CONNREFUSED);
  EXPECT_EQ(Recv(c, &d), NET_ERR_WOULDBLOCK);  // reported once
  // An error quoting a datagram we never sent (spoofed source) is ignored.
  Bytes spoof = Ipv4(IPV4_ADDR(10, 0, 0, 9), kPeerIp, 17, sent[0].payload);
  InIp(1, Icmp(ICMP_DEST_UNREACH, ICMP_UNREACH_PORT, 0, spoof));
  EXPECT_FALSE(udp_readable(c));
}

TEST_F(UdpTest, BroadcastGoesToEveryBoundSocket) {
  udp_sock *a = udp_open(U()), *b = udp_open(U());
  ASSERT_EQ(udp_bind(U(), a, IPV4_ANY, 67), NET_OK);
  ASSERT_EQ(udp_bind(U(), b, IPV4_ADDR(10, 0, 0, 255), 68), NET_OK);
  InIp(17, Udp(kPeerIp, IPV4_BROADCAST, 1, 67, {'b'}), kPeerIp, IPV4_BROADCAST);
  InIp(17, Udp(kPeerIp, IPV4_ADDR(10, 0, 0, 255), 1, 68, {'d'}), kPeerIp, IPV4_ADDR(10, 0, 0, 255));
  InIp(17, Udp(kPeerIp, IPV4_BROADCAST, 1, 99, {'n'}), kPeerIp, IPV4_BROADCAST);
  std::string d;
  ASSERT_EQ(Recv(a, &d), 1);
  EXPECT_EQ(d, "b");
  ASSERT_EQ(Recv(b, &d), 1);
  EXPECT_EQ(d, "d");
  EXPECT_TRUE(SentIp().empty());  // no ICMP error for the unbound broadcast port
  // Sending to the broadcast address works (limited broadcast goes to ff:ff:ff:ff:ff:ff).
  ASSERT_EQ(udp_sendto(U(), a, IPV4_BROADCAST, 67, "B", 1), 1);
  auto sent = SentIp();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].hdr.dst, IPV4_BROADCAST);
  EXPECT_EQ(sent[0].hdr.src, kStackIp);
}

}  // namespace
