// What the stack needs from its host: the kernel (VirtIO-net), vnet (a TAP fd) and tests (an
// in-memory link) each fill in one of these. Receiving is the other direction: the platform
// pushes each frame into the stack with net_stack_input_frame() (net/stack/stack.h) or, for
// zero-copy drivers, allocates a pbuf from the stack's pool and calls net_stack_input().
#ifndef NET_CORE_PLATFORM_H_
#define NET_CORE_PLATFORM_H_

#include <stddef.h>
#include <stdint.h>

struct net_platform {
  // Sends one complete Ethernet frame (destination MAC first, no FCS; at least 60 bytes).
  // Returns NET_OK, or a net_err_t (NET_ERR_WOULDBLOCK if the device queue is full, NET_ERR_IO).
  // The frame is only borrowed: the platform copies what it keeps.
  int (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
  // Monotonic clock in microseconds (any epoch; never goes backwards).
  uint64_t (*now_us)(void *ctx);
  // Fills buf with unpredictable bytes (ephemeral ports, DNS ids, ISNs).
  void (*random_bytes)(void *ctx, void *buf, size_t len);
  void *ctx;
};

#endif  // NET_CORE_PLATFORM_H_
