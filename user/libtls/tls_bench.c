// tls_bench HOST PORT PATH [--ca FILE]: downloads PATH over HTTP/1.0 through libtls and prints
// "bytes=N seconds=S mbps=X cipher=C" (MB = 10^6 bytes; time from before the TCP connect to the
// close_notify that ends the body). Used by bench_tls.sh; not a general HTTP client.
#define _POSIX_C_SOURCE 200809L  // clock_gettime
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "user/libtls/tls.h"

// Read size per tls_recv call (one TLS record holds at most 16 KiB of plaintext).
#define BENCH_BUF 65536

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 4 && !(argc == 6 && strcmp(argv[4], "--ca") == 0)) {
    fprintf(stderr, "usage: tls_bench HOST PORT PATH [--ca FILE]\n");
    return 2;
  }
  tls_config_t cfg = tls_config_default();
  cfg.ca_file = argc == 6 ? argv[5] : NULL;
  long port = strtol(argv[2], NULL, 10);
  if (port <= 0 || port > 65535) {
    fprintf(stderr, "tls_bench: bad port %s\n", argv[2]);
    return 2;
  }
  static char buf[BENCH_BUF];
  double start = now_s();
  struct tls *t = tls_connect(argv[1], (uint16_t)port, &cfg);
  if (t == NULL) {
    fprintf(stderr, "tls_bench: %s\n", tls_error(NULL));
    return 1;
  }
  int n = snprintf(buf, sizeof(buf), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", argv[3], argv[1]);
  if (n < 0 || (size_t)n >= sizeof(buf) || tls_send(t, buf, (size_t)n) != n) {
    fprintf(stderr, "tls_bench: send: %s\n", tls_error(t));
    return 1;
  }
  unsigned long long total = 0;
  for (;;) {
    ssize_t r = tls_recv(t, buf, sizeof(buf));
    if (r == 0) break;
    if (r < 0) {
      fprintf(stderr, "tls_bench: recv: %s\n", tls_error(t));
      return 1;
    }
    total += (unsigned long long)r;
  }
  double secs = now_s() - start;
  struct tls_info info;
  const char *cipher = tls_info(t, &info) == 0 ? info.cipher : "?";
  printf("bytes=%llu seconds=%.3f mbps=%.1f cipher=%s\n", total, secs, (double)total / 1e6 / secs,
         cipher);
  tls_close(t);
  return 0;
}
