// PL011 console: polled output, interrupt-driven input into a ring buffer.
#include "kernel/kernel.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_IBRD 0x24
#define UART_FBRD 0x28
#define UART_LCRH 0x2c
#define UART_CR 0x30
#define UART_IMSC 0x38
#define UART_ICR 0x44
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

static volatile uint32_t *uart;
static char rx_buf[1024];
static unsigned rx_head, rx_tail;  // head: next write, tail: next read; free-running

static inline uint32_t rd(unsigned off) { return uart[off / 4]; }
static inline void wr(unsigned off, uint32_t v) { uart[off / 4] = v; }

void uart_init(uint64_t base) {
  uart = (volatile uint32_t *)base;
  wr(UART_CR, 0);
  wr(UART_IBRD, 13);  // 115200 baud at 24 MHz; QEMU ignores it, real PL011s need it
  wr(UART_FBRD, 1);
  // 8N1 with FIFOs off: toggling FEN empties the receive FIFO (QEMU does too), which would
  // lose keys typed before boot; without the FIFO QEMU holds input back until each byte is read.
  wr(UART_LCRH, 3u << 5);
  wr(UART_IMSC, 0);
  // Clear everything but the receive status: a key typed before boot is already waiting in
  // the data register, and QEMU raises RX only when a byte arrives, so clearing it would leave
  // that byte (and all input after it) stuck.
  wr(UART_ICR, 0x7ff & ~(INT_RX | INT_RT));
  wr(UART_CR, (1u << 0) | (1u << 8) | (1u << 9));  // UARTEN, TXE, RXE
}

void uart_enable_irq(void) {
  wr(UART_IMSC, INT_RX | INT_RT);
  uart_irq();  // take what arrived before interrupts were on
}

void uart_putc(char c) {
  if (!uart) return;
  while (rd(UART_FR) & FR_TXFF) {
  }
  wr(UART_DR, (uint8_t)c);
}

void uart_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') uart_putc('\r');
    uart_putc(s[i]);
  }
}

void uart_irq(void) {
  // Clear first, then drain: a byte that lands after the drain raises the interrupt again.
  // (Clearing after the drain could erase the status of a byte QEMU delivered meanwhile, and
  // with the FIFO off QEMU sends nothing more until that byte is read: input would stall.)
  wr(UART_ICR, INT_RX | INT_RT);
  while (!(rd(UART_FR) & FR_RXFE)) {
    if (rx_head - rx_tail >= sizeof(rx_buf)) {
      // Full: leave the byte in the UART (QEMU holds back the rest); console_getc unmasks.
      wr(UART_IMSC, 0);
      return;
    }
    char c = (char)(rd(UART_DR) & 0xff);
    if (c == 3 && !proc_console_raw()) {
      proc_request_interrupt();
      continue;
    }
    rx_buf[rx_head++ % sizeof(rx_buf)] = c;
  }
}

int console_has_input(void) { return rx_head != rx_tail; }

int console_getc(void) {
  if (rx_head == rx_tail) return -1;
  char c = rx_buf[rx_tail++ % sizeof(rx_buf)];
  wr(UART_IMSC, INT_RX | INT_RT);
  return (unsigned char)c;
}
