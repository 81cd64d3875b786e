// Register frame saved on every exception (layout shared with boot.S).
#ifndef KERNEL_ARCH_FRAME_H_
#define KERNEL_ARCH_FRAME_H_

#define FRAME_SIZE 288

#ifndef __ASSEMBLER__
#include <stdint.h>

struct frame {
  uint64_t x[31];
  uint64_t sp_el0;
  uint64_t elr;
  uint64_t spsr;
  uint64_t pad[2];
};

_Static_assert(sizeof(struct frame) == FRAME_SIZE, "frame layout");

struct fpstate {
  uint64_t q[64];
  uint64_t fpcr, fpsr;
} __attribute__((aligned(16)));

void enter_user(const struct frame *f) __attribute__((noreturn));
void fpstate_save(struct fpstate *s);
void fpstate_restore(const struct fpstate *s);
void psci_system_off(void) __attribute__((noreturn));
#endif

#endif  // KERNEL_ARCH_FRAME_H_
