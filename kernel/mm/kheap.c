// The kernel's heap instance: a contiguous region right after the image, reserved at boot.
#include "kernel/abi/syscalls.h"
#include "kernel/kernel.h"
#include "kernel/mm/heap.h"

#define KHEAP_SIZE (16ull << 20)
#define KHEAP_LIMIT (12ull << 20)  // hard limit below the region: fragmentation headroom

static struct heap kheap;

void kheap_setup(void) {
  extern char __kernel_end[];
  uint64_t start = ALIGN_UP((uint64_t)__kernel_end, PAGE_SIZE);
  page_reserve(start, KHEAP_SIZE);
  if (heap_init(&kheap, (void *)start, KHEAP_SIZE, KHEAP_LIMIT) != 0) panic("heap init");
}

void *kmalloc(size_t n) { return heap_alloc(&kheap, n); }

void kfree(void *p) {
  if (heap_free(&kheap, p) != 0) panic("kfree: bad pointer %p", p);
}

size_t kmalloc_size(void *p) { return heap_size(&kheap, p); }

void kmeminfo(struct vdos_meminfo *out) {
  out->total_pages = page_total();
  out->free_pages = page_free_count();
  out->heap_limit = kheap.limit;
  out->heap_used = kheap.used;
  out->heap_peak = kheap.peak;
  out->heap_allocs = kheap.allocs;
  out->heap_failures = kheap.failures;
}
