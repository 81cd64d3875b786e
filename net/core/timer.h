// One-shot timers on the stack's monotonic millisecond clock. Each protocol embeds its own
// struct net_timer (no table to run out of); the list is kept sorted by deadline so finding the
// next wake-up for a poll loop is O(1).
#ifndef NET_CORE_TIMER_H_
#define NET_CORE_TIMER_H_

#include <stdbool.h>
#include <stdint.h>

#define NET_TIME_NEVER UINT64_MAX

struct net_timer;
typedef void (*net_timer_fn)(void *arg, uint64_t now_ms);

struct net_timer {
  struct net_timer *next;
  uint64_t deadline_ms;
  net_timer_fn fn;
  void *arg;
  uint32_t gen;  // list generation when armed: timers armed during a run wait for the next run
  bool armed;
};

struct net_timer_list {
  struct net_timer *head;
  uint32_t gen;
};

void net_timer_list_init(struct net_timer_list *l);

// Initialises a timer (not armed). Must be called once before arm/cancel.
void net_timer_init(struct net_timer *t, net_timer_fn fn, void *arg);

// Arms (or re-arms) t to fire at deadline_ms. Timers with equal deadlines fire in arm order.
void net_timer_arm(struct net_timer_list *l, struct net_timer *t, uint64_t deadline_ms);

// Disarms t; harmless if it is not armed.
void net_timer_cancel(struct net_timer_list *l, struct net_timer *t);

static inline bool net_timer_armed(const struct net_timer *t) { return t->armed; }

// Fires every timer whose deadline is <= now_ms. A callback may re-arm any timer (including
// itself); a timer re-armed for a time <= now_ms fires on the NEXT call, never in this one, so
// this always terminates. Returns the number of callbacks run.
unsigned net_timer_run(struct net_timer_list *l, uint64_t now_ms);

// Earliest armed deadline, or NET_TIME_NEVER.
uint64_t net_timer_next_deadline(const struct net_timer_list *l);

#endif  // NET_CORE_TIMER_H_
