// The kernel's string helpers must behave like their libc namesakes (sign of comparisons,
// padding, boundaries); the host libc is the reference.
#include "crypto/freestanding.h"

#include <gtest/gtest.h>
#include <strings.h>

#include <cctype>
#include <cstring>

namespace {

int Sign(int v) { return (v > 0) - (v < 0); }

const char *const kStrings[] = {"",
                                "a",
                                "A",
                                "abc",
                                "abd",
                                "ab",
                                "ABC",
                                "example.com",
                                "EXAMPLE.COM",
                                "exam",
                                "\xff",
                                "\x01",
                                "www.example.org",
                                "example.co",
                                "xample"};

TEST(Freestanding, ComparisonsMatchLibc) {
  for (const char *a : kStrings) {
    EXPECT_EQ(crypto_strlen(a), strlen(a)) << a;
    for (const char *b : kStrings) {
      EXPECT_EQ(Sign(crypto_strcmp(a, b)), Sign(strcmp(a, b))) << a << " vs " << b;
      EXPECT_EQ(Sign(crypto_strcasecmp(a, b)), Sign(strcasecmp(a, b))) << a << " vs " << b;
      for (size_t n = 0; n < 6; n++) {
        EXPECT_EQ(Sign(crypto_strncmp(a, b, n)), Sign(strncmp(a, b, n))) << a << b << n;
        EXPECT_EQ(Sign(crypto_strncasecmp(a, b, n)), Sign(strncasecmp(a, b, n))) << a << b << n;
      }
      EXPECT_EQ(crypto_strstr(a, b), strstr(a, b)) << b << " in " << a;
    }
  }
}

TEST(Freestanding, StrnstrStopsAtLimit) {
  const char *hay = "www.example.org";
  EXPECT_EQ(crypto_strnstr(hay, "example", 15), hay + 4);
  EXPECT_EQ(crypto_strnstr(hay, "example", 11), hay + 4);  // ends exactly at the limit
  EXPECT_EQ(crypto_strnstr(hay, "example", 10), nullptr);  // one byte short
  EXPECT_EQ(crypto_strnstr(hay, "", 0), hay);
  EXPECT_EQ(crypto_strnstr(hay, "w", 0), nullptr);
  EXPECT_EQ(crypto_strnstr("ab", "abc", 100), nullptr);  // needle longer than haystack
}

TEST(Freestanding, StrncpyPadsAndTruncatesLikeLibc) {
  char ours[8], theirs[8];
  for (const char *src : {"", "abc", "abcdefgh", "abcdefghij"}) {
    memset(ours, 'x', sizeof(ours));
    memset(theirs, 'x', sizeof(theirs));
    EXPECT_EQ(crypto_strncpy(ours, src, 6), ours);
    strncpy(theirs, src, 6);
    EXPECT_EQ(memcmp(ours, theirs, sizeof(ours)), 0) << src;
  }
}

TEST(Freestanding, CaseMappingIsAsciiOnly) {
  for (int c = 0; c < 256; c++) {
    int expect_lower = (c >= 'A' && c <= 'Z') ? c + 32 : c;
    int expect_upper = (c >= 'a' && c <= 'z') ? c - 32 : c;
    EXPECT_EQ(crypto_tolower(c), expect_lower) << c;
    EXPECT_EQ(crypto_toupper(c), expect_upper) << c;
  }
}

}  // namespace
