#include "kernel/net/sockopt.h"

#include "kernel/abi/syscalls.h"
#include "kernel/net/ksock_opts.h"

// Linux's bound for TCP_KEEPIDLE/TCP_KEEPINTVL (MAX_TCP_KEEPIDLE); it also keeps the value in
// milliseconds within 32 bits.
#define KEEP_SECONDS_MAX 32767
#define KEEP_COUNT_MAX 127  // Linux's MAX_TCP_KEEPCNT

int ksock_opt_find(uint64_t level, uint64_t name, int stream) {
  if (level == VDOS_SOL_SOCKET) {
    switch (name) {
      case VDOS_SO_REUSEADDR:
        return KSO_REUSEADDR;
      case VDOS_SO_TYPE:
        return KSO_TYPE;
      case VDOS_SO_ERROR:
        return KSO_ERROR;
      case VDOS_SO_SNDBUF:
        return KSO_SNDBUF;
      case VDOS_SO_RCVBUF:
        return KSO_RCVBUF;
      case VDOS_SO_KEEPALIVE:
        return KSO_KEEPALIVE;
      case VDOS_SO_RCVTIMEO:
        return KSO_RCVTIMEO;
      case VDOS_SO_SNDTIMEO:
        return KSO_SNDTIMEO;
      case VDOS_SO_NONBLOCK:
        return KSO_NONBLOCK;
    }
    return -VDOS_ENOPROTOOPT;
  }
  if (level != VDOS_IPPROTO_TCP || !stream) return -VDOS_ENOPROTOOPT;
  switch (name) {
    case VDOS_TCP_NODELAY:
      return KSO_NODELAY;
    case VDOS_TCP_KEEPIDLE:
      return KSO_KEEPIDLE;
    case VDOS_TCP_KEEPINTVL:
      return KSO_KEEPINTVL;
    case VDOS_TCP_KEEPCNT:
      return KSO_KEEPCNT;
  }
  return -VDOS_ENOPROTOOPT;
}

int ksock_opt_value(int opt, int32_t v, uint32_t *out) {
  switch (opt) {
    case KSO_REUSEADDR:
    case KSO_KEEPALIVE:
    case KSO_NONBLOCK:
    case KSO_NODELAY:
      *out = v != 0;
      return 0;
    case KSO_SNDBUF:
    case KSO_RCVBUF:
      // Like Linux, sizes are clamped rather than refused; a negative size is nonsense.
      if (v < 0) return -VDOS_EINVAL;
      *out = (uint32_t)v < KSOCK_BUF_MIN   ? KSOCK_BUF_MIN
             : (uint32_t)v > KSOCK_BUF_MAX ? KSOCK_BUF_MAX
                                           : (uint32_t)v;
      return 0;
    case KSO_RCVTIMEO:
    case KSO_SNDTIMEO:
      if (v < 0 || (uint32_t)v > KSOCK_TIMEO_MAX_MS) return -VDOS_EINVAL;
      *out = (uint32_t)v;
      return 0;
    case KSO_KEEPIDLE:
    case KSO_KEEPINTVL:
      if (v < 1 || v > KEEP_SECONDS_MAX) return -VDOS_EINVAL;
      *out = (uint32_t)v;
      return 0;
    case KSO_KEEPCNT:
      if (v < 1 || v > KEEP_COUNT_MAX) return -VDOS_EINVAL;
      *out = (uint32_t)v;
      return 0;
    case KSO_TYPE:
    case KSO_ERROR:
      return -VDOS_ENOPROTOOPT;
  }
  return -VDOS_ENOPROTOOPT;
}
