// Exception dispatch: syscalls, EL0 faults (end the program), EL1 faults (panic), interrupts.
#include "kernel/dev/netdev.h"
#include "kernel/kernel.h"

void exception_dispatch(struct frame *f, uint64_t kind);

static void irq_handle(void) {
  for (int guard = 0; guard < 64; guard++) {
    int intid = gic_ack();
    if (intid >= 1020) return;  // spurious: nothing pending
    if (intid == timer_intid()) {
      timer_irq();
    } else if (intid == uart_irq_line()) {
      uart_irq();
    } else {
      virtio_irq(intid);
    }
    gic_eoi(intid);
  }
}

static const char *fault_name(uint32_t ec) {
  switch (ec) {
    case 0x20:
    case 0x21:
      return "instruction abort";
    case 0x24:
    case 0x25:
      return "data abort";
    case 0x22:
      return "PC alignment fault";
    case 0x26:
      return "SP alignment fault";
    case 0x3c:
      return "breakpoint";
    case 0x0e:
      return "illegal execution state";
    default:
      return "undefined instruction";
  }
}

void exception_dispatch(struct frame *f, uint64_t kind) {
  uint64_t esr, far;
  __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
  __asm__ volatile("mrs %0, far_el1" : "=r"(far));
  uint32_t ec = (uint32_t)(esr >> 26) & 0x3f;
  switch (kind) {
    case 5:  // IRQ while in the kernel (only where it unmasked them: idle/wait loops)
      irq_handle();
      return;
    case 8:  // synchronous from EL0
      // A new entry: frames a previous send() left unannounced go out at this entry's poll.
      netdev_tx_release();
      if (ec == 0x15) {
        syscall_dispatch(f);
        // Most calls (socket(), a send() that only queues, getpid) leave nothing due, and a
        // poll for nothing is a third of a system call under TCG. Interrupts that arrived during
        // the call are taken right after the return to EL0 and poll there.
        if (kernel_poll_due()) kernel_poll();
      } else {
        proc_user_fault(f, fault_name(ec), far);
        kernel_poll();
      }
      proc_before_user_return(f);
      return;
    case 9:  // IRQ from EL0
      netdev_tx_release();
      irq_handle();
      kernel_poll();
      proc_before_user_return(f);
      return;
    case 4: {
      extern char __stack_guard[], __stack_bottom[];
      if (far >= (uint64_t)__stack_guard && far < (uint64_t)__stack_bottom)
        panic_frame(f, "kernel stack overflow (guard page hit)");
      panic_frame(f, fault_name(ec));
    }
    default:
      panic_frame(f, "unexpected exception");
  }
}

void irq_wait(void) {
  // Called with IRQs masked: WFI wakes on a pending interrupt even when masked, then the short
  // unmasked window lets it be taken. No wakeup can be lost between the caller's check and WFI.
  // Frames queued without a doorbell must not wait for whatever wakes us.
  netdev_tx_flush();
  __asm__ volatile("wfi\n msr daifclr, #2\n isb\n msr daifset, #2" ::: "memory");
  kernel_poll();
}

#define MAX_POLL_HOOKS 4
static struct {
  void (*fn)(void);
  int (*due)(void);
} poll_hooks[MAX_POLL_HOOKS];

int kernel_poll_register(void (*fn)(void), int (*due)(void)) {
  for (int i = 0; i < MAX_POLL_HOOKS; i++) {
    if (!poll_hooks[i].fn) {
      poll_hooks[i].fn = fn;
      poll_hooks[i].due = due;
      return 0;
    }
  }
  return -16;  // -EBUSY
}

int kernel_poll_due(void) {
  if (timer_poll_due() || virtio_poll_due() || netdev_tx_poll_due()) return 1;
  for (int i = 0; i < MAX_POLL_HOOKS; i++) {
    if (poll_hooks[i].fn && (!poll_hooks[i].due || poll_hooks[i].due())) return 1;
  }
  return 0;
}

void kernel_poll(void) {
  // Work the interrupts marked, outside interrupt context: timers, the NIC, then registered
  // subsystems (the network stack). Not re-entrant: a hook that blocks must not poll again.
  static int depth;
  if (depth) return;
  depth++;
  timer_poll();
  virtio_poll();
  for (int i = 0; i < MAX_POLL_HOOKS; i++) {
    if (poll_hooks[i].fn) poll_hooks[i].fn();
  }
  netdev_tx_poll();  // after the hooks: the frames they queued (ACKs, timers) go out too
  depth--;
}
