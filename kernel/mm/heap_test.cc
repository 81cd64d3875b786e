#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "kernel/mm/heap.h"
}

namespace {

class HeapTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(0, heap_init(&h_, mem_, sizeof(mem_), sizeof(mem_))); }
  alignas(16) uint8_t mem_[64 * 1024];
  struct heap h_;
};

TEST_F(HeapTest, AllocationsAreDistinctAlignedAndAccounted) {
  std::vector<uint8_t *> ps;
  for (int i = 1; i <= 50; i++) {
    auto *p = static_cast<uint8_t *>(heap_alloc(&h_, static_cast<size_t>(i * 7)));
    ASSERT_NE(nullptr, p);
    EXPECT_EQ(0u, reinterpret_cast<uintptr_t>(p) % 16);
    memset(p, i, static_cast<size_t>(i * 7));
    ps.push_back(p);
  }
  size_t want = 0;
  for (int i = 1; i <= 50; i++) want += static_cast<size_t>(i * 7);
  EXPECT_EQ(want, h_.used);
  EXPECT_EQ(50u, h_.allocs);
  for (int i = 1; i <= 50; i++) {
    for (int j = 0; j < i * 7; j++) ASSERT_EQ(i, ps[static_cast<size_t>(i - 1)][j]);
  }
  EXPECT_EQ(0, heap_check(&h_));
  for (auto *p : ps) EXPECT_EQ(0, heap_free(&h_, p));
  EXPECT_EQ(0u, h_.used);
  EXPECT_EQ(want, h_.peak);
  EXPECT_EQ(0, heap_check(&h_));
  // After freeing everything, one allocation of nearly the whole region must fit again.
  EXPECT_NE(nullptr, heap_alloc(&h_, sizeof(mem_) - 64));
}

TEST_F(HeapTest, RefusesBadRequestsAndBadFrees) {
  EXPECT_EQ(nullptr, heap_alloc(&h_, 0));
  EXPECT_EQ(nullptr, heap_alloc(&h_, sizeof(mem_)));  // header does not fit
  EXPECT_EQ(nullptr, heap_alloc(&h_, SIZE_MAX));
  EXPECT_EQ(3u, h_.failures);
  void *p = heap_alloc(&h_, 100);
  ASSERT_NE(nullptr, p);
  EXPECT_EQ(-1, heap_free(&h_, static_cast<uint8_t *>(p) + 16));  // not a block start
  EXPECT_EQ(-1, heap_free(&h_, mem_ + sizeof(mem_) + 64));        // outside
  EXPECT_EQ(100u, heap_size(&h_, p));
  EXPECT_EQ(0u, heap_size(&h_, static_cast<uint8_t *>(p) + 16));
  EXPECT_EQ(0, heap_free(&h_, p));
  EXPECT_EQ(0u, heap_size(&h_, p));  // freed
  EXPECT_EQ(-1, heap_free(&h_, p));  // double free
  EXPECT_EQ(0, heap_check(&h_));
}

TEST_F(HeapTest, HardLimitIsEnforced) {
  struct heap h;
  ASSERT_EQ(0, heap_init(&h, mem_, sizeof(mem_), 1000));
  void *a = heap_alloc(&h, 600);
  ASSERT_NE(nullptr, a);
  EXPECT_EQ(nullptr, heap_alloc(&h, 401));  // 1001 > limit although memory is free
  EXPECT_EQ(1u, h.failures);
  EXPECT_NE(nullptr, heap_alloc(&h, 400));
  EXPECT_EQ(1000u, h.used);
}

TEST_F(HeapTest, ExhaustionAndRecoveryUnderRandomLoad) {
  std::mt19937 rng(7);
  std::vector<std::pair<uint8_t *, size_t>> live;
  int refused = 0;
  for (int round = 0; round < 20000; round++) {
    if (live.empty() || rng() % 3 != 0) {
      size_t n = 1 + rng() % 3000;
      auto *p = static_cast<uint8_t *>(heap_alloc(&h_, n));
      if (!p) {
        refused++;
        continue;
      }
      memset(p, static_cast<int>(n & 0xff), n);
      live.emplace_back(p, n);
    } else {
      size_t i = rng() % live.size();
      for (size_t j = 0; j < live[i].second; j++)
        ASSERT_EQ(static_cast<uint8_t>(live[i].second & 0xff), live[i].first[j]);
      ASSERT_EQ(0, heap_free(&h_, live[i].first));
      live[i] = live.back();
      live.pop_back();
    }
  }
  EXPECT_GT(refused, 0);  // the 64 KiB region really ran out at times
  EXPECT_EQ(0, heap_check(&h_));
  for (auto &e : live) ASSERT_EQ(0, heap_free(&h_, e.first));
  EXPECT_EQ(0u, h_.used);
  EXPECT_EQ(0u, h_.allocs);
}

TEST_F(HeapTest, DetectsCorruptedHeader) {
  auto *p = static_cast<uint8_t *>(heap_alloc(&h_, 32));
  ASSERT_NE(nullptr, p);
  memset(p - 32, 0x41, 32);  // smash the header
  EXPECT_EQ(-1, heap_free(&h_, p));
  EXPECT_EQ(-1, heap_check(&h_));
  EXPECT_EQ(nullptr, heap_alloc(&h_, 16));
  EXPECT_EQ(1, h_.corrupt);
}

}  // namespace
