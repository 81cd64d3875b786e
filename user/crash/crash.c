// Dereferences NULL: the kernel must end only this program.
#include <stdio.h>

int main(void) {
  printf("crash: about to dereference NULL\n");
  volatile int *p = (volatile int *)0;
  return *p;
}
