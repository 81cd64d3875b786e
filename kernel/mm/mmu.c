#include "kernel/mm/mmu.h"

#include "kernel/kernel.h"

static uint64_t kernel_l1[512] __attribute__((aligned(4096)));
static uint64_t ram_l2[512] __attribute__((aligned(4096)));
#define KERNEL_L3_TABLES 8  // the image (with embedded programs) must fit in 16 MiB
static uint64_t kernel_l3[KERNEL_L3_TABLES][512] __attribute__((aligned(4096)));

extern char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[], __stack_guard[],
    __stack_bottom[];

#define KERN_RW (PTE_VALID | PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_AF | PTE_UXN | PTE_PXN)

uint64_t *mmu_kernel_l1(void) { return kernel_l1; }

void mmu_init(uint64_t ram_base, uint64_t ram_size) {
  if (ram_base != 0x40000000ull || ram_size > (1ull << 30)) ram_size = 1ull << 30;
  kernel_l1[0] = 0 | PTE_VALID | PTE_ATTR_DEVICE | PTE_AF | PTE_UXN | PTE_PXN;
  kernel_l1[1] = (uint64_t)ram_l2 | PTE_VALID | PTE_TABLE;
  uint64_t kstart = (uint64_t)__kernel_start & ~((2ull << 20) - 1);
  uint64_t kend = ALIGN_UP((uint64_t)__kernel_end, 2ull << 20);
  if ((kend - kstart) / (2ull << 20) > KERNEL_L3_TABLES) panic("kernel image too large");
  for (uint64_t i = 0; i < ram_size / (2ull << 20); i++) {
    uint64_t pa = ram_base + i * (2ull << 20);
    if (pa >= kstart && pa < kend) {
      uint64_t *l3 = kernel_l3[(pa - kstart) / (2ull << 20)];
      for (int j = 0; j < 512; j++) {
        uint64_t a = pa + (uint64_t)j * PAGE_SIZE;
        uint64_t e = a | KERN_RW | PTE_PAGE;
        if (a >= (uint64_t)__kernel_start && a < (uint64_t)__text_end) {
          e = (e & ~PTE_PXN) | PTE_AP_RO;  // text: read + execute
        } else if (a >= (uint64_t)__text_end && a < (uint64_t)__rodata_end) {
          e |= PTE_AP_RO;
        } else if (a >= (uint64_t)__stack_guard && a < (uint64_t)__stack_bottom) {
          e = 0;  // guard page: a kernel stack overflow faults instead of corrupting memory
        }
        l3[j] = e;
      }
      ram_l2[i] = (uint64_t)l3 | PTE_VALID | PTE_TABLE;
    } else {
      ram_l2[i] = pa | KERN_RW;  // 2 MiB block
    }
  }
  __asm__ volatile("dsb ish");
  // MAIR: attr0 Device-nGnRnE, attr1 Normal write-back read/write-allocate.
  __asm__ volatile("msr mair_el1, %0" ::"r"(0xff00ull));
  uint64_t tcr = 25 | (1ull << 8) | (1ull << 10) | (3ull << 12) | (1ull << 23) | (2ull << 32);
  __asm__ volatile("msr tcr_el1, %0" ::"r"(tcr));
  __asm__ volatile("msr ttbr0_el1, %0; isb; tlbi vmalle1; dsb ish; isb" ::"r"(kernel_l1));
  uint64_t sctlr;
  __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
  sctlr |= (1ull << 0) | (1ull << 2) | (1ull << 12) | (1ull << 19);  // M, C, I, WXN
  sctlr &= ~(1ull << 1);                                             // no alignment checks
  sctlr |= (1ull << 3) | (1ull << 4);  // SP alignment checks at EL1 and EL0
  __asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr));
  klib_unaligned_ok = 1;
}

void mmu_switch(uint64_t *l1) {
  __asm__ volatile("dsb ish; msr ttbr0_el1, %0; isb; tlbi vmalle1; dsb ish; isb" ::"r"(l1)
                   : "memory");
}

int aspace_create(struct aspace *as) {
  as->l1 = page_alloc();
  as->l2 = page_alloc();
  if (!as->l1 || !as->l2) {
    if (as->l1) page_free(as->l1);
    if (as->l2) page_free(as->l2);
    as->l1 = as->l2 = NULL;
    return -12;
  }
  memcpy(as->l1, kernel_l1, PAGE_SIZE);
  as->l1[USER_BASE >> 30] = (uint64_t)as->l2 | PTE_VALID | PTE_TABLE;
  return 0;
}

void aspace_destroy(struct aspace *as) {
  if (!as->l2) return;
  for (int i = 0; i < 512; i++) {
    if (!(as->l2[i] & PTE_VALID)) continue;
    uint64_t *l3 = (uint64_t *)(as->l2[i] & PTE_ADDR_MASK);
    for (int j = 0; j < 512; j++) {
      if (l3[j] & PTE_VALID) page_free((void *)(l3[j] & PTE_ADDR_MASK));
    }
    page_free(l3);
  }
  page_free(as->l2);
  page_free(as->l1);
  as->l1 = as->l2 = NULL;
}

static uint64_t *l3_for(const struct aspace *as, uint64_t va, int create) {
  if (va < USER_BASE || va >= USER_LIMIT) return NULL;
  unsigned i2 = (unsigned)((va >> 21) & 511);
  if (!(as->l2[i2] & PTE_VALID)) {
    if (!create) return NULL;
    uint64_t *l3 = page_alloc();
    if (!l3) return NULL;
    as->l2[i2] = (uint64_t)l3 | PTE_VALID | PTE_TABLE;
  }
  return (uint64_t *)(as->l2[i2] & PTE_ADDR_MASK);
}

void *aspace_map_page(struct aspace *as, uint64_t va, uint64_t prot) {
  uint64_t *l3 = l3_for(as, va, 1);
  if (!l3) return NULL;
  unsigned i3 = (unsigned)((va >> 12) & 511);
  if (l3[i3] & PTE_VALID) {
    // Already mapped (segments sharing a page): keep the page, widen permissions only.
    uint64_t e = l3[i3];
    if (!(prot & PTE_AP_RO)) e &= ~PTE_AP_RO;
    if (!(prot & PTE_UXN)) e &= ~PTE_UXN;
    l3[i3] = e;
    return (void *)(e & PTE_ADDR_MASK);
  }
  void *page = page_alloc();
  if (!page) return NULL;
  l3[i3] = (uint64_t)page | PTE_VALID | PTE_PAGE | PTE_ATTR_NORMAL | PTE_SH_INNER | PTE_AF |
           PTE_PXN | prot;
  return page;
}

uint64_t aspace_lookup(const struct aspace *as, uint64_t va) {
  uint64_t *l3 = l3_for(as, va, 0);
  return l3 ? l3[(va >> 12) & 511] : 0;
}

int aspace_user_ok(const struct aspace *as, uint64_t va, uint64_t len, int write) {
  if (len == 0) return 1;
  if (va < USER_BASE || va >= USER_LIMIT || len > USER_LIMIT - va) return 0;
  for (uint64_t p = va & ~(PAGE_SIZE - 1); p < va + len; p += PAGE_SIZE) {
    uint64_t e = aspace_lookup(as, p);
    if (!(e & PTE_VALID) || !(e & PTE_AP_EL0)) return 0;
    if (write && (e & PTE_AP_RO)) return 0;
  }
  return 1;
}
