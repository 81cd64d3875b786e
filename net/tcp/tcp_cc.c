// Congestion control modules: NewReno (RFC 5681 / 6582, the default) and CUBIC (RFC 9438).
// Both work in bytes with integer arithmetic only: the kernel build has no floating point.
#include "net/tcp/tcp_internal.h"

static uint32_t flight(const tcp_conn_t* c) { return c->snd_max - c->snd_una; }

static uint32_t half_flight(const tcp_conn_t* c) {
  uint32_t h = flight(c) / 2;
  return h < 2u * c->mss ? 2u * c->mss : h;
}

// Slow start with appropriate byte counting (RFC 3465, L = 2 segments). Returns the acknowledged
// bytes left over for congestion avoidance.
static uint32_t slow_start(tcp_conn_t* c, uint32_t acked) {
  if (c->cwnd >= c->ssthresh) return acked;
  uint32_t inc = acked < 2u * c->mss ? acked : 2u * c->mss;
  c->cwnd += inc;
  if (c->cwnd > c->ssthresh) {
    uint32_t over = c->cwnd - c->ssthresh;
    c->cwnd = c->ssthresh;
    return over;
  }
  return 0;
}

// ---------------------------------------------------------------- NewReno

static void reno_init(tcp_conn_t* c) { c->ccs.acc = 0; }

static void reno_on_ack(tcp_conn_t* c, uint32_t acked, uint64_t now_us) {
  acked = slow_start(c, acked);
  if (acked == 0) return;
  // Congestion avoidance: one segment per window's worth of acknowledged bytes (RFC 5681 3.1).
  c->ccs.acc += acked;
  if (c->ccs.acc >= c->cwnd) {
    c->ccs.acc -= c->cwnd;
    c->cwnd += c->mss;
  }
}

static void reno_on_loss(tcp_conn_t* c, uint64_t now_us) {
  c->ssthresh = half_flight(c);
  c->ccs.acc = 0;
}

static void reno_on_rto(tcp_conn_t* c, uint64_t now_us) {
  c->ssthresh = half_flight(c);
  c->ccs.acc = 0;
}

const tcp_cc_ops_t tcp_cc_newreno = {"newreno", reno_init, reno_on_ack, reno_on_loss, reno_on_rto};

// ---------------------------------------------------------------- CUBIC

// Integer cube root (floor) by bisection: at most 22 steps for any 64-bit input.
uint32_t tcp_icbrt64(uint64_t x) {
  uint32_t lo = 0, hi = 2642245;  // 2642245^3 < 2^64 <= 2642246^3: no cube can overflow
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo + 1) / 2;
    uint64_t m = mid;
    if (m * m * m <= x) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

// RFC 9438 constants: C = 0.4, beta_cubic = 0.7, alpha_cubic = 3(1-beta)/(1+beta) ~ 0.529.
#define CUBIC_BETA_NUM 7
#define CUBIC_BETA_DEN 10
#define CUBIC_ALPHA_1024 542

static void cubic_init(tcp_conn_t* c) {
  c->ccs.acc = 0;
  c->ccs.epoch_us = 0;
  c->ccs.w_max = 0;
  c->ccs.w_last_max = 0;
  c->ccs.w_est = 0;
  c->ccs.k_ms = 0;
}

// W_cubic(t) in bytes for t milliseconds into the epoch (RFC 9438 eq. 1).
static uint64_t cubic_w(const tcp_conn_t* c, uint64_t t_ms) {
  int64_t d = (int64_t)t_ms - (int64_t)c->ccs.k_ms;
  if (d > 1000000) d = 1000000;  // keep d^3 * 4 inside 64 bits; the window is long saturated
  if (d < -1000000) d = -1000000;
  int64_t milli_segs = d * d * d * 4 / 10 / 1000000;  // C * d^3 with d in s, in 1/1000 segment
  int64_t w = (int64_t)c->ccs.w_max + milli_segs * c->mss / 1000;
  return w < (int64_t)c->mss ? c->mss : (uint64_t)w;
}

static void cubic_on_ack(tcp_conn_t* c, uint32_t acked, uint64_t now_us) {
  acked = slow_start(c, acked);
  if (acked == 0) return;
  if (c->ccs.epoch_us == 0) {
    // New congestion-avoidance epoch (RFC 9438 4.2 and 4.8).
    c->ccs.epoch_us = now_us;
    if (c->ccs.w_max < c->cwnd) c->ccs.w_max = c->cwnd;
    uint64_t gap_segs_x = (uint64_t)(c->ccs.w_max - c->cwnd) * 2500000000ull / c->mss;
    c->ccs.k_ms = tcp_icbrt64(gap_segs_x);  // K = cbrt((W_max - cwnd) / C), in ms
    c->ccs.w_est = c->cwnd;
    c->ccs.acc = 0;
  }
  uint64_t t_ms = (now_us - c->ccs.epoch_us + c->srtt_us) / 1000;
  uint64_t target = cubic_w(c, t_ms);
  if (target > c->cwnd + c->cwnd / 2) target = c->cwnd + c->cwnd / 2;  // RFC 9438 4.2 bound
  // Reno-friendly region (RFC 9438 4.3): W_est grows by alpha_cubic segments per window.
  c->ccs.acc += acked;
  while (c->ccs.acc >= c->cwnd && c->cwnd > 0) {
    c->ccs.acc -= c->cwnd;
    c->ccs.w_est += (uint32_t)((uint64_t)c->mss * CUBIC_ALPHA_1024 / 1024);
  }
  if (target < c->ccs.w_est) {
    if (c->cwnd < c->ccs.w_est) c->cwnd = c->ccs.w_est;
    return;
  }
  if (target > c->cwnd) {
    uint64_t inc = (target - c->cwnd) * acked / c->cwnd;
    c->cwnd += (uint32_t)inc;
  }
}

static void cubic_reduce(tcp_conn_t* c) {
  uint32_t cw = c->cwnd;
  // Fast convergence (RFC 9438 4.7): a flow whose W_max shrinks releases bandwidth sooner.
  if (cw < c->ccs.w_last_max) {
    c->ccs.w_last_max = cw;
    c->ccs.w_max =
        (uint32_t)((uint64_t)cw * (CUBIC_BETA_DEN + CUBIC_BETA_NUM) / (2 * CUBIC_BETA_DEN));
  } else {
    c->ccs.w_last_max = cw;
    c->ccs.w_max = cw;
  }
  uint32_t ss = (uint32_t)((uint64_t)flight(c) * CUBIC_BETA_NUM / CUBIC_BETA_DEN);
  c->ssthresh = ss < 2u * c->mss ? 2u * c->mss : ss;
  c->ccs.epoch_us = 0;
}

static void cubic_on_loss(tcp_conn_t* c, uint64_t now_us) { cubic_reduce(c); }

static void cubic_on_rto(tcp_conn_t* c, uint64_t now_us) { cubic_reduce(c); }

const tcp_cc_ops_t tcp_cc_cubic = {"cubic", cubic_init, cubic_on_ack, cubic_on_loss, cubic_on_rto};
