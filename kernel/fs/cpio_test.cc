// cpio newc reader: archives written by the system's own `cpio` tool (the real peer) and
// corrupted variants.
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "kernel/fs/cpio.h"
}

namespace {

std::string Tmp() {
  const char *t = getenv("TEST_TMPDIR");
  return t ? t : "/tmp";
}

std::vector<uint8_t> Archive() {
  std::string dir = Tmp() + "/tree";
  std::string cmd = "rm -rf " + dir + " && mkdir -p " + dir + "/etc/sub && cd " + dir +
                    " && printf 'hello world\\n' > etc/motd && printf 'abc' > etc/sub/x && "
                    ": > empty && find . | sort | cpio -o -H newc > ../a.cpio 2>/dev/null";
  EXPECT_EQ(0, system(cmd.c_str()));
  std::ifstream in(Tmp() + "/a.cpio", std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

TEST(Cpio, ReadsArchiveFromCpioTool) {
  auto a = Archive();
  ASSERT_GT(a.size(), 110u);
  size_t off = 0;
  std::vector<std::string> names;
  std::string motd;
  cpio_entry e;
  int r;
  int guard = 0;
  while ((r = cpio_next(a.data(), a.size(), &off, &e)) == 1 && guard++ < 100) {
    names.emplace_back(e.name, e.name_len);
    if (names.back() == "etc/motd") {
      motd.assign(reinterpret_cast<const char *>(e.data), e.size);
      EXPECT_EQ(0100000u, e.mode & 0170000u);
    }
    if (names.back() == "etc") {
      EXPECT_EQ(0040000u, e.mode & 0170000u);
    }
  }
  EXPECT_EQ(0, r);  // ended at the trailer
  // GNU cpio stores "./x" as "x".
  EXPECT_EQ((std::vector<std::string>{".", "empty", "etc", "etc/motd", "etc/sub", "etc/sub/x"}),
            names);
  EXPECT_EQ("hello world\n", motd);
}

TEST(Cpio, RefusesMalformedArchives) {
  auto a = Archive();
  cpio_entry e;
  size_t off = 0;
  EXPECT_LT(cpio_next(a.data(), 100, &off, &e), 0);  // truncated header
  auto b = a;
  b[0] = 'X';
  off = 0;
  EXPECT_LT(cpio_next(b.data(), b.size(), &off, &e), 0);  // magic
  b = a;
  b[6 + 8 * 6] = 'G';  // non-hex filesize digit
  off = 0;
  EXPECT_LT(cpio_next(b.data(), b.size(), &off, &e), 0);
  b = a;
  memcpy(&b[6 + 8 * 11], "FFFFFFFF", 8);  // namesize huge
  off = 0;
  EXPECT_LT(cpio_next(b.data(), b.size(), &off, &e), 0);
  off = a.size() + 5;  // offset beyond the end
  EXPECT_LT(cpio_next(a.data(), a.size(), &off, &e), 0);
}

TEST(Cpio, RandomCorruptionStaysInBounds) {
  auto a = Archive();
  std::mt19937 rng(5);
  for (int round = 0; round < 5000; round++) {
    auto b = a;
    for (int i = 0; i < 4; i++) b[rng() % b.size()] = static_cast<uint8_t>(rng());
    std::vector<uint8_t> exact(b.begin(), b.begin() + static_cast<long>(rng() % b.size() + 1));
    size_t off = 0;
    cpio_entry e;
    for (int n = 0; n < 100; n++) {
      if (cpio_next(exact.data(), exact.size(), &off, &e) != 1) break;
      ASSERT_LE(e.data + e.size, exact.data() + exact.size());
      ASSERT_EQ(0, e.name[e.name_len]);
    }
  }
}

}  // namespace
