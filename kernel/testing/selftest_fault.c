// Reads an unmapped address (the harness maps only the first 4 GiB): the harness reports the
// exception and powers off without `BAREMETAL EXIT 0`.
#include <stdint.h>
#include <stdio.h>

int main(void) {
  printf("selftest: faulting\n");
  volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)0x200000000ULL;
  return (int)*p;
}
