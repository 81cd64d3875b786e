// TCP sequence-number arithmetic (RFC 9293 section 3.4).
//
// Sequence numbers live on a 2^32 circle, so "a < b" means "b is ahead of a by less than half the
// circle". Every comparison in the engine goes through these helpers; a raw `<` on sequence numbers
// is a bug as soon as the counters wrap.
#ifndef NET_TCP_TCP_SEQ_H_
#define NET_TCP_TCP_SEQ_H_

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t tcp_seq_t;

// Signed distance from b to a on the circle (positive when a is ahead of b). The subtraction is
// done unsigned (defined wraparound) and only then reinterpreted; the cast is the documented two's
// complement conversion on every target we build for.
static inline int32_t tcp_seq_diff(tcp_seq_t a, tcp_seq_t b) { return (int32_t)(a - b); }

static inline bool tcp_seq_lt(tcp_seq_t a, tcp_seq_t b) { return tcp_seq_diff(a, b) < 0; }
static inline bool tcp_seq_le(tcp_seq_t a, tcp_seq_t b) { return tcp_seq_diff(a, b) <= 0; }
static inline bool tcp_seq_gt(tcp_seq_t a, tcp_seq_t b) { return tcp_seq_diff(a, b) > 0; }
static inline bool tcp_seq_ge(tcp_seq_t a, tcp_seq_t b) { return tcp_seq_diff(a, b) >= 0; }

static inline tcp_seq_t tcp_seq_max(tcp_seq_t a, tcp_seq_t b) { return tcp_seq_gt(a, b) ? a : b; }
static inline tcp_seq_t tcp_seq_min(tcp_seq_t a, tcp_seq_t b) { return tcp_seq_lt(a, b) ? a : b; }

// lo <= x < hi on the circle. An empty interval (lo == hi) contains nothing.
static inline bool tcp_seq_in(tcp_seq_t x, tcp_seq_t lo, tcp_seq_t hi) {
  return (uint32_t)(x - lo) < (uint32_t)(hi - lo);
}

// lo <= x <= hi on the circle.
static inline bool tcp_seq_in_incl(tcp_seq_t x, tcp_seq_t lo, tcp_seq_t hi) {
  return (uint32_t)(x - lo) <= (uint32_t)(hi - lo);
}

// Whether a segment [seq, seq+len) is acceptable for a receive window [rcv_nxt, rcv_nxt+wnd),
// per the four cases of RFC 9293 section 3.10.7.4 (zero-length segments and zero windows included).
static inline bool tcp_seq_acceptable(tcp_seq_t seq, uint32_t len, tcp_seq_t rcv_nxt,
                                      uint32_t wnd) {
  if (len == 0) {
    if (wnd == 0) return seq == rcv_nxt;
    return tcp_seq_in(seq, rcv_nxt, rcv_nxt + wnd);
  }
  if (wnd == 0) return false;
  return tcp_seq_in(seq, rcv_nxt, rcv_nxt + wnd) ||
         tcp_seq_in(seq + len - 1, rcv_nxt, rcv_nxt + wnd);
}

#endif  // NET_TCP_TCP_SEQ_H_
