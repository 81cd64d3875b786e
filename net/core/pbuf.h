// The one packet-buffer type: a contiguous byte run inside fixed storage, with headroom in front
// so each layer prepends its header in place (no copies on the way down), and pull/trim so each
// layer strips its header in place on the way up. Buffers come from bounded pools; nothing in
// net/ calls malloc.
#ifndef NET_CORE_PBUF_H_
#define NET_CORE_PBUF_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/core/net_opts.h"

struct pbuf_pool;

struct pbuf {
  struct pbuf *next;       // link for whoever owns the buffer (queues); NULL when handed over
  struct pbuf_pool *pool;  // where pbuf_free returns it
  uint8_t *storage;        // start of storage
  uint8_t *data;           // first valid byte
  uint32_t len;            // valid bytes from data
  uint32_t cap;            // storage bytes
  uint8_t cls;             // pool class (internal)
  bool in_use;             // catches double frees
  // Scratch words for the current owner (e.g. a receive queue stores the sender's address and
  // port; ARP's pending queue stores the next hop). Undefined after a hand-over.
  uint32_t meta[4];
  uint64_t meta64;
};

// A FIFO of buffers linked through pbuf.next with its own count/byte totals.
struct pbuf_queue {
  struct pbuf *head;
  struct pbuf *tail;
  uint32_t count;
  uint32_t bytes;
};

enum { PBUF_CLASS_SMALL = 0, PBUF_CLASS_LARGE = 1, PBUF_CLASS_COUNT = 2 };

struct pbuf_pool {
  struct pbuf small[NET_PBUF_SMALL_COUNT];
  struct pbuf large[NET_PBUF_LARGE_COUNT];
  struct pbuf *free_list[PBUF_CLASS_COUNT];
  uint32_t free_count[PBUF_CLASS_COUNT];
  uint32_t alloc_failures;  // allocations refused because the pool was empty
  uint32_t bad_frees;       // double frees / foreign buffers refused
  _Alignas(8) uint8_t small_mem[NET_PBUF_SMALL_COUNT][NET_PBUF_SMALL_SIZE];
  _Alignas(8) uint8_t large_mem[NET_PBUF_LARGE_COUNT][NET_PBUF_LARGE_SIZE];
};

void pbuf_pool_init(struct pbuf_pool *pool);

// Buffers currently free in the pool (all classes). Tests use this to prove there are no leaks.
uint32_t pbuf_pool_free_count(const struct pbuf_pool *pool);
uint32_t pbuf_pool_total_count(const struct pbuf_pool *pool);

// Allocates a buffer with `headroom` free bytes in front of `len` valid (uninitialised) bytes,
// from the smallest class that fits. NULL when nothing fits or the pool is exhausted.
struct pbuf *pbuf_alloc(struct pbuf_pool *pool, size_t headroom, size_t len);

// Transmit buffer: NET_PBUF_HEADROOM for the headers below, `len` bytes of payload.
static inline struct pbuf *pbuf_alloc_tx(struct pbuf_pool *pool, size_t len) {
  return pbuf_alloc(pool, NET_PBUF_HEADROOM, len);
}

// Returns one buffer to its pool. NULL is ignored; double frees are refused and counted.
void pbuf_free(struct pbuf *p);

// Allocates a copy of `len` bytes with the given headroom.
struct pbuf *pbuf_alloc_copy(struct pbuf_pool *pool, size_t headroom, const void *src, size_t len);

static inline size_t pbuf_headroom(const struct pbuf *p) { return (size_t)(p->data - p->storage); }
static inline size_t pbuf_tailroom(const struct pbuf *p) {
  return p->cap - pbuf_headroom(p) - p->len;
}

// Grows the front by n bytes (for a header); returns the new data pointer or NULL if the
// headroom is too small (buffer unchanged).
uint8_t *pbuf_push(struct pbuf *p, size_t n);

// Drops n bytes from the front; returns the new data pointer or NULL if len < n (unchanged).
uint8_t *pbuf_pull(struct pbuf *p, size_t n);

// Grows the tail by n bytes; returns a pointer to the first new byte or NULL (unchanged).
uint8_t *pbuf_append(struct pbuf *p, size_t n);

// Shrinks len to new_len (e.g. strip Ethernet padding). False if new_len > len.
bool pbuf_trim(struct pbuf *p, size_t new_len);

void pbuf_queue_init(struct pbuf_queue *q);
void pbuf_queue_push(struct pbuf_queue *q, struct pbuf *p);
struct pbuf *pbuf_queue_pop(struct pbuf_queue *q);
static inline bool pbuf_queue_empty(const struct pbuf_queue *q) { return q->head == 0; }
// Frees every buffer in the queue.
void pbuf_queue_purge(struct pbuf_queue *q);

#endif  // NET_CORE_PBUF_H_
