#include <gtest/gtest.h>

extern "C" {
#include "net/ipv4/ipv4_addr.h"
}

TEST(Ipv4Addr, ParsesAndFormats) {
  ipv4_addr_t a = 0;
  ASSERT_TRUE(ipv4_addr_parse("10.0.2.15", &a));
  EXPECT_EQ(a, IPV4_ADDR(10, 0, 2, 15));
  char buf[IPV4_ADDR_STRLEN];
  EXPECT_STREQ(ipv4_addr_format(a, buf), "10.0.2.15");
  EXPECT_STREQ(ipv4_addr_format(IPV4_BROADCAST, buf), "255.255.255.255");
  EXPECT_STREQ(ipv4_addr_format(0, buf), "0.0.0.0");
  EXPECT_STREQ(ipv4_addr_format(IPV4_ADDR(1, 20, 100, 0), buf), "1.20.100.0");
}

TEST(Ipv4Addr, RejectsMalformed) {
  ipv4_addr_t a = 0x12345678;
  for (const char *bad : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", "1..2.3",
                          "1.2.3.4/8", "-1.2.3.4", "0001.2.3.4", "1.2.3."}) {
    EXPECT_FALSE(ipv4_addr_parse(bad, &a)) << bad;
  }
  EXPECT_EQ(a, 0x12345678u);  // untouched on failure
}

TEST(Ipv4Addr, Cidr) {
  ipv4_addr_t a;
  unsigned p;
  ASSERT_TRUE(ipv4_cidr_parse("192.168.7.2/24", &a, &p));
  EXPECT_EQ(a, IPV4_ADDR(192, 168, 7, 2));
  EXPECT_EQ(p, 24u);
  ASSERT_TRUE(ipv4_cidr_parse("192.168.7.2", &a, &p));
  EXPECT_EQ(p, 32u);
  EXPECT_FALSE(ipv4_cidr_parse("192.168.7.2/33", &a, &p));
  EXPECT_FALSE(ipv4_cidr_parse("192.168.7.2/", &a, &p));
  EXPECT_FALSE(ipv4_cidr_parse("192.168.7.2/24x", &a, &p));
}

TEST(Ipv4Addr, MasksAndSubnets) {
  EXPECT_EQ(ipv4_prefix_mask(0), 0u);
  EXPECT_EQ(ipv4_prefix_mask(24), 0xffffff00u);
  EXPECT_EQ(ipv4_prefix_mask(32), 0xffffffffu);
  EXPECT_EQ(ipv4_prefix_mask(40), 0xffffffffu);
  EXPECT_TRUE(ipv4_same_subnet(IPV4_ADDR(10, 0, 2, 15), IPV4_ADDR(10, 0, 2, 2), 24));
  EXPECT_FALSE(ipv4_same_subnet(IPV4_ADDR(10, 0, 2, 15), IPV4_ADDR(10, 0, 3, 2), 24));
  EXPECT_TRUE(ipv4_is_multicast(IPV4_ADDR(224, 0, 0, 1)));
  EXPECT_FALSE(ipv4_is_multicast(IPV4_ADDR(10, 0, 0, 1)));
}

TEST(Ipv4Addr, BigEndianHelpers) {
  uint8_t b[4];
  net_put32(b, 0x01020304);
  EXPECT_EQ(b[0], 1);
  EXPECT_EQ(b[3], 4);
  EXPECT_EQ(net_get32(b), 0x01020304u);
  net_put16(b, 0xabcd);
  EXPECT_EQ(net_get16(b), 0xabcd);
}
