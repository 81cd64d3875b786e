#include "kernel/dev/timerq.h"

#include <string.h>

void timerq_init(struct timerq *q) { memset(q, 0, sizeof(*q)); }

int timerq_add(struct timerq *q, uint64_t deadline, void (*fn)(void *), void *arg) {
  if (!fn) return -1;
  for (int i = 0; i < TIMERQ_MAX; i++) {
    if (!q->e[i].fn) {
      q->e[i] = (struct timerq_entry){deadline, ++q->next_seq, fn, arg};
      return i;
    }
  }
  return -1;
}

int timerq_cancel(struct timerq *q, int handle) {
  if (handle < 0 || handle >= TIMERQ_MAX || !q->e[handle].fn) return -1;
  q->e[handle].fn = NULL;
  return 0;
}

int timerq_run(struct timerq *q, uint64_t now) {
  // Only timers present when the call starts may run: callbacks that re-arm wait a round.
  uint64_t limit = q->next_seq;
  int ran = 0;
  for (int round = 0; round < TIMERQ_MAX; round++) {
    int best = -1;
    for (int i = 0; i < TIMERQ_MAX; i++) {
      const struct timerq_entry *t = &q->e[i];
      if (!t->fn || t->deadline > now || t->seq > limit) continue;
      if (best < 0 || t->deadline < q->e[best].deadline ||
          (t->deadline == q->e[best].deadline && t->seq < q->e[best].seq))
        best = i;
    }
    if (best < 0) break;
    void (*fn)(void *) = q->e[best].fn;
    void *arg = q->e[best].arg;
    q->e[best].fn = NULL;  // free the slot before the call so it can re-arm
    fn(arg);
    ran++;
  }
  return ran;
}

uint64_t timerq_next(const struct timerq *q) {
  uint64_t next = UINT64_MAX;
  for (int i = 0; i < TIMERQ_MAX; i++) {
    if (q->e[i].fn && q->e[i].deadline < next) next = q->e[i].deadline;
  }
  return next;
}
