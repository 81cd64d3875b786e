// Generic timer: monotonic clock from CNTVCT_EL0 and a 100 Hz virtual-timer tick that runs a
// bounded one-shot timer queue (for the network stack's timers later).
#include "kernel/abi/clock.h"
#include "kernel/dev/timerq.h"
#include "kernel/dtb/fdt.h"
#include "kernel/kernel.h"

#define TICK_HZ 100
static struct timerq queue;
static volatile int tick_pending;
static volatile uint64_t ticks;
static uint64_t freq;
static uint64_t ns_mult;  // vdos_clock_mult(freq)
static int intid = 27;    // virtual timer PPI 11 unless the DTB says otherwise

uint64_t time_ns(void) {
  // Callable before timer_init (early log lines): the factor is set up on first use.
  if (!ns_mult) ns_mult = vdos_clock_mult(vdos_clock_freq());
  return vdos_clock_ns(vdos_clock_count(), ns_mult);
}

int timer_intid(void) { return intid; }

static void arm_tick(void) {
  __asm__ volatile("msr cntv_tval_el0, %0" ::"r"(freq / TICK_HZ));
  __asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(1ull));
}

void timer_init(const void *blob) {
  freq = vdos_clock_freq();
  // EL0 may read the virtual counter (EL0VCTEN, bit 1) and nothing else of the timer: programs
  // read the clock without a system call (kernel/abi/clock.h).
  __asm__ volatile("msr cntkctl_el1, %0; isb" ::"r"(2ull));
  struct fdt f;
  if (fdt_init(&f, blob, fdt_total_size(blob)) == 0) {
    int n = fdt_node_by_compatible(&f, -1, "arm,armv8-timer");
    size_t len;
    const uint8_t *irqs = n >= 0 ? fdt_getprop(&f, n, "interrupts", &len) : NULL;
    // Third triple = virtual timer: <type number flags>; PPIs start at INTID 16.
    if (irqs && len >= 36) intid = 16 + (int)fdt_be32(irqs + 28);
  }
  gic_enable(intid);
  arm_tick();
  klog(LOG_INFO, "timer: %lu Hz counter, tick %d Hz on INTID %d", (unsigned long)freq, TICK_HZ,
       intid);
}

void timer_irq(void) {
  // Interrupt context: re-arm the tick and mark work; callbacks run from timer_poll().
  ticks++;
  arm_tick();
  tick_pending = 1;
}

void timer_poll(void) {
  if (!tick_pending) return;
  tick_pending = 0;
  timerq_run(&queue, time_ns());
}

int timer_poll_due(void) { return tick_pending; }

int timer_add(uint64_t deadline_ns, void (*fn)(void *), void *arg) {
  int h = timerq_add(&queue, deadline_ns, fn, arg);
  return h < 0 ? -16 : h;  // -EBUSY
}

void timer_cancel(int handle) { timerq_cancel(&queue, handle); }
