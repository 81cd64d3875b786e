// ViperDOS kernel entry: bring up console, memory, MMU, interrupts, files, then /bin/vinit.
#include "kernel/dtb/fdt.h"
#include "kernel/fs/ramfs.h"
#include "kernel/kernel.h"
#include "kernel/net/knet.h"

#define DEFAULT_DTB 0x40000000ull
// The runner places extra files (cpio) here with QEMU's generic loader, behind a header:
// "VDOSINRD" + little-endian u64 size. QEMU ignores -initrd for ELF kernels.
#define INITRD_ADDR 0x58000000ull
#define INITRD_MAX (64ull << 20)

const char *kernel_cmdline = "";
const void *boot_dtb;
static int uart_intid = 33;

int uart_irq_line(void) { return uart_intid; }

extern const uint8_t _binary_initrd_start[], _binary_initrd_end[];

void kmain(uint64_t dtb_arg);

// For the stack-overflow test: each level keeps a frame alive (no tail call).
static int recurse_forever(volatile int *depth) {
  volatile char pad[256];
  pad[0] = (char)++*depth;
  return recurse_forever(depth) + pad[0];
}

// 1 when the kernel command line contains `word` as a whole word.
int cmdline_has(const char *word) {
  size_t n = strlen(word);
  for (const char *p = kernel_cmdline; *p;) {
    while (*p == ' ') p++;
    const char *start = p;
    while (*p && *p != ' ') p++;
    if ((size_t)(p - start) == n && strncmp(start, word, n) == 0) return 1;
  }
  return 0;
}

void kmain(uint64_t dtb_arg) {
  const void *dtb = (const void *)(dtb_arg ? dtb_arg : DEFAULT_DTB);
  if (fdt_total_size(dtb) == 0) dtb = (const void *)DEFAULT_DTB;
  boot_dtb = dtb;
  struct fdt f;
  int fdt_ok = fdt_init(&f, dtb, fdt_total_size(dtb)) == 0;
  uint64_t uart_base = 0x09000000, ram_base = 0x40000000, ram_size = 128ull << 20, sz;
  if (fdt_ok) {
    int n = fdt_node_by_compatible(&f, -1, "arm,pl011");
    if (n >= 0) fdt_reg(&f, n, 0, 2, 2, &uart_base, &sz);
    size_t len;
    const uint8_t *irq = n >= 0 ? fdt_getprop(&f, n, "interrupts", &len) : NULL;
    if (irq && len >= 12) uart_intid = 32 + (int)fdt_be32(irq + 4);
    int mem = fdt_node_by_name(&f, -1, "memory");
    if (mem >= 0) fdt_reg(&f, mem, 0, 2, 2, &ram_base, &ram_size);
    int chosen = fdt_path_offset(&f, "/chosen");
    const char *args = chosen >= 0 ? fdt_getprop(&f, chosen, "bootargs", &len) : NULL;
    if (args && len > 0 && args[len - 1] == 0) kernel_cmdline = args;
  }
  uart_init(uart_base);
  kprintf("\n%s\n", VIPERDOS_VERSION);
  if (!fdt_ok) panic("no valid device tree at %p", dtb);
  kprintf("RAM %lu MiB at %p, DTB at %p, command line \"%s\"\n", (unsigned long)(ram_size >> 20),
          (void *)ram_base, dtb, kernel_cmdline);

  extern char __kernel_end[];
  page_init(ram_base, ram_size, (uint64_t)__kernel_end);
  page_reserve((uint64_t)dtb, fdt_total_size(dtb));
  const uint8_t *initrd = (const uint8_t *)INITRD_ADDR;
  uint64_t initrd_size = 0;
  if (INITRD_ADDR + 16 < ram_base + ram_size && memcmp(initrd, "VDOSINRD", 8) == 0) {
    memcpy(&initrd_size, initrd + 8, 8);
    if (initrd_size > INITRD_MAX || INITRD_ADDR + 16 + initrd_size > ram_base + ram_size)
      initrd_size = 0;
    page_reserve(INITRD_ADDR, initrd_size + 16);
  }
  kheap_setup();
  mmu_init(ram_base, ram_size);
  klog(LOG_INFO, "mmu: on (W^X kernel, guard page below the kernel stack)");
  if (gic_init(dtb) != 0) panic("no supported GIC in the device tree");
  timer_init(dtb);
  gic_enable(uart_intid);
  uart_enable_irq();
  random_init(dtb);
  ramfs_init();
  ramfs_load_cpio(_binary_initrd_start, (size_t)(_binary_initrd_end - _binary_initrd_start),
                  "kernel image");
  if (initrd_size) ramfs_load_cpio(initrd + 16, initrd_size, "boot loader");
  virtio_probe(dtb);
  drbg_init();
  knet_init();
  klog(LOG_INFO, "boot took %lu ms", (unsigned long)(time_ns() / 1000000));
  if (cmdline_has("panic_test")) {
    // Deliberate EL1 fault, for the test of the panic report.
    klog(LOG_WARN, "panic_test: reading an unmapped kernel address");
    volatile uint64_t *bad = (volatile uint64_t *)0x200000000ull;
    (void)*bad;
  }
  if (cmdline_has("panic_test_stack")) {
    klog(LOG_WARN, "panic_test: unbounded recursion on the kernel stack");
    volatile int depth = 0;
    recurse_forever(&depth);
  }
  if (cmdline_has("panic_test_text_write")) {
    klog(LOG_WARN, "panic_test: writing to kernel text");
    *(volatile uint32_t *)(uintptr_t)kmain = 0;
  }
  proc_start_init();
}
