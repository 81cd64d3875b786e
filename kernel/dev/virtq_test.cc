// Virtqueue bookkeeping against a fake device that consumes the avail ring and completes
// buffers in the used ring, in order and out of order, plus a misbehaving device.
#include <cstring>
#include <deque>
#include <random>
#include <set>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "kernel/dev/virtq.h"
}

namespace {

class FakeDevice {
 public:
  FakeDevice(virtq_desc *d, virtq_avail *a, virtq_used *u, uint16_t size)
      : desc_(d), avail_(a), used_(u), size_(size) {}
  // Takes everything newly posted.
  void Fetch() {
    while (seen_ != avail_->idx) pending_.push_back(avail_->ring[seen_++ & (size_ - 1)]);
  }
  // Completes pending[pos] with `len` bytes written.
  void Complete(size_t pos, uint32_t len) {
    uint16_t id = pending_[pos];
    pending_.erase(pending_.begin() + static_cast<long>(pos));
    used_->ring[used_->idx & (size_ - 1)] = {id, len};
    used_->idx++;
  }
  void CompleteRaw(uint32_t id, uint32_t len) {
    used_->ring[used_->idx & (size_ - 1)] = {id, len};
    used_->idx++;
  }
  std::deque<uint16_t> pending_;
  virtq_desc *desc_;
  virtq_avail *avail_;
  virtq_used *used_;
  uint16_t size_;
  uint16_t seen_ = 0;
};

struct Queue {
  explicit Queue(uint16_t size)
      : desc(virtq_desc_bytes(size) / 8),
        avail(virtq_avail_bytes(size) / 2 + 1),
        used(virtq_used_bytes(size) / 4 + 1) {
    EXPECT_EQ(0, virtq_init(&q, size, desc.data(), avail.data(), used.data()));
  }
  std::vector<uint64_t> desc;
  std::vector<uint16_t> avail;
  std::vector<uint32_t> used;
  virtq q;
  FakeDevice Device() {
    return FakeDevice(reinterpret_cast<virtq_desc *>(desc.data()),
                      reinterpret_cast<virtq_avail *>(avail.data()),
                      reinterpret_cast<virtq_used *>(used.data()), q.size);
  }
};

TEST(Virtq, RejectsBadSizes) {
  virtq q;
  uint64_t mem[512] = {};
  EXPECT_EQ(-1, virtq_init(&q, 0, mem, mem, mem));
  EXPECT_EQ(-1, virtq_init(&q, 12, mem, mem, mem));
  EXPECT_EQ(-1, virtq_init(&q, 512, mem, mem, mem));
  EXPECT_EQ(-1, virtq_init(&q, 8, nullptr, mem, mem));
}

TEST(Virtq, FillsUpAndRecyclesOnlyCompletedDescriptors) {
  Queue b(8);
  FakeDevice dev = b.Device();
  for (int i = 0; i < 8; i++) ASSERT_GE(virtq_add(&b.q, 0x1000u * i, 100, 1, 100 + i), 0);
  EXPECT_EQ(-1, virtq_add(&b.q, 0, 1, 1, 0));  // full
  uint64_t tok;
  uint32_t len;
  EXPECT_EQ(0, virtq_get(&b.q, &tok, &len));  // nothing completed yet
  dev.Fetch();
  ASSERT_EQ(8u, dev.pending_.size());
  dev.Complete(3, 60);  // out of order
  ASSERT_EQ(1, virtq_get(&b.q, &tok, &len));
  EXPECT_EQ(103u, tok);
  EXPECT_EQ(60u, len);
  EXPECT_EQ(0, virtq_get(&b.q, &tok, &len));
  // Exactly one slot is free again: the one the device returned.
  int d = virtq_add(&b.q, 0x9000, 100, 0, 999);
  EXPECT_EQ(3, d);
  EXPECT_EQ(-1, virtq_add(&b.q, 0, 1, 1, 0));
  EXPECT_EQ(0u, b.q.desc[3].flags);  // driver-to-device buffer
}

TEST(Virtq, ClampsLengthAndRejectsForeignDescriptors) {
  Queue b(4);
  FakeDevice dev = b.Device();
  ASSERT_EQ(0, virtq_add(&b.q, 0x1000, 64, 1, 7));
  dev.Fetch();
  dev.Complete(0, 5000);  // claims more than the buffer holds
  uint64_t tok;
  uint32_t len;
  ASSERT_EQ(1, virtq_get(&b.q, &tok, &len));
  EXPECT_EQ(64u, len);
  dev.CompleteRaw(0, 10);  // returns a descriptor it does not own any more
  EXPECT_EQ(-1, virtq_get(&b.q, &tok, &len));
  Queue c(4);
  FakeDevice dev2 = c.Device();
  ASSERT_EQ(0, virtq_add(&c.q, 0x1000, 64, 1, 7));
  dev2.CompleteRaw(9, 10);  // index out of range
  EXPECT_EQ(-1, virtq_get(&c.q, &tok, &len));
}

TEST(Virtq, LongRandomRunKeepsTokensConsistent) {
  Queue b(16);
  FakeDevice dev = b.Device();
  std::mt19937 rng(3);
  std::set<uint64_t> outstanding;
  uint64_t next = 1;
  uint64_t completed = 0;
  for (int round = 0; round < 100000; round++) {
    int op = static_cast<int>(rng() % 3);
    if (op == 0) {
      int d = virtq_add(&b.q, next * 64, 64, static_cast<int>(rng() & 1), next);
      if (d >= 0) {
        outstanding.insert(next++);
      } else {
        ASSERT_EQ(16u, outstanding.size());
      }
    } else if (op == 1) {
      dev.Fetch();
      if (!dev.pending_.empty()) dev.Complete(rng() % dev.pending_.size(), 32);
    } else {
      uint64_t tok;
      uint32_t len;
      int r = virtq_get(&b.q, &tok, &len);
      ASSERT_GE(r, 0);
      if (r == 1) {
        ASSERT_EQ(1u, outstanding.erase(tok));
        ASSERT_EQ(32u, len);
        completed++;
      }
    }
    ASSERT_EQ(b.q.num_free + outstanding.size(), 16u);
  }
  EXPECT_GT(completed, 10000u);
}

}  // namespace
