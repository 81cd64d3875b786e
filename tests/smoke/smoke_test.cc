#include <gtest/gtest.h>
TEST(Smoke, Adds) { EXPECT_EQ(2 + 2, 4); }
