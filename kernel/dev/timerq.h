// One-shot timer queue (pure; host-tested). The tick interrupt only advances time; expired
// callbacks run later from timerq_run(), outside interrupt context, so a callback may do real
// work (the network stack's retransmission timers will).
#ifndef KERNEL_DEV_TIMERQ_H_
#define KERNEL_DEV_TIMERQ_H_

#include <stdint.h>

#define TIMERQ_MAX 32

struct timerq_entry {
  uint64_t deadline;
  uint64_t seq;  // insertion order breaks ties between equal deadlines
  void (*fn)(void *);
  void *arg;
};

struct timerq {
  struct timerq_entry e[TIMERQ_MAX];
  uint64_t next_seq;
};

void timerq_init(struct timerq *q);
// Returns a handle >= 0, or -1 when the queue is full or fn is NULL.
int timerq_add(struct timerq *q, uint64_t deadline, void (*fn)(void *), void *arg);
// Cancels a pending timer; returns 0, or -1 if it already ran or never existed.
int timerq_cancel(struct timerq *q, int handle);
// Runs every timer whose deadline <= now, earliest first; returns how many ran. Callbacks may
// add timers; those run in a later call (bounded work per call).
int timerq_run(struct timerq *q, uint64_t now);
// Earliest pending deadline, or UINT64_MAX.
uint64_t timerq_next(const struct timerq *q);

#endif  // KERNEL_DEV_TIMERQ_H_
