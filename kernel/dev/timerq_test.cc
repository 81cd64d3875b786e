#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

extern "C" {
#include "kernel/dev/timerq.h"
}

namespace {

std::vector<int> order;
struct timerq *rearm_q;

void Record(void *arg) { order.push_back(static_cast<int>(reinterpret_cast<intptr_t>(arg))); }
void Rearm(void *arg) {
  Record(arg);
  timerq_add(rearm_q, 0, Record, reinterpret_cast<void *>(99));
}

TEST(TimerQ, RunsExpiredInDeadlineOrderOnlyOnce) {
  timerq q;
  timerq_init(&q);
  order.clear();
  timerq_add(&q, 300, Record, reinterpret_cast<void *>(3));
  timerq_add(&q, 100, Record, reinterpret_cast<void *>(1));
  timerq_add(&q, 200, Record, reinterpret_cast<void *>(2));
  timerq_add(&q, 100, Record, reinterpret_cast<void *>(11));  // same deadline: insertion order
  EXPECT_EQ(100u, timerq_next(&q));
  EXPECT_EQ(0, timerq_run(&q, 99));
  EXPECT_EQ(3, timerq_run(&q, 200));
  EXPECT_EQ((std::vector<int>{1, 11, 2}), order);
  EXPECT_EQ(300u, timerq_next(&q));
  EXPECT_EQ(0, timerq_run(&q, 200));
  EXPECT_EQ(1, timerq_run(&q, 1000));
  EXPECT_EQ(UINT64_MAX, timerq_next(&q));
}

TEST(TimerQ, CancelFullAndRearm) {
  timerq q;
  timerq_init(&q);
  order.clear();
  int h = timerq_add(&q, 10, Record, reinterpret_cast<void *>(1));
  ASSERT_GE(h, 0);
  EXPECT_EQ(0, timerq_cancel(&q, h));
  EXPECT_EQ(-1, timerq_cancel(&q, h));
  EXPECT_EQ(-1, timerq_cancel(&q, 1000));
  EXPECT_EQ(-1, timerq_add(&q, 1, nullptr, nullptr));
  for (int i = 0; i < TIMERQ_MAX; i++) ASSERT_GE(timerq_add(&q, 50, Record, nullptr), 0);
  EXPECT_EQ(-1, timerq_add(&q, 50, Record, nullptr));  // bounded
  EXPECT_EQ(TIMERQ_MAX, timerq_run(&q, 50));
  // A callback that re-arms at once does not loop forever: the new timer waits a round.
  rearm_q = &q;
  order.clear();
  timerq_add(&q, 0, Rearm, reinterpret_cast<void *>(7));
  EXPECT_EQ(1, timerq_run(&q, 0));
  EXPECT_EQ((std::vector<int>{7}), order);
  EXPECT_EQ(1, timerq_run(&q, 0));
  EXPECT_EQ((std::vector<int>{7, 99}), order);
}

}  // namespace
