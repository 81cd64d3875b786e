#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

extern "C" {
#include "net/testing/impair.h"
}

static impair_cfg Parse(const char *s) {
  impair_cfg c;
  char err[128];
  EXPECT_TRUE(impair_parse(s, &c, err, sizeof(err))) << s << ": " << err;
  return c;
}

TEST(ImpairParse, AllKeys) {
  impair_cfg c = Parse("loss=2,delay=10,jitter=1.5,reorder=0.5%,dup=1,corrupt=0.01,seed=42");
  EXPECT_EQ(c.loss_ppm, 20000u);
  EXPECT_EQ(c.delay_us, 10000u);
  EXPECT_EQ(c.jitter_us, 1500u);
  EXPECT_EQ(c.reorder_ppm, 5000u);
  EXPECT_EQ(c.dup_ppm, 10000u);
  EXPECT_EQ(c.corrupt_ppm, 100u);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_TRUE(impair_active(&c));
  impair_cfg z = Parse("seed=7");
  EXPECT_FALSE(impair_active(&z));
}

TEST(ImpairParse, RejectsBadInputWithMessage) {
  impair_cfg c;
  char err[128];
  for (const char *bad : {"loss", "loss=", "loss=101", "loss=abc", "bogus=1", "loss=1,", "delay=-1",
                          "loss=1x", "loss=0.00001", "=1"}) {
    err[0] = 0;
    EXPECT_FALSE(impair_parse(bad, &c, err, sizeof(err))) << bad;
    EXPECT_NE(err[0], 0) << bad;
  }
}

class ImpairRun : public ::testing::Test {
 protected:
  std::unique_ptr<impair> im_{new impair};
  // Sends n numbered frames 1 ms apart, drains everything, returns the sequence received.
  std::vector<uint32_t> Run(const char *spec, int n, int *corrupted = nullptr) {
    impair_cfg c = Parse(spec);
    impair_init(im_.get(), &c);
    std::vector<uint32_t> got;
    uint64_t now = 0;
    uint8_t f[100], out[NET_IMPAIR_FRAME_MAX];
    int bad = 0;
    for (int i = 0; i < n + 10000; i++, now += 1000) {
      if (i < n) {
        memset(f, 0xab, sizeof(f));
        memcpy(f + 50, &i, 4);
        impair_submit(im_.get(), f, sizeof(f), now);
      }
      size_t len;
      while ((len = impair_pop(im_.get(), now, out, sizeof(out))) != 0) {
        EXPECT_EQ(len, sizeof(f));
        uint32_t v;
        memcpy(&v, out + 50, 4);
        got.push_back(v);
        memset(f, 0xab, sizeof(f));
        memcpy(f + 50, &v, 4);
        if (memcmp(f, out, sizeof(f)) != 0) bad++;
      }
      if (i >= n && impair_next_release(im_.get()) == UINT64_MAX) break;
    }
    if (corrupted) *corrupted = bad;
    return got;
  }
};

TEST_F(ImpairRun, PerfectLinkIsIdentity) {
  auto got = Run("seed=1", 1000);
  ASSERT_EQ(got.size(), 1000u);
  for (uint32_t i = 0; i < 1000; i++) EXPECT_EQ(got[i], i);
}

TEST_F(ImpairRun, LossRateIsRoughlyRightAndDeterministic) {
  auto a = Run("loss=10,seed=3", 10000);
  auto b = Run("loss=10,seed=3", 10000);
  EXPECT_EQ(a, b);
  EXPECT_GT(a.size(), 8700u);
  EXPECT_LT(a.size(), 9300u);
  auto c = Run("loss=10,seed=4", 10000);
  EXPECT_NE(a, c);
}

TEST_F(ImpairRun, DelayKeepsOrderAndDelays) {
  impair_cfg c = Parse("delay=20");
  impair_init(im_.get(), &c);
  uint8_t f[60] = {1}, out[NET_IMPAIR_FRAME_MAX];
  impair_submit(im_.get(), f, sizeof(f), 0);
  EXPECT_EQ(impair_pop(im_.get(), 19999, out, sizeof(out)), 0u);
  EXPECT_EQ(impair_next_release(im_.get()), 20000u);
  EXPECT_EQ(impair_pop(im_.get(), 20000, out, sizeof(out)), sizeof(f));
}

TEST_F(ImpairRun, ReorderDupCorruptHappen) {
  int corrupted = 0;
  auto got = Run("reorder=5,dup=5,corrupt=5,seed=9", 4000, &corrupted);
  EXPECT_GT(got.size(), 4000u);  // duplicates
  int inversions = 0;
  for (size_t i = 1; i < got.size(); i++) inversions += got[i] < got[i - 1];
  EXPECT_GT(inversions, 50);
  EXPECT_GT(corrupted, 50);
  EXPECT_EQ(im_->stats.delivered, got.size());
}
