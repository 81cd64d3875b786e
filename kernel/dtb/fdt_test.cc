// Host tests for the bounded FDT reader: against a DTB produced by QEMU itself (the real peer:
// `-M virt,dumpdtb=`), and against corrupted and truncated blobs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" {
#include "kernel/dtb/fdt.h"
}

namespace {

std::vector<uint8_t> QemuDtb(const std::string &extra) {
  const char *tmp = getenv("TEST_TMPDIR");
  std::string dir = std::string(tmp ? tmp : "/tmp");
  std::string path = dir + "/virt" + std::to_string(extra.size()) + ".dtb";
  // -append needs -kernel; QEMU dumps the tree before it would run this (raw) image.
  std::string kernel = dir + "/dummy-kernel";
  std::ofstream(kernel) << "dummy";
  std::string cmd = "qemu-system-aarch64 -M virt,dumpdtb=" + path + " -kernel " + kernel +
                    " -cpu max -m 512M -nographic -nodefaults "
                    "-global virtio-mmio.force-legacy=false " +
                    extra + " >/dev/null 2>&1";
  EXPECT_EQ(0, system(cmd.c_str())) << cmd;
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

class QemuDtbTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    blob_ = new std::vector<uint8_t>(
        QemuDtb("-append 'ip=10.0.2.15 dns=10.0.2.3' -device virtio-rng-device "
                "-netdev user,id=n0,restrict=on -device virtio-net-device,netdev=n0"));
  }
  static void TearDownTestSuite() { delete blob_; }
  void SetUp() override { ASSERT_EQ(0, fdt_init(&f_, blob_->data(), blob_->size())); }
  static std::vector<uint8_t> *blob_;
  struct fdt f_;
};
std::vector<uint8_t> *QemuDtbTest::blob_;

TEST_F(QemuDtbTest, MemoryNode) {
  int mem = fdt_node_by_name(&f_, -1, "memory");
  ASSERT_GE(mem, 0);
  uint64_t base, size;
  ASSERT_EQ(0, fdt_reg(&f_, mem, 0, 2, 2, &base, &size));
  EXPECT_EQ(0x40000000u, base);
  EXPECT_EQ(512u << 20, size);
  EXPECT_NE(0, fdt_reg(&f_, mem, 1, 2, 2, &base, &size));  // only one range
}

TEST_F(QemuDtbTest, Pl011AndChosen) {
  int uart = fdt_node_by_compatible(&f_, -1, "arm,pl011");
  ASSERT_GE(uart, 0);
  uint64_t base, size;
  ASSERT_EQ(0, fdt_reg(&f_, uart, 0, 2, 2, &base, &size));
  EXPECT_EQ(0x09000000u, base);
  EXPECT_STREQ("pl011@9000000", fdt_node_name(&f_, uart));

  int chosen = fdt_path_offset(&f_, "/chosen");
  ASSERT_GE(chosen, 0);
  size_t len = 0;
  const char *args = static_cast<const char *>(fdt_getprop(&f_, chosen, "bootargs", &len));
  ASSERT_NE(nullptr, args);
  EXPECT_STREQ("ip=10.0.2.15 dns=10.0.2.3", args);
  EXPECT_EQ(strlen(args) + 1, len);
  ASSERT_NE(nullptr, fdt_getprop(&f_, chosen, "rng-seed", &len));
  EXPECT_EQ(32u, len);
  EXPECT_EQ(nullptr, fdt_getprop(&f_, chosen, "no-such-prop", &len));
  EXPECT_EQ(0, fdt_path_offset(&f_, "/"));
  EXPECT_LT(fdt_path_offset(&f_, "/chosen/nothing"), 0);
  EXPECT_LT(fdt_path_offset(&f_, "chosen"), 0);
}

TEST_F(QemuDtbTest, VirtioSlotsGicTimer) {
  int count = 0, node = -1;
  while ((node = fdt_node_by_compatible(&f_, node, "virtio,mmio")) >= 0 && count < 100) count++;
  EXPECT_EQ(32, count);  // QEMU virt always describes 32 transports
  EXPECT_GE(fdt_node_by_compatible(&f_, -1, "arm,cortex-a15-gic"), 0);
  int timer = fdt_node_by_compatible(&f_, -1, "arm,armv8-timer");
  ASSERT_GE(timer, 0);
  size_t len;
  ASSERT_NE(nullptr, fdt_getprop(&f_, timer, "interrupts", &len));
  EXPECT_EQ(48u, len);  // 4 interrupts x 3 cells
  uint32_t cells;
  ASSERT_EQ(0, fdt_prop_u32(&f_, 0, "#address-cells", &cells));
  EXPECT_EQ(2u, cells);
}

