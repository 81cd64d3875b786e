// Checks the harness itself: formatted output, heap, picolibc's TLS errno and C constructors.
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char __tls_base[], __tls_end[], __heap_start[], __heap_end[];

static int constructor_ran;
static volatile int constructor_value = 1;

// The volatile read keeps the compiler from evaluating the constructor at build time, so this
// really checks that the harness runs .init_array.
__attribute__((constructor)) static void mark_constructor(void) {
  constructor_ran = constructor_value;
}

int main(void) {
  printf("harness: hello %d %ld %#x\n", 42, -7L, 42);

  // Many small blocks and one big one: the heap must hand out distinct, in-range memory.
  char *blocks[64];
  for (int i = 0; i < 64; i++) {
    blocks[i] = malloc(100 + (size_t)i);
    if (blocks[i] == NULL) return 10;
    memset(blocks[i], i, 100 + (size_t)i);
  }
  for (int i = 0; i < 64; i++) {
    if (blocks[i] < __heap_start || blocks[i] >= __heap_end) return 11;
    if (blocks[i][99] != (char)i) return 12;
    free(blocks[i]);
  }
  char *big = malloc(8u << 20);
  if (big == NULL) return 13;
  memset(big, 0x5a, 8u << 20);
  free(big);
  printf("harness: malloc ok\n");

  // errno lives in picolibc's TLS block; a wrong TPIDR_EL0 would put it outside that block.
  errno = 0;
  long v = strtol("999999999999999999999999", NULL, 10);
  if (v != LONG_MAX || errno != ERANGE) return 14;
  if ((char *)&errno < __tls_base || (char *)&errno >= __tls_end) return 15;
  printf("harness: errno ok\n");

  if (!constructor_ran) return 16;
  printf("harness: constructor ran\n");
  return 0;
}
