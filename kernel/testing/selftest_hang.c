// Prints and never powers off: a qemu_test must fail by timeout even though its text appeared.
#include <stdio.h>

int main(void) {
  printf("selftest: hanging\n");
  for (;;) __asm__ volatile("wfi");
}
