#include "net/core/timer.h"

#include <stddef.h>

void net_timer_list_init(struct net_timer_list *l) {
  l->head = NULL;
  l->gen = 0;
}

void net_timer_init(struct net_timer *t, net_timer_fn fn, void *arg) {
  t->next = NULL;
  t->deadline_ms = 0;
  t->fn = fn;
  t->arg = arg;
  t->gen = 0;
  t->armed = false;
}

void net_timer_cancel(struct net_timer_list *l, struct net_timer *t) {
  if (!t->armed) return;
  for (struct net_timer **pp = &l->head; *pp; pp = &(*pp)->next) {
    if (*pp == t) {
      *pp = t->next;
      break;
    }
  }
  t->next = NULL;
  t->armed = false;
}

void net_timer_arm(struct net_timer_list *l, struct net_timer *t, uint64_t deadline_ms) {
  net_timer_cancel(l, t);
  struct net_timer **pp = &l->head;
  while (*pp && (*pp)->deadline_ms <= deadline_ms) pp = &(*pp)->next;
  t->deadline_ms = deadline_ms;
  t->gen = l->gen;
  t->next = *pp;
  *pp = t;
  t->armed = true;
}

unsigned net_timer_run(struct net_timer_list *l, uint64_t now_ms) {
  // Timers armed from inside a callback carry the new generation and are skipped until the
  // next run, so a callback that re-arms itself for "now" cannot spin this loop forever.
  uint32_t run_gen = ++l->gen;
  unsigned ran = 0;
  for (;;) {
    struct net_timer *t = l->head;
    while (t && t->deadline_ms <= now_ms && t->gen == run_gen) t = t->next;
    if (!t || t->deadline_ms > now_ms) break;
    net_timer_cancel(l, t);
    t->fn(t->arg, now_ms);
    ran++;
  }
  return ran;
}

uint64_t net_timer_next_deadline(const struct net_timer_list *l) {
  return l->head ? l->head->deadline_ms : NET_TIME_NEVER;
}
