// sleeper sleep|spin: runs until interrupted (Ctrl-C), either blocked in the kernel or busy in
// EL0 without system calls, so both ways of ending a program are exercised.
#include <stdio.h>
#include <string.h>

#include "user/libc/vdos.h"

int main(int argc, char **argv) {
  int spin = argc > 1 && strcmp(argv[1], "spin") == 0;
  printf("sleeper: started (%s)\n", spin ? "spin" : "sleep");
  fflush(stdout);
  if (spin) {
    for (volatile unsigned long i = 0;; i++) {
    }
  }
  for (int i = 0; i < 600; i++) vdos_sleep_ms(100);
  puts("sleeper: not interrupted");
  return 0;
}
