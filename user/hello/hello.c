// Prints its arguments and exits with the number of arguments as its status.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  printf("hello: argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("hello: argv[%d]=%s\n", i, argv[i]);
  // Heap and FP/SIMD in EL0.
  double *d = malloc(64 * sizeof(double));
  if (!d) return 100;
  double sum = 0;
  for (int i = 0; i < 64; i++) d[i] = i * 0.5, sum += d[i];
  printf("hello: sum=%.1f\n", sum);
  free(d);
  return argc;
}
