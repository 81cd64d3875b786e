// ELF validation against a real program image built by the test's own helper and against
// malformed variants: each must be refused with the specific error, never read out of bounds.
#include <cstring>
#include <random>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "kernel/proc/elf.h"
}

namespace {

constexpr uint64_t kLo = 0x100000000ull, kHi = 0x140000000ull;

struct Seg {
  uint32_t type, flags;
  uint64_t offset, vaddr, filesz, memsz;
};

template <typename T>
void Put(std::vector<uint8_t> &b, size_t off, T v) {
  memcpy(b.data() + off, &v, sizeof(v));
}

std::vector<uint8_t> MakeElf(const std::vector<Seg> &segs, uint64_t entry, size_t size = 0x3000) {
  std::vector<uint8_t> b(size, 0);
  const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  memcpy(b.data(), ident, sizeof(ident));
  Put<uint16_t>(b, 16, 2);    // ET_EXEC
  Put<uint16_t>(b, 18, 183);  // EM_AARCH64
  Put<uint32_t>(b, 20, 1);
  Put<uint64_t>(b, 24, entry);
  Put<uint64_t>(b, 32, 64);  // phoff
  Put<uint16_t>(b, 52, 64);
  Put<uint16_t>(b, 54, 56);
  Put<uint16_t>(b, 56, static_cast<uint16_t>(segs.size()));
  for (size_t i = 0; i < segs.size(); i++) {
    size_t p = 64 + 56 * i;
    Put<uint32_t>(b, p, segs[i].type);
    Put<uint32_t>(b, p + 4, segs[i].flags);
    Put<uint64_t>(b, p + 8, segs[i].offset);
    Put<uint64_t>(b, p + 16, segs[i].vaddr);
    Put<uint64_t>(b, p + 24, segs[i].vaddr);
    Put<uint64_t>(b, p + 32, segs[i].filesz);
    Put<uint64_t>(b, p + 40, segs[i].memsz);
  }
  return b;
}

std::vector<Seg> Good() {
  return {{1, 5, 0x1000, kLo, 0x800, 0x800},             // text R+X
          {1, 6, 0x2000, kLo + 0x1000, 0x100, 0x5000}};  // data R+W with bss
}

TEST(Elf, AcceptsWellFormedProgram) {
  auto b = MakeElf(Good(), kLo + 0x10);
  elf_image img;
  ASSERT_EQ(ELF_OK, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  EXPECT_EQ(kLo + 0x10, img.entry);
  ASSERT_EQ(2, img.nseg);
  EXPECT_TRUE(img.seg[0].executable);
  EXPECT_FALSE(img.seg[0].writable);
  EXPECT_TRUE(img.seg[1].writable);
  EXPECT_EQ(0x5000u, img.seg[1].memsz);
  EXPECT_EQ(kLo + 0x6000, img.end);
}

TEST(Elf, RefusesMalformedHeaders) {
  elf_image img;
  auto good = MakeElf(Good(), kLo);
  EXPECT_EQ(ELF_ETOOSMALL, elf_parse(good.data(), 63, kLo, kHi, &img));
  EXPECT_EQ(ELF_ETOOSMALL, elf_parse(nullptr, 100, kLo, kHi, &img));
  auto b = good;
  b[1] = 'X';
  EXPECT_EQ(ELF_EMAGIC, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  b[4] = 1;  // 32-bit
  EXPECT_EQ(ELF_ECLASS, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  b[5] = 2;  // big-endian
  EXPECT_EQ(ELF_ECLASS, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  Put<uint16_t>(b, 18, 62);  // x86-64
  EXPECT_EQ(ELF_ETYPE, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  Put<uint16_t>(b, 16, 3);  // ET_DYN
  EXPECT_EQ(ELF_ETYPE, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  Put<uint16_t>(b, 54, 32);  // phentsize
  EXPECT_EQ(ELF_EPHDR, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  Put<uint64_t>(b, 32, b.size() - 10);  // phdrs past the end
  EXPECT_EQ(ELF_EPHDR, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  Put<uint64_t>(b, 32, ~0ull - 8);  // overflowing phoff
  EXPECT_EQ(ELF_EPHDR, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  b = good;
  Put<uint16_t>(b, 56, 0);
  EXPECT_EQ(ELF_EPHDR, elf_parse(b.data(), b.size(), kLo, kHi, &img));
}

TEST(Elf, RefusesBadSegments) {
  elf_image img;
  auto check = [&](std::vector<Seg> segs, uint64_t entry, int want) {
    auto b = MakeElf(segs, entry);
    EXPECT_EQ(want, elf_parse(b.data(), b.size(), kLo, kHi, &img));
  };
  auto s = Good();
  s[1].offset = 0x2f80;  // file data runs past the end
  check(s, kLo, ELF_ESEGMENT);
  s = Good();
  s[1].filesz = 0x6000;  // filesz > memsz
  check(s, kLo, ELF_ESEGMENT);
  s = Good();
  s[0].vaddr = 0x40200000;  // kernel memory
  check(s, 0x40200000, ELF_ESEGMENT);
  s = Good();
  s[1].memsz = ~0ull - 0x100;  // wraps around
  check(s, kLo, ELF_ESEGMENT);
  s = Good();
  s[1].vaddr = kHi - 0x1000;  // crosses the top of the window
  check(s, kLo, ELF_ESEGMENT);
  s = Good();
  s[1].vaddr = kLo + 0x400;  // overlaps text
  check(s, kLo, ELF_EOVERLAP);
  s = Good();
  s[0].flags = 7;  // writable and executable
  check(s, kLo, ELF_ESEGMENT);
  check(Good(), kLo + 0x1000, ELF_ENTRY);                // entry in data
  check(Good(), kLo + 0x900, ELF_ENTRY);                 // entry past text
  check({{4, 4, 0, kLo, 0x10, 0x10}}, kLo, ELF_ENOSEG);  // PT_NOTE only
  std::vector<Seg> many;
  for (int i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
    many.push_back({1, 4, 0x1000, kLo + 0x10000ull * static_cast<uint64_t>(i), 0x10, 0x10});
  check(many, kLo, ELF_ETOOMANY);
}

TEST(Elf, RandomCorruptionIsRefusedCleanly) {
  auto good = MakeElf(Good(), kLo + 0x10);
  std::mt19937 rng(99);
  int accepted = 0;
  for (int round = 0; round < 20000; round++) {
    auto b = good;
    int flips = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < flips; i++) b[rng() % 176] = static_cast<uint8_t>(rng());
    size_t len = rng() % 4 == 0 ? rng() % b.size() : b.size();
    std::vector<uint8_t> exact(b.begin(), b.begin() + static_cast<long>(len));
    elf_image img;
    if (elf_parse(exact.data(), exact.size(), kLo, kHi, &img) != ELF_OK) continue;
    accepted++;
    // Whatever passed must satisfy the loader's invariants.
    for (int i = 0; i < img.nseg; i++) {
      ASSERT_GE(img.seg[i].vaddr, kLo);
      ASSERT_LE(img.seg[i].vaddr + img.seg[i].memsz, kHi);
      ASSERT_LE(img.seg[i].offset + img.seg[i].filesz, exact.size());
      ASSERT_LE(img.seg[i].filesz, img.seg[i].memsz);
      ASSERT_FALSE(img.seg[i].writable && img.seg[i].executable);
    }
  }
  EXPECT_GT(accepted, 0);  // mutations of unused bytes keep the file valid
}

}  // namespace
