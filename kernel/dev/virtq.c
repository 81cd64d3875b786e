#include "kernel/dev/virtq.h"

#include <string.h>

// The device reads and writes the rings concurrently (QEMU's I/O thread): order our stores
// before the index update, and the index load before reading entries.
#define BARRIER() __atomic_thread_fence(__ATOMIC_SEQ_CST)

size_t virtq_desc_bytes(uint16_t size) { return 16u * size; }
size_t virtq_avail_bytes(uint16_t size) { return 6u + 2u * size; }
size_t virtq_used_bytes(uint16_t size) { return 6u + 8u * size; }

int virtq_init(struct virtq *q, uint16_t size, void *desc, void *avail, void *used) {
  if (size == 0 || size > VIRTQ_MAX_SIZE || (size & (size - 1)) != 0) return -1;
  if (!desc || !avail || !used) return -1;
  memset(q, 0, sizeof(*q));
  q->size = size;
  q->desc = desc;
  q->avail = avail;
  q->used = used;
  for (uint16_t i = 0; i < size; i++) q->desc[i].next = (uint16_t)(i + 1);
  q->free_head = 0;
  q->num_free = size;
  return 0;
}

int virtq_add(struct virtq *q, uint64_t addr, uint32_t len, int device_writes, uint64_t token) {
  if (q->num_free == 0) return -1;
  uint16_t i = q->free_head;
  q->free_head = q->desc[i].next;
  q->num_free--;
  q->desc[i].addr = addr;
  q->desc[i].len = len;
  q->desc[i].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
  q->desc[i].next = 0;
  q->tokens[i] = token;
  q->busy[i] = 1;
  q->in_flight++;
  uint16_t slot = q->avail->idx & (q->size - 1);
  q->avail->ring[slot] = i;
  BARRIER();
  q->avail->idx++;
  BARRIER();
  return i;
}

int virtq_get(struct virtq *q, uint64_t *token, uint32_t *len) {
  BARRIER();
  uint16_t used_idx = *(volatile uint16_t *)&q->used->idx;
  if (used_idx == q->last_used) return 0;
  // More completions than buffers in flight means the device is confused.
  if ((uint16_t)(used_idx - q->last_used) > q->in_flight) return -1;
  BARRIER();
  struct virtq_used_elem e = q->used->ring[q->last_used & (q->size - 1)];
  if (e.id >= q->size || !q->busy[e.id]) return -1;
  q->last_used++;
  q->busy[e.id] = 0;
  q->in_flight--;
  *token = q->tokens[e.id];
  // Never trust the device's length beyond what we posted.
  *len = e.len <= q->desc[e.id].len ? e.len : q->desc[e.id].len;
  // Completion is what the used ring says: only now does the descriptor come back.
  q->desc[e.id].next = q->free_head;
  q->free_head = (uint16_t)e.id;
  q->num_free++;
  return 1;
}

int virtq_should_notify(const struct virtq *q) {
  BARRIER();
  return (*(volatile uint16_t *)&q->used->flags & 1) == 0;
}
