// Socket options (SYS_SOCKET_SETOPT/GETOPT): which (level, name) pairs exist for which socket
// type, and which values are accepted. Pure, host-tested; kernel/net/ksock.c applies them.
#ifndef KERNEL_NET_SOCKOPT_H_
#define KERNEL_NET_SOCKOPT_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ksock_opt {
  KSO_REUSEADDR = 1,
  KSO_TYPE,   // read-only
  KSO_ERROR,  // read-only
  KSO_SNDBUF,
  KSO_RCVBUF,
  KSO_KEEPALIVE,
  KSO_RCVTIMEO,
  KSO_SNDTIMEO,
  KSO_NONBLOCK,
  KSO_NODELAY,  // TCP only, like the three below
  KSO_KEEPIDLE,
  KSO_KEEPINTVL,
  KSO_KEEPCNT,
};

// The option for (level, name) on a stream (1) or datagram (0) socket, or -VDOS_ENOPROTOOPT
// (unknown level or name, or a TCP option on a UDP socket).
int ksock_opt_find(uint64_t level, uint64_t name, int stream);

// Checks a value being set and gives the one to store in *out: 0/1 for switches, buffer sizes
// clamped to [KSOCK_BUF_MIN, KSOCK_BUF_MAX], timeouts in ms up to KSOCK_TIMEO_MAX_MS, keep-alive
// seconds 1..32767 and counts 1..127. -VDOS_EINVAL for a value out of range, -VDOS_ENOPROTOOPT
// for a read-only option.
int ksock_opt_value(int opt, int32_t value, uint32_t *out);

#ifdef __cplusplus
}
#endif

#endif  // KERNEL_NET_SOCKOPT_H_
