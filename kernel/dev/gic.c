// GICv2 (QEMU virt's default) and GICv3 (-M virt,gic-version=3), found through the DTB.
#include "kernel/dtb/fdt.h"
#include "kernel/kernel.h"

static volatile uint8_t *gicd, *gicc;
static int version;

#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
// GICv3 redistributor: SGI/PPI frame is 64 KiB after RD_base.
static volatile uint8_t *gicr;
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000

static inline void w32(volatile uint8_t *b, unsigned off, uint32_t v) {
  *(volatile uint32_t *)(b + off) = v;
}
static inline uint32_t r32(volatile uint8_t *b, unsigned off) {
  return *(volatile uint32_t *)(b + off);
}

int gic_init(const void *blob) {
  struct fdt f;
  if (fdt_init(&f, blob, fdt_total_size(blob)) != 0) return -1;
  uint64_t a, s, c, cs;
  int n = fdt_node_by_compatible(&f, -1, "arm,cortex-a15-gic");
  if (n >= 0 && fdt_reg(&f, n, 0, 2, 2, &a, &s) == 0 && fdt_reg(&f, n, 1, 2, 2, &c, &cs) == 0) {
    version = 2;
    gicd = (volatile uint8_t *)a;
    gicc = (volatile uint8_t *)c;
    w32(gicd, GICD_CTLR, 1);
    w32(gicc, GICC_PMR, 0xff);
    w32(gicc, GICC_CTLR, 1);
    klog(LOG_INFO, "gic: v2 distributor %p cpu interface %p", (void *)a, (void *)c);
    return 0;
  }
  n = fdt_node_by_compatible(&f, -1, "arm,gic-v3");
  if (n >= 0 && fdt_reg(&f, n, 0, 2, 2, &a, &s) == 0 && fdt_reg(&f, n, 1, 2, 2, &c, &cs) == 0) {
    version = 3;
    gicd = (volatile uint8_t *)a;
    gicr = (volatile uint8_t *)c;
    w32(gicd, GICD_CTLR, (1u << 4) | (1u << 1));  // ARE_NS, EnableGrp1NS
    // Wake the redistributor of CPU 0 (bounded wait).
    w32(gicr, GICR_WAKER, r32(gicr, GICR_WAKER) & ~(1u << 1));
    for (int i = 0; i < 100000 && (r32(gicr, GICR_WAKER) & (1u << 2)); i++) {
    }
    w32(gicr, GICR_SGI + 0x80, 0xffffffffu);  // IGROUPR0: group 1
    uint64_t sre;
    __asm__ volatile("mrs %0, S3_0_C12_C12_5" : "=r"(sre));  // ICC_SRE_EL1
    __asm__ volatile("msr S3_0_C12_C12_5, %0; isb" ::"r"(sre | 1));
    __asm__ volatile("msr S3_0_C4_C6_0, %0" ::"r"(0xffull));      // ICC_PMR_EL1
    __asm__ volatile("msr S3_0_C12_C12_7, %0; isb" ::"r"(1ull));  // ICC_IGRPEN1_EL1
    klog(LOG_INFO, "gic: v3 distributor %p redistributor %p", (void *)a, (void *)c);
    return 0;
  }
  return -1;
}

void gic_enable(int intid) {
  if (intid < 0 || intid >= 1020) return;
  if (version == 3 && intid < 32) {
    *(volatile uint8_t *)(gicr + GICR_SGI + GICD_IPRIORITYR + intid) = 0xa0;
    w32(gicr, GICR_SGI + GICD_ISENABLER, 1u << intid);
    return;
  }
  *(volatile uint8_t *)(gicd + GICD_IPRIORITYR + intid) = 0xa0;
  if (version == 2 && intid >= 32) *(volatile uint8_t *)(gicd + GICD_ITARGETSR + intid) = 1;
  if (version == 3 && intid >= 32) {
    w32(gicd, 0x80 + (intid / 32) * 4, r32(gicd, 0x80 + (intid / 32) * 4) | (1u << (intid % 32)));
    *(volatile uint64_t *)(gicd + 0x6000 + intid * 8) = 0;  // IROUTER: CPU 0
  }
  w32(gicd, GICD_ISENABLER + (intid / 32) * 4, 1u << (intid % 32));
}

int gic_ack(void) {
  if (version == 3) {
    uint64_t v;
    __asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(v));  // ICC_IAR1_EL1
    return (int)(v & 0xffffff);
  }
  return (int)(r32(gicc, GICC_IAR) & 0x3ff);
}

void gic_eoi(int intid) {
  if (version == 3) {
    __asm__ volatile("msr S3_0_C12_C12_1, %0" ::"r"((uint64_t)intid));  // ICC_EOIR1_EL1
    return;
  }
  w32(gicc, GICC_EOIR, (uint32_t)intid);
}
