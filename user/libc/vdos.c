// ViperDOS glue for picolibc: syscalls, stdio streams, sbrk for malloc, process start/exit.
#include "user/libc/vdos.h"

#include <stdio.h>
#include <stdlib.h>

#include "user/libc/netconv.h"

long vdos_syscall(long nr, long a, long b, long c, long d, long e) {
  register long x8 __asm__("x8") = nr;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x3 __asm__("x3") = d;
  register long x4 __asm__("x4") = e;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4) : "memory");
  return x0;
}

// stdout/stderr: line-buffered so one line is one write syscall.
static char out_buf[256];
static size_t out_len;

static int flush_out(FILE *f) {
  (void)f;
  size_t off = 0;
  while (off < out_len) {
    long n = vdos_write(1, out_buf + off, out_len - off);
    if (n <= 0) break;
    off += (size_t)n;
  }
  out_len = 0;
  return 0;
}

static int put_out(char c, FILE *f) {
  out_buf[out_len++] = c;
  if (c == '\n' || out_len == sizeof(out_buf)) flush_out(f);
  return (unsigned char)c;
}

static int get_in(FILE *f) {
  (void)f;
  flush_out(f);
  char c;
  long n = vdos_read(0, &c, 1);
  return n == 1 ? (unsigned char)c : EOF;
}

static FILE console = FDEV_SETUP_STREAM(put_out, get_in, flush_out, _FDEV_SETUP_RW);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;

void *sbrk(ptrdiff_t incr) {
  static uintptr_t cur;
  if (!cur) cur = (uintptr_t)vdos_syscall(SYS_BRK, 0, 0, 0, 0, 0);
  uintptr_t old = cur;
  uintptr_t want = old + (uintptr_t)incr;
  if ((uintptr_t)vdos_syscall(SYS_BRK, (long)want, 0, 0, 0, 0) != want) return (void *)-1;
  cur = want;
  return (void *)old;
}

void _exit(int status) {
  flush_out(stdout);
  vdos_syscall(SYS_EXIT, status, 0, 0, 0, 0);
  for (;;) {
  }
}

typedef void (*init_fn)(void);
extern init_fn __preinit_array_start[], __preinit_array_end[];
extern init_fn __init_array_start[], __init_array_end[];

int main(int argc, char **argv);
void __vdos_start(int argc, char **argv);

void __vdos_start(int argc, char **argv) {
  for (init_fn *f = __preinit_array_start; f < __preinit_array_end; f++) (*f)();
  for (init_fn *f = __init_array_start; f < __init_array_end; f++) (*f)();
  exit(main(argc, argv));
}

const char *vdos_strerror(long err) {
  const char *t = vdos_error_text(err);
  return t ? t : "error";
}
