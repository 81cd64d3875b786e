// crash [null|stack|exec|rodata|kernel]: faults in a chosen way; the kernel must end only this
// program with a clear line, and the shell must go on.
//   null   - read through NULL (unmapped page 0)
//   stack  - unbounded recursion into the guard page below the stack
//   exec   - jump into a writable, non-executable page (W^X for programs)
//   rodata - write to read-only data
//   kernel - read kernel memory (mapped, but EL1-only)
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char message[] = "read-only";
static uint32_t code_in_data[4] = {0xd65f03c0};  // "ret", in a data page

static int recurse(volatile int *depth) {
  volatile char pad[512];
  pad[0] = (char)*depth;
  (*depth)++;
  return recurse(depth) + pad[0];
}

int main(int argc, char **argv) {
  const char *how = argc > 1 ? argv[1] : "null";
  printf("crash: about to fault (%s)\n", how);
  fflush(stdout);
  if (strcmp(how, "stack") == 0) {
    volatile int depth = 0;
    return recurse(&depth);
  }
  if (strcmp(how, "exec") == 0) {
    void (*fn)(void) = (void (*)(void))(uintptr_t)code_in_data;
    fn();
    return 0;
  }
  if (strcmp(how, "rodata") == 0) {
    *(volatile char *)message = 'X';
    return 0;
  }
  if (strcmp(how, "kernel") == 0) return *(volatile int *)(uintptr_t)0x40200000;
  volatile int *p = (volatile int *)0;
  return *p;
}
