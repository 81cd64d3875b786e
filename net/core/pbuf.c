#include "net/core/pbuf.h"

#include <string.h>

static void put_free(struct pbuf_pool *pool, struct pbuf *p) {
  p->next = pool->free_list[p->cls];
  pool->free_list[p->cls] = p;
  pool->free_count[p->cls]++;
}

void pbuf_pool_init(struct pbuf_pool *pool) {
  for (int c = 0; c < PBUF_CLASS_COUNT; c++) {
    pool->free_list[c] = NULL;
    pool->free_count[c] = 0;
  }
  pool->alloc_failures = 0;
  pool->bad_frees = 0;
  // Push in reverse so the first allocation gets index 0 (easier to read in a debugger).
  for (int i = NET_PBUF_SMALL_COUNT - 1; i >= 0; i--) {
    struct pbuf *p = &pool->small[i];
    memset(p, 0, sizeof(*p));
    p->pool = pool;
    p->storage = pool->small_mem[i];
    p->cap = NET_PBUF_SMALL_SIZE;
    p->cls = PBUF_CLASS_SMALL;
    put_free(pool, p);
  }
  for (int i = NET_PBUF_LARGE_COUNT - 1; i >= 0; i--) {
    struct pbuf *p = &pool->large[i];
    memset(p, 0, sizeof(*p));
    p->pool = pool;
    p->storage = pool->large_mem[i];
    p->cap = NET_PBUF_LARGE_SIZE;
    p->cls = PBUF_CLASS_LARGE;
    put_free(pool, p);
  }
}

uint32_t pbuf_pool_free_count(const struct pbuf_pool *pool) {
  return pool->free_count[PBUF_CLASS_SMALL] + pool->free_count[PBUF_CLASS_LARGE];
}

uint32_t pbuf_pool_total_count(const struct pbuf_pool *pool) {
  (void)pool;
  return NET_PBUF_SMALL_COUNT + NET_PBUF_LARGE_COUNT;
}

struct pbuf *pbuf_alloc(struct pbuf_pool *pool, size_t headroom, size_t len) {
  if (headroom > NET_PBUF_LARGE_SIZE || len > NET_PBUF_LARGE_SIZE - headroom) {
    pool->alloc_failures++;
    return NULL;
  }
  size_t need = headroom + len;
  int cls = need <= NET_PBUF_SMALL_SIZE ? PBUF_CLASS_SMALL : PBUF_CLASS_LARGE;
  // A small request may spill into the large class, never the other way round.
  while (cls < PBUF_CLASS_COUNT && pool->free_list[cls] == NULL) cls++;
  if (cls >= PBUF_CLASS_COUNT) {
    pool->alloc_failures++;
    return NULL;
  }
  struct pbuf *p = pool->free_list[cls];
  pool->free_list[cls] = p->next;
  pool->free_count[cls]--;
  p->next = NULL;
  p->data = p->storage + headroom;
  p->len = (uint32_t)len;
  p->in_use = true;
  memset(p->meta, 0, sizeof(p->meta));
  p->meta64 = 0;
  return p;
}

void pbuf_free(struct pbuf *p) {
  if (p == NULL) return;
  struct pbuf_pool *pool = p->pool;
  if (!p->in_use) {
    if (pool) pool->bad_frees++;
    return;
  }
  p->in_use = false;
  p->len = 0;
  put_free(pool, p);
}

struct pbuf *pbuf_alloc_copy(struct pbuf_pool *pool, size_t headroom, const void *src, size_t len) {
  struct pbuf *p = pbuf_alloc(pool, headroom, len);
  if (p && len) memcpy(p->data, src, len);
  return p;
}

uint8_t *pbuf_push(struct pbuf *p, size_t n) {
  if (n > pbuf_headroom(p)) return NULL;
  p->data -= n;
  p->len += (uint32_t)n;
  return p->data;
}

uint8_t *pbuf_pull(struct pbuf *p, size_t n) {
  if (n > p->len) return NULL;
  p->data += n;
  p->len -= (uint32_t)n;
  return p->data;
}

uint8_t *pbuf_append(struct pbuf *p, size_t n) {
  if (n > pbuf_tailroom(p)) return NULL;
  uint8_t *tail = p->data + p->len;
  p->len += (uint32_t)n;
  return tail;
}

bool pbuf_trim(struct pbuf *p, size_t new_len) {
  if (new_len > p->len) return false;
  p->len = (uint32_t)new_len;
  return true;
}

void pbuf_queue_init(struct pbuf_queue *q) {
  q->head = q->tail = NULL;
  q->count = 0;
  q->bytes = 0;
}

void pbuf_queue_push(struct pbuf_queue *q, struct pbuf *p) {
  p->next = NULL;
  if (q->tail) {
    q->tail->next = p;
  } else {
    q->head = p;
  }
  q->tail = p;
  q->count++;
  q->bytes += p->len;
}

struct pbuf *pbuf_queue_pop(struct pbuf_queue *q) {
  struct pbuf *p = q->head;
  if (!p) return NULL;
  q->head = p->next;
  if (!q->head) q->tail = NULL;
  p->next = NULL;
  q->count--;
  q->bytes -= p->len;
  return p;
}

void pbuf_queue_purge(struct pbuf_queue *q) {
  struct pbuf *p;
  while ((p = pbuf_queue_pop(q)) != NULL) pbuf_free(p);
}
