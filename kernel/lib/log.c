// Kernel console output: kprintf, leveled log lines, panic.
#include <stdarg.h>

#include "kernel/kernel.h"

static const char *const level_names[] = {"debug", "info", "warn", "error"};
static enum log_level min_level = LOG_INFO;

static void vprint(const char *fmt, va_list ap) {
  char buf[512];
  int n = kvsnprintf(buf, sizeof(buf), fmt, ap);
  if (n > (int)sizeof(buf) - 1) n = sizeof(buf) - 1;
  uart_write(buf, (size_t)n);
}

void kprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
}

void klog(enum log_level level, const char *fmt, ...) {
  if (level < min_level) return;
  uint64_t ms = time_ns() / 1000000;
  kprintf("[%5lu.%03lu] %s: ", (unsigned long)(ms / 1000), (unsigned long)(ms % 1000),
          level_names[level]);
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
  uart_write("\n", 1);
}

static void backtrace(uint64_t fp) {
  extern char __kernel_start[], __kernel_end[];
  kprintf("backtrace:\n");
  for (int i = 0; i < 16 && fp; i++) {
    // Frame records live on the kernel stack inside the image; stop at anything else.
    if (fp < (uint64_t)__kernel_start || fp + 16 > (uint64_t)__kernel_end || (fp & 15)) break;
    uint64_t lr = ((uint64_t *)fp)[1];
    if (!lr) break;
    kprintf("  #%d %p\n", i, (void *)lr);
    fp = ((uint64_t *)fp)[0];
  }
}

static void halt(void) __attribute__((noreturn));
static void halt(void) {
  if (cmdline_has("panic=poweroff")) {
    // For automated tests: end QEMU instead of waiting for a timeout.
    kprintf("System halted; powering off (panic=poweroff).\n");
    psci_system_off();
  }
  kprintf("System halted.\n");
  __asm__ volatile("msr daifset, #0xf");
  for (;;) __asm__ volatile("wfi");
}

void panic(const char *fmt, ...) {
  __asm__ volatile("msr daifset, #0xf");
  kprintf("\nKERNEL PANIC: ");
  va_list ap;
  va_start(ap, fmt);
  vprint(fmt, ap);
  va_end(ap);
  kprintf("\n");
  backtrace((uint64_t)__builtin_frame_address(0));
  halt();
}

void panic_frame(const struct frame *f, const char *what) {
  __asm__ volatile("msr daifset, #0xf");
  uint64_t esr, far;
  __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
  __asm__ volatile("mrs %0, far_el1" : "=r"(far));
  kprintf("\nKERNEL PANIC: %s at pc %p\n", what, (void *)f->elr);
  kprintf("  esr %016lx  far %016lx  spsr %016lx  sp_el0 %016lx\n", esr, far, f->spsr, f->sp_el0);
  for (int i = 0; i < 31; i += 2) {
    if (i == 30) {
      kprintf("  x30 %016lx\n", f->x[30]);
    } else {
      kprintf("  x%-2d %016lx  x%-2d %016lx\n", i, f->x[i], i + 1, f->x[i + 1]);
    }
  }
  kprintf("  #  %p (faulting pc)\n", (void *)f->elr);
  backtrace(f->x[29]);
  halt();
}
