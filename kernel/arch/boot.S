// ViperDOS entry, exception vectors and the few routines that must be assembly.
#include "kernel/arch/frame.h"

    .section .text.boot, "ax"
    .global _start
_start:
    mov     x19, x0                 // DTB pointer if the loader passed one
    msr     daifset, #0xf
    ldr     x1, =__stack_top
    mov     sp, x1
    // EL0 programs may use FP/SIMD; the kernel itself is built -mgeneral-regs-only and never
    // touches those registers, so enabling them for all ELs costs nothing and needs no trap.
    mov     x1, #(3 << 20)
    msr     cpacr_el1, x1
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:  adr     x1, exception_vectors
    msr     vbar_el1, x1
    isb
    mov     x29, #0                 // terminates backtraces
    mov     x30, #0
    mov     x0, x19
    bl      kmain
3:  wfi
    b       3b

// ---------------------------------------------------------------- exception vectors
    .macro VENTRY kind
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       exception_save
    .endm

    // Exceptions taken at EL1 on the kernel stack: if pushing a frame would run into the guard
    // page (a kernel stack overflow, or the fault the overflow just caused), continue on the
    // emergency stack so the panic can still be reported. TPIDR_EL1 is the scratch register.
    .macro VENTRY_EL1 kind
    .balign 0x80
    msr     tpidr_el1, x0
    adrp    x0, __stack_bottom
    add     x0, x0, :lo12:__stack_bottom
    add     x0, x0, #FRAME_SIZE
    cmp     sp, x0
    b.hs    1f
    adrp    x0, emergency_stack_top
    add     x0, x0, :lo12:emergency_stack_top
    mov     sp, x0
1:  mrs     x0, tpidr_el1
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       exception_save
    .endm

    .balign 2048
    .global exception_vectors
exception_vectors:
    .irp kind, 0, 1, 2, 3
    VENTRY \kind
    .endr
    .irp kind, 4, 5, 6, 7
    VENTRY_EL1 \kind
    .endr
    .irp kind, 8, 9, 10, 11, 12, 13, 14, 15
    VENTRY \kind
    .endr

exception_save:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, sp_el0
    stp     x30, x2, [sp, #240]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [sp, #256]
    mov     x1, x0
    mov     x0, sp
    bl      exception_dispatch
    .global exception_return
exception_return:
    ldp     x2, x3, [sp, #256]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    ldp     x30, x2, [sp, #240]
    msr     sp_el0, x2
    ldp     x28, x29, [sp, #224]
    ldp     x26, x27, [sp, #208]
    ldp     x24, x25, [sp, #192]
    ldp     x22, x23, [sp, #176]
    ldp     x20, x21, [sp, #160]
    ldp     x18, x19, [sp, #144]
    ldp     x16, x17, [sp, #128]
    ldp     x14, x15, [sp, #112]
    ldp     x12, x13, [sp, #96]
    ldp     x10, x11, [sp, #80]
    ldp     x8, x9, [sp, #64]
    ldp     x6, x7, [sp, #48]
    ldp     x4, x5, [sp, #32]
    ldp     x2, x3, [sp, #16]
    ldp     x0, x1, [sp, #0]
    add     sp, sp, #FRAME_SIZE
    eret

// enter_user(struct frame *f): copies *f onto the kernel stack top and returns to EL0 with it.
// Used once, for the first program; later switches rewrite the frame of the trapping call.
    .global enter_user
enter_user:
    ldr     x1, =__stack_top
    sub     sp, x1, #FRAME_SIZE
    mov     x2, #0
4:  ldr     x3, [x0, x2]
    str     x3, [sp, x2]
    add     x2, x2, #8
    cmp     x2, #FRAME_SIZE
    b.lo    4b
    b       exception_return

// FP/SIMD state of EL0 programs (q0-q31, FPCR, FPSR): 528 bytes.
    .arch_extension fp
    .arch_extension simd
    .global fpstate_save
fpstate_save:
    stp     q0, q1, [x0, #0]
    stp     q2, q3, [x0, #32]
    stp     q4, q5, [x0, #64]
    stp     q6, q7, [x0, #96]
    stp     q8, q9, [x0, #128]
    stp     q10, q11, [x0, #160]
    stp     q12, q13, [x0, #192]
    stp     q14, q15, [x0, #224]
    stp     q16, q17, [x0, #256]
    stp     q18, q19, [x0, #288]
    stp     q20, q21, [x0, #320]
    stp     q22, q23, [x0, #352]
    stp     q24, q25, [x0, #384]
    stp     q26, q27, [x0, #416]
    stp     q28, q29, [x0, #448]
    stp     q30, q31, [x0, #480]
    mrs     x1, fpcr
    mrs     x2, fpsr
    add     x3, x0, #512
    stp     x1, x2, [x3]
    ret

    .global fpstate_restore
fpstate_restore:
    ldp     q0, q1, [x0, #0]
    ldp     q2, q3, [x0, #32]
    ldp     q4, q5, [x0, #64]
    ldp     q6, q7, [x0, #96]
    ldp     q8, q9, [x0, #128]
    ldp     q10, q11, [x0, #160]
    ldp     q12, q13, [x0, #192]
    ldp     q14, q15, [x0, #224]
    ldp     q16, q17, [x0, #256]
    ldp     q18, q19, [x0, #288]
    ldp     q20, q21, [x0, #320]
    ldp     q22, q23, [x0, #352]
    ldp     q24, q25, [x0, #384]
    ldp     q26, q27, [x0, #416]
    ldp     q28, q29, [x0, #448]
    ldp     q30, q31, [x0, #480]
    add     x3, x0, #512
    ldp     x1, x2, [x3]
    msr     fpcr, x1
    msr     fpsr, x2
    ret

    .section .bss.emergency_stack, "aw", %nobits
    .balign 16
emergency_stack:
    .space  8192
emergency_stack_top:

    .text
    .global psci_system_off
psci_system_off:
    ldr     x0, =0x84000008
    hvc     #0
5:  wfi
    b       5b
