// EL0 program entry: x0 = argc, x1 = argv (set up by the kernel's loader).
    .section .text.start, "ax"
    .global _start
_start:
    ldr     x9, =__tls_base
    sub     x9, x9, #16
    msr     tpidr_el0, x9
    mov     x29, #0
    mov     x30, #0
    bl      __vdos_start
1:  b       1b
