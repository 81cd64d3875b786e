#include "kernel/net/sock_err.h"

#include <gtest/gtest.h>

#include <set>

#include "kernel/abi/syscalls.h"
extern "C" {
#include "net/core/net_err.h"  // a C header without extern "C" guards
}

namespace {

// Every errno the ABI defines for the network: a mapped code outside this set would reach a
// program as a number libc cannot name.
const std::set<long> kAbiErrnos = {
    VDOS_EINVAL,       VDOS_EAGAIN,        VDOS_ETIMEDOUT,  VDOS_ECONNREFUSED, VDOS_ECONNRESET,
    VDOS_EHOSTUNREACH, VDOS_ENETUNREACH,   VDOS_EADDRINUSE, VDOS_ENOTCONN,     VDOS_EISCONN,
    VDOS_EMSGSIZE,     VDOS_EINPROGRESS,   VDOS_EALREADY,   VDOS_ENOENT,       VDOS_ENODATA,
    VDOS_EIO,          VDOS_EADDRNOTAVAIL, VDOS_EOPNOTSUPP, VDOS_ECONNABORTED, VDOS_EPIPE,
    VDOS_ENOBUFS,
};

TEST(SockErr, CountsPassThrough) {
  EXPECT_EQ(ksock_errno(0), 0);
  EXPECT_EQ(ksock_errno(1), 1);
  EXPECT_EQ(ksock_errno(65507), 65507);
}

TEST(SockErr, EveryNetErrorMapsIntoTheAbi) {
  for (int e = NET_ERR__LAST; e < 0; e++) {
    long m = ksock_errno(e);
    ASSERT_LT(m, 0) << net_strerror(e);
    EXPECT_TRUE(kAbiErrnos.count(-m)) << net_strerror(e) << " -> " << m;
    // Where net's generic table already names an ABI code, the socket layer agrees with it,
    // except for pool exhaustion, which a socket reports as ENOBUFS (not the program's ENOMEM).
    int generic = net_err_to_errno(e);
    if (e != NET_ERR_NOMEM && kAbiErrnos.count(-generic)) EXPECT_EQ(m, generic) << net_strerror(e);
  }
}

TEST(SockErr, SocketSpecificChoices) {
  EXPECT_EQ(ksock_errno(NET_ERR_NOMEM), -VDOS_ENOBUFS);
  EXPECT_EQ(ksock_errno(NET_ERR_CLOSED), -VDOS_ENOTCONN);
  EXPECT_EQ(ksock_errno(NET_ERR_PROTO), -VDOS_ECONNRESET);
  EXPECT_EQ(ksock_errno(NET_ERR_CONNREFUSED), -VDOS_ECONNREFUSED);
  EXPECT_EQ(ksock_errno(NET_ERR_WOULDBLOCK), -VDOS_EAGAIN);
  EXPECT_EQ(ksock_errno(NET_ERR_PIPE), -VDOS_EPIPE);
  EXPECT_EQ(ksock_errno(-1000), -VDOS_EIO);
}

}  // namespace
