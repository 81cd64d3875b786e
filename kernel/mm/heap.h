// Kernel heap: first-fit over one contiguous region, with usage accounting and a hard limit.
// Pure code (no globals), so it is tested on host.
#ifndef KERNEL_MM_HEAP_H_
#define KERNEL_MM_HEAP_H_

#include <stddef.h>
#include <stdint.h>

struct heap {
  uint8_t *base;
  size_t size;
  size_t limit;  // hard cap on bytes handed out (payload)
  size_t used;   // bytes handed out now (payload)
  size_t peak;
  size_t allocs;    // live allocations
  size_t failures;  // refused requests
  int corrupt;      // set when a check found a damaged header
};

// Returns 0 on success; `mem` must be 16-byte aligned and `size` >= 64.
int heap_init(struct heap *h, void *mem, size_t size, size_t limit);
// NULL when n == 0, n too large, over the limit, or no block fits.
void *heap_alloc(struct heap *h, size_t n);
// Returns 0, or -1 for a pointer the heap did not hand out (or already freed).
int heap_free(struct heap *h, void *p);
// Payload size of a live allocation (as requested), or 0 for a pointer the heap did not hand out.
size_t heap_size(struct heap *h, void *p);
// Walks every block; returns 0 when all headers are intact and the blocks tile the region.
int heap_check(struct heap *h);

#endif  // KERNEL_MM_HEAP_H_