TEST(FdtMalformed, RejectsBadHeaders) {
  struct fdt f;
  std::vector<uint8_t> blob = QemuDtb("");
  ASSERT_EQ(0, fdt_init(&f, blob.data(), blob.size()));
  EXPECT_NE(0, fdt_init(&f, nullptr, 100));
  EXPECT_NE(0, fdt_init(&f, blob.data(), 39));
  EXPECT_NE(0, fdt_init(&f, blob.data(), blob.size() - 1));  // totalsize beyond the buffer
  std::vector<uint8_t> bad = blob;
  bad[0] ^= 1;  // magic
  EXPECT_NE(0, fdt_init(&f, bad.data(), bad.size()));
  bad = blob;
  bad[8] = 0x7f;  // struct offset far beyond the blob
  EXPECT_NE(0, fdt_init(&f, bad.data(), bad.size()));
  bad = blob;
  bad[33] = 0xff;  // strings size pushes past the end
  EXPECT_NE(0, fdt_init(&f, bad.data(), bad.size()));
}

TEST(FdtMalformed, RandomCorruptionNeverReadsOutOfBounds) {
  // Under ASan this proves every walk stays inside the blob; lookups may fail, never crash.
  std::vector<uint8_t> blob = QemuDtb("");
  // QEMU pads its tree to 1 MiB; cut the padding so each round copies only the real blocks.
  struct fdt whole;
  ASSERT_EQ(0, fdt_init(&whole, blob.data(), blob.size()));
  size_t used = static_cast<size_t>(whole.strings - reinterpret_cast<const char *>(blob.data())) +
                whole.strings_size;
  used = std::max(used, static_cast<size_t>(whole.structs - blob.data()) + whole.struct_size);
  blob.resize(used);
  for (int i = 0; i < 4; i++) blob[4 + i] = static_cast<uint8_t>(used >> (24 - 8 * i));
  std::mt19937 rng(1234);
  for (int round = 0; round < 3000; round++) {
    std::vector<uint8_t> bad(blob);
    int flips = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < flips; i++) {
      size_t pos = 40 + rng() % (bad.size() - 40);
      bad[pos] = static_cast<uint8_t>(rng());
    }
    std::vector<uint8_t> copy(bad.begin(), bad.end());
    struct fdt f;
    if (fdt_init(&f, copy.data(), copy.size()) != 0) continue;
    size_t len;
    int n = fdt_node_by_compatible(&f, -1, "arm,pl011");
    fdt_getprop(&f, n, "reg", &len);
    fdt_path_offset(&f, "/chosen");
    int mem = fdt_node_by_name(&f, -1, "memory");
    uint64_t a, s;
    fdt_reg(&f, mem, 0, 2, 2, &a, &s);
    int v = -1, guard = 0;
    while ((v = fdt_node_by_compatible(&f, v, "virtio,mmio")) >= 0 && guard++ < 64) {
    }
  }
}

TEST(FdtMalformed, DeepNestingIsRefused) {
  // Hand-built blob: FDT_MAX_DEPTH+1 nested nodes, then a property lookup by path.
  std::vector<uint8_t> s;
  auto be32 = [&](uint32_t v) {
    for (int i = 3; i >= 0; i--) s.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  for (int i = 0; i <= FDT_MAX_DEPTH; i++) {
    be32(1);
    be32(0x61000000);  // name "a" + NUL, padded
  }
  for (int i = 0; i <= FDT_MAX_DEPTH; i++) be32(2);
  be32(9);
  std::vector<uint8_t> blob(40, 0);
  auto put = [&](size_t off, uint32_t v) {
    for (int i = 0; i < 4; i++) blob[off + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
  };
  put(0, 0xd00dfeed);
  put(4, static_cast<uint32_t>(40 + s.size()));
  put(8, 40);
  put(12, static_cast<uint32_t>(40 + s.size()));
  put(20, 17);
  put(24, 16);
  put(32, 0);
  put(36, static_cast<uint32_t>(s.size()));
  blob.insert(blob.end(), s.begin(), s.end());
  struct fdt f;
  ASSERT_EQ(0, fdt_init(&f, blob.data(), blob.size()));
  EXPECT_LT(fdt_node_by_name(&f, 0, "zzz"), 0);
  EXPECT_LT(fdt_path_offset(&f, "/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a"), 0);
  EXPECT_GE(fdt_path_offset(&f, "/a/a"), 0);
}

}  // namespace
