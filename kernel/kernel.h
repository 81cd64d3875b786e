// Kernel-internal interfaces shared between subsystems.
#ifndef KERNEL_KERNEL_H_
#define KERNEL_KERNEL_H_

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/frame.h"
#include "kernel/lib/klib.h"

#define VIPERDOS_VERSION "ViperDOS 0.3 (aarch64, QEMU virt)"

#define PAGE_SIZE 4096ul
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))

// ---- console and log (dev/uart.c, lib/log.c)
void uart_init(uint64_t base);
void uart_putc(char c);
void uart_write(const char *s, size_t n);
int uart_irq_line(void);
void uart_irq(void);
void uart_enable_irq(void);
// Bytes typed ahead: returns -1 when none is buffered.
int console_getc(void);
int console_has_input(void);

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };
void klog(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_frame(const struct frame *f, const char *what) __attribute__((noreturn));

// ---- interrupts and time (dev/gic.c, dev/timer.c)
int gic_init(const void *fdt_blob);
void gic_enable(int intid);
int gic_ack(void);
void gic_eoi(int intid);
void timer_init(const void *fdt_blob);
int timer_intid(void);
void timer_irq(void);
uint64_t time_ns(void);
// One-shot callbacks; they run from timer_poll() (idle wait, before returning to EL0), never in
// interrupt context. Returns a handle >= 0, or -EBUSY when the bounded queue is full.
int timer_add(uint64_t deadline_ns, void (*fn)(void *), void *arg);
void timer_cancel(int handle);
void timer_poll(void);
int timer_poll_due(void);  // a tick marked work for timer_poll()
void irq_wait(void);       // sleeps until the next interrupt (with interrupts masked before/after)
// Deferred work: timers, NIC, then registered hooks. Runs in the idle wait of blocking syscalls
// and before every return to EL0 — after a system call only when kernel_poll_due() says so —;
// never from an interrupt handler.
void kernel_poll(void);
// Whether a kernel_poll() now would have anything to do: interrupts marked work, frames wait for
// their doorbell, or a hook's due() says so (a hook without one is always due).
int kernel_poll_due(void);
int kernel_poll_register(void (*fn)(void), int (*due)(void));

// ---- memory (mm/)
void page_init(uint64_t ram_base, uint64_t ram_size, uint64_t reserved_end);
void page_reserve(uint64_t pa, uint64_t size);
void *page_alloc(void);  // one zeroed 4 KiB page or NULL
void page_free(void *p);
uint64_t page_total(void);
uint64_t page_free_count(void);
void mmu_init(uint64_t ram_base, uint64_t ram_size);
uint64_t *mmu_kernel_l1(void);
void mmu_switch(uint64_t *l1);
void *kmalloc(size_t n);
void kfree(void *p);
size_t kmalloc_size(void *p);
void kheap_setup(void);
struct vdos_meminfo;
void kmeminfo(struct vdos_meminfo *out);

// ---- processes (proc/)
void proc_start_init(void) __attribute__((noreturn));
void syscall_dispatch(struct frame *f);
void proc_user_fault(struct frame *f, const char *what, uint64_t far);
void proc_before_user_return(struct frame *f);
void proc_request_interrupt(void);  // Ctrl-C on the console
int proc_console_raw(void);

// ---- files (fs/)
void ramfs_init(void);
int ramfs_load_cpio(const void *data, size_t size, const char *origin);

// ---- entropy (dev/random.c)
void random_init(const void *fdt_blob);
int random_bytes(void *buf, size_t len);   // from the DRBG once it runs
int entropy_bytes(void *buf, size_t len);  // raw sources: RNDR, virtio-rng, DTB seed
void drbg_init(void);
uint64_t rtc_seconds(void);

// ---- devices
void virtio_probe(const void *fdt_blob);
void virtio_irq(int intid);
void virtio_poll(void);
int virtio_poll_due(void);  // an interrupt marked work for virtio_poll()
int virtio_rng_read(void *buf, size_t len);

// ---- boot information
extern const char *kernel_cmdline;
int cmdline_has(const char *word);

#endif  // KERNEL_KERNEL_H_
