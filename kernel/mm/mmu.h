// Page-table layout (4 KiB granule, 39-bit VA, TTBR0 only).
//
// L1 entry 0 (0-1 GiB): devices, 1 GiB block, Device-nGnRnE, EL1-only, never executable.
// L1 entry 1 (1-2 GiB): RAM through a shared L2 table; the kernel image uses 4 KiB pages so
//   text is RX, rodata R, data/bss RW+XN (W^X), with an unmapped guard page below the stack.
// L1 entry 4 (4-5 GiB): the current program, private L2/L3 tables per address space.
// Every address space's L1 copies the kernel entries, so switching programs = new TTBR0.
#ifndef KERNEL_MM_MMU_H_
#define KERNEL_MM_MMU_H_

#include <stdint.h>

#define USER_BASE 0x100000000ull
#define USER_LIMIT 0x140000000ull
#define USER_STACK_TOP 0x13fff0000ull
#define USER_STACK_SIZE (256ull << 10)

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1)  // for L1/L2: next-level table; for L3: page
#define PTE_PAGE (1ull << 1)
#define PTE_ATTR_DEVICE (0ull << 2)
#define PTE_ATTR_NORMAL (1ull << 2)
#define PTE_AP_EL0 (1ull << 6)  // EL0 may access
#define PTE_AP_RO (1ull << 7)   // read-only
#define PTE_SH_INNER (3ull << 8)
#define PTE_AF (1ull << 10)
#define PTE_PXN (1ull << 53)
#define PTE_UXN (1ull << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000ull

struct aspace {
  uint64_t *l1;
  uint64_t *l2;  // user GiB
};

int aspace_create(struct aspace *as);
void aspace_destroy(struct aspace *as);
// Maps a fresh zeroed page at `va` with the given permission bits; returns its kernel pointer.
void *aspace_map_page(struct aspace *as, uint64_t va, uint64_t prot);
// L3 entry for `va`, or 0.
uint64_t aspace_lookup(const struct aspace *as, uint64_t va);
// 1 when [va, va+len) is mapped for EL0 (writable too if `write`), else 0.
int aspace_user_ok(const struct aspace *as, uint64_t va, uint64_t len, int write);

#define PROT_USER_RW (PTE_AP_EL0 | PTE_UXN)
#define PROT_USER_RO (PTE_AP_EL0 | PTE_AP_RO | PTE_UXN)
#define PROT_USER_RX (PTE_AP_EL0 | PTE_AP_RO)

#endif  // KERNEL_MM_MMU_H_
