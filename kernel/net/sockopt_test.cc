#include "kernel/net/sockopt.h"

#include <gtest/gtest.h>

#include "kernel/abi/syscalls.h"
#include "kernel/net/ksock_opts.h"

namespace {

TEST(SockOpt, FindsEverySocketLevelOptionForBothTypes) {
  const int names[] = {VDOS_SO_REUSEADDR, VDOS_SO_TYPE,     VDOS_SO_ERROR,
                       VDOS_SO_SNDBUF,    VDOS_SO_RCVBUF,   VDOS_SO_KEEPALIVE,
                       VDOS_SO_RCVTIMEO,  VDOS_SO_SNDTIMEO, VDOS_SO_NONBLOCK};
  for (int stream = 0; stream <= 1; stream++) {
    for (int n : names) EXPECT_GT(ksock_opt_find(VDOS_SOL_SOCKET, n, stream), 0) << n;
  }
  EXPECT_EQ(ksock_opt_find(VDOS_SOL_SOCKET, VDOS_SO_RCVTIMEO, 1), KSO_RCVTIMEO);
}

TEST(SockOpt, TcpOptionsOnlyOnStreams) {
  EXPECT_EQ(ksock_opt_find(VDOS_IPPROTO_TCP, VDOS_TCP_NODELAY, 1), KSO_NODELAY);
  EXPECT_EQ(ksock_opt_find(VDOS_IPPROTO_TCP, VDOS_TCP_KEEPCNT, 1), KSO_KEEPCNT);
  EXPECT_EQ(ksock_opt_find(VDOS_IPPROTO_TCP, VDOS_TCP_NODELAY, 0), -VDOS_ENOPROTOOPT);
}

TEST(SockOpt, UnknownLevelsAndNames) {
  EXPECT_EQ(ksock_opt_find(99, VDOS_SO_TYPE, 1), -VDOS_ENOPROTOOPT);
  EXPECT_EQ(ksock_opt_find(VDOS_SOL_SOCKET, 999, 1), -VDOS_ENOPROTOOPT);
  EXPECT_EQ(ksock_opt_find(VDOS_IPPROTO_TCP, 999, 1), -VDOS_ENOPROTOOPT);
  // Large values must not alias small ones.
  EXPECT_EQ(ksock_opt_find((1ull << 32) | VDOS_SOL_SOCKET, VDOS_SO_TYPE, 1), -VDOS_ENOPROTOOPT);
  EXPECT_EQ(ksock_opt_find(VDOS_SOL_SOCKET, (1ull << 32) | VDOS_SO_TYPE, 1), -VDOS_ENOPROTOOPT);
}

TEST(SockOpt, SwitchesNormalizeToZeroOrOne) {
  uint32_t v = 7;
  EXPECT_EQ(ksock_opt_value(KSO_NODELAY, -5, &v), 0);
  EXPECT_EQ(v, 1u);
  EXPECT_EQ(ksock_opt_value(KSO_KEEPALIVE, 0, &v), 0);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(ksock_opt_value(KSO_NONBLOCK, 2, &v), 0);
  EXPECT_EQ(v, 1u);
}

TEST(SockOpt, BufferSizesClampNegativeRefused) {
  uint32_t v = 0;
  EXPECT_EQ(ksock_opt_value(KSO_SNDBUF, 1, &v), 0);
  EXPECT_EQ(v, (uint32_t)KSOCK_BUF_MIN);
  EXPECT_EQ(ksock_opt_value(KSO_RCVBUF, INT32_MAX, &v), 0);
  EXPECT_EQ(v, (uint32_t)KSOCK_BUF_MAX);
  EXPECT_EQ(ksock_opt_value(KSO_RCVBUF, 65536, &v), 0);
  EXPECT_EQ(v, 65536u);
  EXPECT_EQ(ksock_opt_value(KSO_SNDBUF, -1, &v), -VDOS_EINVAL);
}

TEST(SockOpt, TimeoutBounds) {
  uint32_t v = 1;
  EXPECT_EQ(ksock_opt_value(KSO_RCVTIMEO, 0, &v), 0);
  EXPECT_EQ(v, 0u);
  EXPECT_EQ(ksock_opt_value(KSO_SNDTIMEO, (int32_t)KSOCK_TIMEO_MAX_MS, &v), 0);
  EXPECT_EQ(ksock_opt_value(KSO_SNDTIMEO, (int32_t)KSOCK_TIMEO_MAX_MS + 1, &v), -VDOS_EINVAL);
  EXPECT_EQ(ksock_opt_value(KSO_RCVTIMEO, -1, &v), -VDOS_EINVAL);
}

TEST(SockOpt, KeepAliveBounds) {
  uint32_t v = 0;
  EXPECT_EQ(ksock_opt_value(KSO_KEEPIDLE, 0, &v), -VDOS_EINVAL);
  EXPECT_EQ(ksock_opt_value(KSO_KEEPIDLE, 32767, &v), 0);
  EXPECT_EQ(v, 32767u);
  EXPECT_EQ(ksock_opt_value(KSO_KEEPINTVL, 32768, &v), -VDOS_EINVAL);
  EXPECT_EQ(ksock_opt_value(KSO_KEEPCNT, 127, &v), 0);
  EXPECT_EQ(ksock_opt_value(KSO_KEEPCNT, 128, &v), -VDOS_EINVAL);
  EXPECT_EQ(ksock_opt_value(KSO_KEEPCNT, 0, &v), -VDOS_EINVAL);
}

TEST(SockOpt, ReadOnlyAndUnknown) {
  uint32_t v = 0;
  EXPECT_EQ(ksock_opt_value(KSO_TYPE, 1, &v), -VDOS_ENOPROTOOPT);
  EXPECT_EQ(ksock_opt_value(KSO_ERROR, 0, &v), -VDOS_ENOPROTOOPT);
  EXPECT_EQ(ksock_opt_value(0, 0, &v), -VDOS_ENOPROTOOPT);
  EXPECT_EQ(ksock_opt_value(1000, 0, &v), -VDOS_ENOPROTOOPT);
}

}  // namespace
