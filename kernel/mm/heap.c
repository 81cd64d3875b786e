#include "kernel/mm/heap.h"

#define MAGIC_FREE 0xf4eeb10cu
#define MAGIC_USED 0xa110cb1du
#define ALIGN 16u
#define MAX_ALLOC (1u << 30)

// Block header; the payload follows. Blocks tile the region in address order.
struct blk {
  uint32_t magic;
  uint32_t pad;
  uint64_t size;     // whole block incl. header, multiple of ALIGN
  uint64_t request;  // payload bytes requested (for accounting), 0 when free
  uint64_t pad2;
};

_Static_assert(sizeof(struct blk) % ALIGN == 0, "header keeps payload aligned");

static struct blk *at(struct heap *h, size_t off) { return (struct blk *)(h->base + off); }

static int valid(struct heap *h, size_t off, struct blk *b) {
  return (b->magic == MAGIC_FREE || b->magic == MAGIC_USED) && b->size >= sizeof(struct blk) &&
         b->size % ALIGN == 0 && b->size <= h->size - off;
}

int heap_init(struct heap *h, void *mem, size_t size, size_t limit) {
  if (!h || !mem || ((uintptr_t)mem % ALIGN) != 0 || size < 64) return -1;
  size -= size % ALIGN;
  h->base = mem;
  h->size = size;
  h->limit = limit < size ? limit : size;
  h->used = h->peak = h->allocs = h->failures = 0;
  h->corrupt = 0;
  struct blk *b = at(h, 0);
  b->magic = MAGIC_FREE;
  b->size = size;
  b->request = 0;
  return 0;
}

void *heap_alloc(struct heap *h, size_t n) {
  if (n == 0 || n > MAX_ALLOC || h->used + n > h->limit) {
    h->failures++;
    return NULL;
  }
  uint64_t need = sizeof(struct blk) + ((n + ALIGN - 1) & ~(uint64_t)(ALIGN - 1));
  size_t off = 0;
  while (off < h->size) {
    struct blk *b = at(h, off);
    if (!valid(h, off, b)) {
      h->corrupt = 1;
      break;
    }
    if (b->magic == MAGIC_FREE) {
      // Merge following free blocks first (frees only merge forward).
      while (off + b->size < h->size) {
        struct blk *nb = at(h, off + b->size);
        if (!valid(h, off + b->size, nb)) {
          h->corrupt = 1;
          h->failures++;
          return NULL;
        }
        if (nb->magic != MAGIC_FREE) break;
        b->size += nb->size;
      }
      if (b->size >= need) {
        if (b->size - need >= sizeof(struct blk) + ALIGN) {
          struct blk *rest = at(h, off + need);
          rest->magic = MAGIC_FREE;
          rest->size = b->size - need;
          rest->request = 0;
          b->size = need;
        }
        b->magic = MAGIC_USED;
        b->request = n;
        h->used += n;
        h->allocs++;
        if (h->used > h->peak) h->peak = h->used;
        return (uint8_t *)b + sizeof(struct blk);
      }
    }
    off += b->size;
  }
  h->failures++;
  return NULL;
}

int heap_free(struct heap *h, void *p) {
  if (!p) return 0;
  uint8_t *q = p;
  if (q < h->base + sizeof(struct blk) || q >= h->base + h->size ||
      (uintptr_t)(q - h->base) % ALIGN != 0)
    return -1;
  size_t off = (size_t)(q - h->base) - sizeof(struct blk);
  struct blk *b = at(h, off);
  if (b->magic != MAGIC_USED || !valid(h, off, b)) return -1;
  b->magic = MAGIC_FREE;
  h->used -= b->request;
  h->allocs--;
  b->request = 0;
  if (off + b->size < h->size) {
    struct blk *nb = at(h, off + b->size);
    if (valid(h, off + b->size, nb) && nb->magic == MAGIC_FREE) b->size += nb->size;
  }
  return 0;
}

size_t heap_size(struct heap *h, void *p) {
  uint8_t *q = p;
  if (!q || q < h->base + sizeof(struct blk) || q >= h->base + h->size ||
      (uintptr_t)(q - h->base) % ALIGN != 0)
    return 0;
  size_t off = (size_t)(q - h->base) - sizeof(struct blk);
  struct blk *b = at(h, off);
  if (b->magic != MAGIC_USED || !valid(h, off, b)) return 0;
  return b->request;
}

int heap_check(struct heap *h) {
  size_t off = 0, used = 0, allocs = 0;
  while (off < h->size) {
    struct blk *b = at(h, off);
    if (!valid(h, off, b)) return -1;
    if (b->magic == MAGIC_USED) {
      used += b->request;
      allocs++;
    }
    off += b->size;
  }
  if (off != h->size || used != h->used || allocs != h->allocs) return -1;
  return 0;
}
