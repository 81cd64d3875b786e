// Host tests of user/libc's pure socket conversions (the same netconv.c ViperDOS programs link).
#include "user/libc/netconv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <string>

#include "kernel/abi/syscalls.h"

namespace {

uint32_t Parse(const char *s) {
  uint32_t a = 0xdeadbeef;
  EXPECT_EQ(vdos_ipv4_parse(s, &a), 1) << s;
  return a;
}

TEST(Ipv4Parse, AcceptsDottedQuads) {
  EXPECT_EQ(Parse("10.0.2.2"), 0x0A000202u);
  EXPECT_EQ(Parse("0.0.0.0"), 0u);
  EXPECT_EQ(Parse("255.255.255.255"), 0xFFFFFFFFu);
  EXPECT_EQ(Parse("192.168.77.1"), 0xC0A84D01u);
}

TEST(Ipv4Parse, RejectsEverythingElse) {
  for (const char *s : {"", "1", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.256", "01.2.3.4",
                        "1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", ".1.2.3", "0x1.2.3.4",
                        "1.2.3.-4", "1.2.3.4x", "1000.2.3.4", "0001.2.3.4", "a.b.c.d"}) {
    uint32_t a = 7;
    EXPECT_EQ(vdos_ipv4_parse(s, &a), 0) << s;
    EXPECT_EQ(a, 7u) << "output touched for " << s;
  }
}

TEST(Ipv4Parse, AgreesWithGlibcInetPton) {
  // glibc's inet_pton(AF_INET) follows the same rules (no leading-zero octal, four parts).
  for (const char *s : {"1.2.3.4", "127.0.0.1", "10.0.2.15", "300.1.1.1", "1.2.3", "8.8.8.8 ",
                        "0.0.0.0", "255.255.255.255", "1.2.3.4.5"}) {
    in_addr in{};
    uint32_t a = 0;
    int ours = vdos_ipv4_parse(s, &a);
    int theirs = inet_pton(AF_INET, s, &in);
    EXPECT_EQ(ours, theirs) << s;
    if (ours == 1) EXPECT_EQ(a, ntohl(in.s_addr)) << s;
  }
}

TEST(Ipv4ParseLegacy, InetAtonForms) {
  struct {
    const char *text;
    uint32_t addr;
  } cases[] = {
      {"127.0.0.1", 0x7F000001u},
      {"127.1", 0x7F000001u},
      {"10.1.2", 0x0A010002u},
      {"0x7f.1", 0x7F000001u},
      {"0177.0.0.1", 0x7F000001u},
      {"16909060", 0x01020304u},
      {"0", 0u},
      {"0xffffffff", 0xFFFFFFFFu},
      {"1.2.65535", 0x0102FFFFu},
  };
  for (const auto &c : cases) {
    uint32_t a = 0;
    EXPECT_EQ(vdos_ipv4_parse_legacy(c.text, &a), 1) << c.text;
    EXPECT_EQ(a, c.addr) << c.text;
    in_addr in{};
    ASSERT_EQ(inet_aton(c.text, &in), 1) << c.text;
    EXPECT_EQ(a, ntohl(in.s_addr)) << "glibc disagrees on " << c.text;
  }
  for (const char *s : {"", "08.1.1.1", "0x", "1.2.3.4.5", "256.1", "1.2.65536", "0x100000000",
                        "1.2.3.256", "1..2", "1.", "x"}) {
    uint32_t a;
    EXPECT_EQ(vdos_ipv4_parse_legacy(s, &a), 0) << s;
  }
}

TEST(Ipv4Format, TextAndBufferLimits) {
  char buf[VDOS_IPV4_TEXT_MAX];
  EXPECT_EQ(vdos_ipv4_format(0x0A000202u, buf, sizeof(buf)), 8u);
  EXPECT_STREQ(buf, "10.0.2.2");
  EXPECT_EQ(vdos_ipv4_format(0xFFFFFFFFu, buf, sizeof(buf)), 15u);
  EXPECT_STREQ(buf, "255.255.255.255");
  EXPECT_EQ(vdos_ipv4_format(0xFFFFFFFFu, buf, 15), 0u);  // no room for the terminator
  EXPECT_STREQ(buf, "");
  char small[9];
  EXPECT_EQ(vdos_ipv4_format(0x0A000202u, small, sizeof(small)), 8u);
  EXPECT_EQ(vdos_ipv4_format(0x0A000202u, small, 8), 0u);
  EXPECT_EQ(vdos_ipv4_format(0x0A000202u, nullptr, 0), 0u);
}

TEST(PortParse, Range) {
  uint16_t p = 0;
  EXPECT_EQ(vdos_port_parse("0", &p), 1);
  EXPECT_EQ(p, 0);
  EXPECT_EQ(vdos_port_parse("65535", &p), 1);
  EXPECT_EQ(p, 65535);
  EXPECT_EQ(vdos_port_parse("8080", &p), 1);
  EXPECT_EQ(p, 8080);
  for (const char *s : {"", "65536", "-1", "80x", " 80", "http", "99999999999999999999"}) {
    EXPECT_EQ(vdos_port_parse(s, &p), 0) << s;
  }
}

TEST(GaiNumeric, NumericHostAndPort) {
  uint32_t a = 0;
  uint16_t p = 0;
  EXPECT_EQ(vdos_gai_numeric("10.0.2.2", "22", 0, &a, &p), VDOS_GAI_DONE);
  EXPECT_EQ(a, 0x0A000202u);
  EXPECT_EQ(p, 22);
  EXPECT_EQ(vdos_gai_numeric("10.0.2.2", nullptr, 0, &a, &p), VDOS_GAI_DONE);
  EXPECT_EQ(p, 0);
}

TEST(GaiNumeric, NoHostIsWildcardOrLoopback) {
  uint32_t a = 1;
  uint16_t p = 0;
  EXPECT_EQ(vdos_gai_numeric(nullptr, "7", VDOS_AI_PASSIVE, &a, &p), VDOS_GAI_DONE);
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(p, 7);
  EXPECT_EQ(vdos_gai_numeric(nullptr, "7", 0, &a, &p), VDOS_GAI_DONE);
  EXPECT_EQ(a, 0x7F000001u);
}

TEST(GaiNumeric, NamesGoToDnsUnlessNumericOnly) {
  uint32_t a;
  uint16_t p;
  EXPECT_EQ(vdos_gai_numeric("name.test", "80", 0, &a, &p), VDOS_GAI_DNS);
  EXPECT_EQ(p, 80);
  EXPECT_EQ(vdos_gai_numeric("name.test", "80", VDOS_AI_NUMERICHOST, &a, &p), VDOS_EAI_NONAME);
  // Not a valid dotted quad: a name (DNS will say whether it exists), as glibc does.
  EXPECT_EQ(vdos_gai_numeric("1.2.3.999", nullptr, 0, &a, &p), VDOS_GAI_DNS);
}

TEST(GaiNumeric, Errors) {
  uint32_t a;
  uint16_t p;
  EXPECT_EQ(vdos_gai_numeric(nullptr, nullptr, 0, &a, &p), VDOS_EAI_NONAME);
  EXPECT_EQ(vdos_gai_numeric("1.2.3.4", "http", 0, &a, &p), VDOS_EAI_SERVICE);
  EXPECT_EQ(vdos_gai_numeric("1.2.3.4", "70000", 0, &a, &p), VDOS_EAI_SERVICE);
  EXPECT_EQ(vdos_gai_numeric("1.2.3.4", "80", 0x8000, &a, &p), VDOS_EAI_BADFLAGS);
  EXPECT_EQ(vdos_gai_numeric("", "80", 0, &a, &p), VDOS_EAI_NONAME);
}

TEST(GaiErrors, DnsFailuresAndTexts) {
  EXPECT_EQ(vdos_gai_from_dns_error(-VDOS_ENOENT), VDOS_EAI_NONAME);
  EXPECT_EQ(vdos_gai_from_dns_error(-VDOS_ENODATA), VDOS_EAI_NONAME);
  EXPECT_EQ(vdos_gai_from_dns_error(-VDOS_ETIMEDOUT), VDOS_EAI_AGAIN);
  EXPECT_EQ(vdos_gai_from_dns_error(-VDOS_EIO), VDOS_EAI_FAIL);
  EXPECT_STREQ(vdos_gai_text(VDOS_EAI_NONAME), "Name or service not known");
  EXPECT_STREQ(vdos_gai_text(VDOS_EAI_AGAIN), "Temporary failure in name resolution");
  std::set<std::string> texts;
  for (int c :
       {VDOS_EAI_BADFLAGS, VDOS_EAI_NONAME, VDOS_EAI_AGAIN, VDOS_EAI_FAIL, VDOS_EAI_FAMILY,
        VDOS_EAI_SOCKTYPE, VDOS_EAI_SERVICE, VDOS_EAI_MEMORY, VDOS_EAI_SYSTEM, VDOS_EAI_OVERFLOW}) {
    texts.insert(vdos_gai_text(c));
  }
  EXPECT_EQ(texts.size(), 10u) << "each getaddrinfo error has its own text";
}

TEST(Timeval, ToMilliseconds) {
  uint32_t ms = 99;
  EXPECT_EQ(vdos_timeval_to_ms(0, 0, &ms), 0);
  EXPECT_EQ(ms, 0u);  // zero: wait forever, in both conventions
  EXPECT_EQ(vdos_timeval_to_ms(0, 1, &ms), 0);
  EXPECT_EQ(ms, 1u);  // rounds up: never turns a short timeout into "forever"
  EXPECT_EQ(vdos_timeval_to_ms(2, 500000, &ms), 0);
  EXPECT_EQ(ms, 2500u);
  EXPECT_EQ(vdos_timeval_to_ms(0, 999999, &ms), 0);
  EXPECT_EQ(ms, 1000u);
  EXPECT_EQ(vdos_timeval_to_ms(10LL * 1000 * 1000 * 1000, 0, &ms), 0);
  EXPECT_EQ(ms, UINT32_MAX);
  EXPECT_EQ(vdos_timeval_to_ms(-1, 0, &ms), -1);
  EXPECT_EQ(vdos_timeval_to_ms(0, 1000000, &ms), -1);
  EXPECT_EQ(vdos_timeval_to_ms(0, -1, &ms), -1);
  long long s, us;
  vdos_ms_to_timeval(2500, &s, &us);
  EXPECT_EQ(s, 2);
  EXPECT_EQ(us, 500000);
}

TEST(Errors, EveryAbiErrorHasErrnoAndText) {
  const long all[] = {
      VDOS_EPERM,
      VDOS_ENOENT,
      VDOS_ESRCH,
      VDOS_EINTR,
      VDOS_EIO,
      VDOS_E2BIG,
      VDOS_ENOEXEC,
      VDOS_EBADF,
      VDOS_ECHILD,
      VDOS_EAGAIN,
      VDOS_ENOMEM,
      VDOS_EFAULT,
      VDOS_EBUSY,
      VDOS_EEXIST,
      VDOS_ENODEV,
      VDOS_ENOTDIR,
      VDOS_EISDIR,
      VDOS_EINVAL,
      VDOS_EMFILE,
      VDOS_EFBIG,
      VDOS_ENOSPC,
      VDOS_ESPIPE,
      VDOS_EPIPE,
      VDOS_ENAMETOOLONG,
      VDOS_ENOSYS,
      VDOS_ENOTEMPTY,
      VDOS_ENODATA,
      VDOS_ENOTSOCK,
      VDOS_EDESTADDRREQ,
      VDOS_EMSGSIZE,
      VDOS_EPROTOTYPE,
      VDOS_ENOPROTOOPT,
      VDOS_EPROTONOSUPPORT,
      VDOS_EOPNOTSUPP,
      VDOS_EAFNOSUPPORT,
      VDOS_EADDRINUSE,
      VDOS_EADDRNOTAVAIL,
      VDOS_ENETDOWN,
      VDOS_ENETUNREACH,
      VDOS_ECONNABORTED,
      VDOS_ECONNRESET,
      VDOS_ENOBUFS,
      VDOS_EISCONN,
      VDOS_ENOTCONN,
      VDOS_ETIMEDOUT,
      VDOS_ECONNREFUSED,
      VDOS_EHOSTUNREACH,
      VDOS_EALREADY,
      VDOS_EINPROGRESS,
      VDOS_ETLS_UNKNOWN_CA,
      VDOS_ETLS_NAME_MISMATCH,
      VDOS_ETLS_EXPIRED,
      VDOS_ETLS_NOT_YET_VALID,
      VDOS_ETLS_BAD_CERT,
      VDOS_ETLS_VERSION,
      VDOS_ETLS_HANDSHAKE,
      VDOS_ETLS_TRUNCATED,
  };
  std::set<int> errnos;
  std::set<std::string> texts;
  for (long e : all) {
    const char *t = vdos_error_text(e);
    ASSERT_NE(t, nullptr) << "no text for VDOS error " << e;
    int n = vdos_errno_from(e);
    errnos.insert(n);
    texts.insert(t);
    ASSERT_NE(vdos_errno_text(n), nullptr) << e;
    EXPECT_STREQ(vdos_errno_text(n), t) << e;
  }
  EXPECT_EQ(errnos.size(), sizeof(all) / sizeof(all[0])) << "two ABI errors share an errno";
  EXPECT_EQ(texts.size(), sizeof(all) / sizeof(all[0])) << "two ABI errors share a text";
}

// Every error the ABI header defines, read from the header itself, so an error added to the ABI
// later fails here until it has an errno and a text.
TEST(Errors, EveryErrorInTheAbiHeaderIsKnown) {
  std::ifstream h("kernel/abi/syscalls.h");
  ASSERT_TRUE(h.good()) << "kernel/abi/syscalls.h not in the runfiles";
  std::regex def("^#define (VDOS_E[A-Z0-9_]+) ([0-9]+)");
  std::string line;
  int seen = 0;
  while (std::getline(h, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, def)) continue;
    seen++;
    long e = std::stol(m[2]);
    EXPECT_NE(vdos_error_text(e), nullptr) << m[1] << " has no text";
    EXPECT_STREQ(vdos_errno_text(vdos_errno_from(e)), vdos_error_text(e)) << m[1];
  }
  EXPECT_GE(seen, 50) << "the header's error list was not found";
}

TEST(Errors, MapsToTheCLibrarysErrno) {
  EXPECT_EQ(vdos_errno_from(VDOS_ECONNREFUSED), ECONNREFUSED);
  EXPECT_EQ(vdos_errno_from(VDOS_ETIMEDOUT), ETIMEDOUT);
  EXPECT_EQ(vdos_errno_from(VDOS_EAGAIN), EWOULDBLOCK);
  EXPECT_EQ(vdos_errno_from(VDOS_ENOTCONN), ENOTCONN);
  EXPECT_EQ(vdos_errno_from(VDOS_ETLS_EXPIRED), VDOS_ETLS_EXPIRED);
  EXPECT_EQ(vdos_errno_from(4242), EIO);  // unknown: a generic I/O error, never 0
  EXPECT_STREQ(vdos_errno_text(ECONNREFUSED), "connection refused");
  EXPECT_STREQ(vdos_errno_text(ERANGE), "result out of range");
  EXPECT_EQ(vdos_errno_text(4242), nullptr);
  EXPECT_EQ(vdos_error_text(4242), nullptr);
}

}  // namespace
