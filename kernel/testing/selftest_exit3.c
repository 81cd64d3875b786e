// Returns a non-zero status: a qemu_test expecting `BAREMETAL EXIT 0` must fail.
#include <stdio.h>

int main(void) {
  printf("selftest: returning 3\n");
  return 3;
}
