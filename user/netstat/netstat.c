// netstat [-s]: the network stack's and the device's counters (SYS_NET_STATS), one per line.
#include <stdio.h>
#include <string.h>

#include "user/libc/vdos.h"

int main(int argc, char **argv) {
  if (argc > 2 || (argc == 2 && strcmp(argv[1], "-s") != 0)) {
    puts("usage: netstat [-s]");
    return 2;
  }
  static char text[8192];
  long n = vdos_syscall(SYS_NET_STATS, (long)text, sizeof(text), 0, 0, 0);
  if (n < 0) {
    printf("netstat: error %ld\n", n);
    return 1;
  }
  // Longer than the buffer: the kernel truncated it (and always terminates it).
  fputs(text, stdout);
  if ((size_t)n >= sizeof(text)) puts("netstat: (truncated)");
  return 0;
}
