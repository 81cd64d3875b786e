// Bare-metal test harness entry for QEMU `virt` at EL1.
// Order matters: stack first, then FP/SIMD (picolibc's prebuilt routines use it), then .bss/.tbss
// zeroing, TLS pointer for picolibc's errno, an identity-mapped MMU (with the MMU off every data
// access is Device memory, where picolibc's unaligned loads would fault), and finally C.

#define PSCI_SYSTEM_OFF 0x84000008

    .section .text.boot, "ax"
    .global _start
_start:
    ldr     x1, =__stack_top
    mov     sp, x1

    // CPACR_EL1.FPEN = 0b11: no trap for FP/SIMD at EL1/EL0.
    mov     x1, #(3 << 20)
    msr     cpacr_el1, x1
    isb

    // Zero .tbss through .bss (one contiguous range in the linker script).
    ldr     x1, =__tbss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:
    ldr     x1, =__tls_base
    sub     x1, x1, #16
    msr     tpidr_el0, x1

    adr     x1, baremetal_vectors
    msr     vbar_el1, x1

    // One level-1 table, 4 KiB granule, 39-bit VA: 1 GiB blocks.
    // Entry 0 (0-1 GiB: UART, GIC, virtio) = Device-nGnRnE, never executable.
    // Entries 1-3 (1-4 GiB: RAM) = Normal write-back, inner shareable.
    ldr     x1, =__page_tables
    ldr     x2, =((1 << 54) | (1 << 53) | (1 << 10) | (0 << 2) | 1)
    str     x2, [x1]
    ldr     x2, =((1 << 10) | (3 << 8) | (1 << 2) | 1)
    mov     x3, #1
3:  lsl     x4, x3, #30
    orr     x4, x4, x2
    str     x4, [x1, x3, lsl #3]
    add     x3, x3, #1
    cmp     x3, #4
    b.lo    3b
    mov     x3, #4
4:  str     xzr, [x1, x3, lsl #3]
    add     x3, x3, #1
    cmp     x3, #512
    b.lo    4b
    dsb     sy

    // MAIR: attr0 = Device-nGnRnE (0x00), attr1 = Normal WB RW-allocate (0xff).
    mov     x2, #0xff00
    msr     mair_el1, x2
    // TCR: T0SZ=25, IRGN0=ORGN0=WB-WA, SH0=inner, TG0=4K, EPD1=1 (no TTBR1 walks), IPS=40 bits.
    ldr     x2, =((25) | (1 << 8) | (1 << 10) | (3 << 12) | (1 << 23) | (2 << 32))
    msr     tcr_el1, x2
    msr     ttbr0_el1, x1
    isb
    tlbi    vmalle1
    dsb     sy
    isb
    // SCTLR: M (MMU), C (data cache), I (instruction cache); A (alignment check) off.
    mrs     x2, sctlr_el1
    orr     x2, x2, #1
    orr     x2, x2, #(1 << 2)
    orr     x2, x2, #(1 << 12)
    bic     x2, x2, #(1 << 1)
    msr     sctlr_el1, x2
    isb

    bl      baremetal_start
    // baremetal_start does not return; if it did, power off anyway.
    b       baremetal_poweroff

    .global baremetal_poweroff
baremetal_poweroff:
    ldr     x0, =PSCI_SYSTEM_OFF
    hvc     #0
5:  wfi
    b       5b

// Every exception is fatal in the harness: report and power off (the runner then fails the test
// because `BAREMETAL EXIT 0` never appeared).
    .macro vector_entry kind
    .balign 0x80
    mov     x0, #\kind
    mrs     x1, esr_el1
    mrs     x2, elr_el1
    mrs     x3, far_el1
    b       baremetal_exception
    .endm

    .balign 2048
baremetal_vectors:
    .irp kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
    vector_entry \kind
    .endr
