// Physical page allocator: one bit per 4 KiB page of RAM, bounded scans.
#include "kernel/kernel.h"

#define MAX_PAGES (1u << 19)  // 2 GiB of RAM at most

static uint64_t bitmap[MAX_PAGES / 64];
static uint64_t base, npages, nfree, next_hint;

static int used(uint64_t i) { return (bitmap[i / 64] >> (i % 64)) & 1; }
static void set_used(uint64_t i) { bitmap[i / 64] |= 1ull << (i % 64); }
static void set_free(uint64_t i) { bitmap[i / 64] &= ~(1ull << (i % 64)); }

void page_init(uint64_t ram_base, uint64_t ram_size, uint64_t reserved_end) {
  base = ram_base;
  npages = ram_size / PAGE_SIZE;
  if (npages > MAX_PAGES) npages = MAX_PAGES;
  nfree = 0;
  for (uint64_t i = 0; i < npages; i++) {
    if (base + i * PAGE_SIZE < reserved_end) {
      set_used(i);
    } else {
      set_free(i);
      nfree++;
    }
  }
}

void page_reserve(uint64_t pa, uint64_t size) {
  for (uint64_t a = pa & ~(PAGE_SIZE - 1); a < pa + size; a += PAGE_SIZE) {
    if (a < base) continue;
    uint64_t i = (a - base) / PAGE_SIZE;
    if (i >= npages) break;
    if (!used(i)) {
      set_used(i);
      nfree--;
    }
  }
}

void *page_alloc(void) {
  for (uint64_t n = 0; n < npages; n++) {
    uint64_t i = (next_hint + n) % npages;
    if (!used(i)) {
      set_used(i);
      nfree--;
      next_hint = i + 1;
      void *p = (void *)(base + i * PAGE_SIZE);
      memset(p, 0, PAGE_SIZE);
      return p;
    }
  }
  return NULL;
}

void page_free(void *p) {
  uint64_t a = (uint64_t)p;
  if (a < base || (a - base) % PAGE_SIZE != 0 || (a - base) / PAGE_SIZE >= npages)
    panic("page_free: bad page %p", p);
  uint64_t i = (a - base) / PAGE_SIZE;
  if (!used(i)) panic("page_free: double free of %p", p);
  set_free(i);
  nfree++;
}

uint64_t page_total(void) { return npages; }
uint64_t page_free_count(void) { return nfree; }
