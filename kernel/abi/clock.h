// The ViperDOS monotonic clock, shared by the kernel and user/libc.
//
// The clock is the ARM generic timer's virtual counter (CNTVCT_EL0) at CNTFRQ_EL0 ticks per
// second, converted to nanoseconds. The kernel lets EL0 read that counter (CNTKCTL_EL1.EL0VCTEN,
// as Linux does for its vDSO), so reading the clock costs no system call: under QEMU TCG a system
// call is ~1 us, which would be most of what a program times when it times a socket call.
// SYS_TIME_NS returns the same value through the same conversion.
#ifndef KERNEL_ABI_CLOCK_H_
#define KERNEL_ABI_CLOCK_H_

#include <stdint.h>

// Nanoseconds per counter tick as a 32.32 fixed-point factor: a multiply and a shift per read
// instead of three divisions. The truncation error is below 2^-32 of the value (under 21 us after
// a day at 24 MHz) and, as both sides use this one function, kernel and user time agree exactly.
static inline uint64_t vdos_clock_mult(uint64_t freq_hz) {
  return freq_hz ? (UINT64_C(1000000000) << 32) / freq_hz : 0;
}

static inline uint64_t vdos_clock_ns(uint64_t count, uint64_t mult) {
  return (uint64_t)(((unsigned __int128)count * mult) >> 32);
}

// The raw counter and its frequency, readable at EL0 and EL1.
static inline uint64_t vdos_clock_count(void) {
  uint64_t v;
  // ISB: the read is not taken before the instructions ahead of it, so an interval measured
  // between two reads covers the code between them.
  __asm__ volatile("isb\n mrs %0, cntvct_el0" : "=r"(v)::"memory");
  return v;
}

static inline uint64_t vdos_clock_freq(void) {
  uint64_t f;
  __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
  return f;
}

#endif  // KERNEL_ABI_CLOCK_H_
