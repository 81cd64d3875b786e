// Bare-metal test harness: PL011 console as picolibc's stdio, main(), exit report, PSCI poweroff.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void);
void baremetal_poweroff(void) __attribute__((noreturn));
void baremetal_start(void) __attribute__((noreturn));
void baremetal_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
    __attribute__((noreturn));
void _exit(int code) __attribute__((noreturn));

// PL011 on QEMU virt. QEMU's model needs no baud/line setup to transmit or receive.
#define UART_BASE 0x09000000UL
#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)

static inline volatile uint32_t *uart_reg(uintptr_t off) {
  return (volatile uint32_t *)(UART_BASE + off);
}

static void uart_raw_putc(char c) {
  while (*uart_reg(UART_FR) & UART_FR_TXFF) {
  }
  *uart_reg(UART_DR) = (uint8_t)c;
}

static int uart_putc(char c, FILE *f) {
  (void)f;
  if (c == '\n') uart_raw_putc('\r');
  uart_raw_putc(c);
  return (unsigned char)c;
}

static int uart_getc(FILE *f) {
  (void)f;
  while (*uart_reg(UART_FR) & UART_FR_RXFE) {
  }
  return (int)(*uart_reg(UART_DR) & 0xff);
}

static FILE uart_stream = FDEV_SETUP_STREAM(uart_putc, uart_getc, NULL, _FDEV_SETUP_RW);
FILE *const stdin = &uart_stream;
FILE *const stdout = &uart_stream;
FILE *const stderr = &uart_stream;

// Written without stdio so that it works even when stdio state is what went wrong.
static void raw_puts(const char *s) {
  for (; *s; s++) uart_putc(*s, NULL);
}

static void raw_put_hex(uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  raw_puts("0x");
  for (int shift = 60; shift >= 0; shift -= 4) uart_raw_putc(digits[(v >> shift) & 0xf]);
}

static void raw_put_int(int v) {
  char buf[12];
  int n = 0;
  unsigned int u = v < 0 ? 0u - (unsigned int)v : (unsigned int)v;
  do {
    buf[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0 && n < (int)sizeof(buf));
  if (v < 0) uart_raw_putc('-');
  while (n > 0) uart_raw_putc(buf[--n]);
}

void _exit(int code) {
  raw_puts("BAREMETAL EXIT ");
  raw_put_int(code);
  raw_puts("\n");
  baremetal_poweroff();
}

void baremetal_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far) {
  raw_puts("\nBAREMETAL EXCEPTION vector=");
  raw_put_int((int)kind);
  raw_puts(" esr=");
  raw_put_hex(esr);
  raw_puts(" elr=");
  raw_put_hex(elr);
  raw_puts(" far=");
  raw_put_hex(far);
  raw_puts("\n");
  baremetal_poweroff();
}

typedef void (*init_fn)(void);
extern init_fn __preinit_array_start[], __preinit_array_end[];
extern init_fn __init_array_start[], __init_array_end[];

void baremetal_start(void) {
  for (init_fn *f = __preinit_array_start; f < __preinit_array_end; f++) (*f)();
  for (init_fn *f = __init_array_start; f < __init_array_end; f++) (*f)();
  exit(main());
}
