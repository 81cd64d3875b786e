// tlsprobe: N TLS connections in a row to one server from a ViperDOS program, through libtls and
// the kernel's TLS sessions. Prints one line per connection (resumed or not, suite, group, the
// kernel's handshake time) and a summary, so the guest scenarios can check resumption and the
// benchmark can time full and resumed handshakes under the same emulator.
//
//   tlsprobe HOST PORT [-n N] [--ca FILE] [--name NAME] [--insecure] [--alpn LIST] [--get PATH]
//            [--echo BYTES] [--upload BYTES] [--sha256] [--no-close]
//
// --get prints the response body's length (after the header) and rate, --upload sends BYTES of a
// test pattern (then close_notify) and prints the rate; with --sha256 both also print the
// SHA-256 of the body / of what was sent, which the tests compare with the host's side.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/tls/sha256.h"
#include "user/libc/vdos.h"
#include "user/libtls/tls.h"

#define MAX_RUNS 64
// Bytes per tls_send/tls_recv for --get and --upload: several records per call, so the program's
// own per-call cost stays small next to the kernel's.
#define BULK_BUF (64 * 1024)

static uint64_t now_ns(void) { return (uint64_t)vdos_syscall(SYS_TIME_NS, 0, 0, 0, 0, 0); }

static void print_rate(const char *what, uint64_t bytes, uint64_t ns, const char *hex) {
  uint64_t kbps = ns ? bytes * 1000000ull / ns : 0;  // KB/s (10^3 bytes)
  printf("%s: %lu bytes%s%s, %lu ms, %lu.%03lu MB/s\n", what, (unsigned long)bytes,
         hex ? " sha256 " : "", hex ? hex : "", (unsigned long)(ns / 1000000),
         (unsigned long)(kbps / 1000), (unsigned long)(kbps % 1000));
}

// Deterministic test pattern (xorshift), so the echo can be checked byte by byte.
static uint8_t pattern_byte(uint64_t *state) {
  uint64_t x = *state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return (uint8_t)(x >> 24);
}

// Sends `total` bytes of the pattern through t to an echo server, 16 KiB at a time, reading the
// echo as it comes; checks every byte. Returns 0 when all came back identical.
static int echo(struct tls *t, size_t total) {
  static uint8_t out[16384], in[16384];
  uint64_t tx_state = 0x9e3779b97f4a7c15ull, rx_state = tx_state;
  size_t sent = 0, got = 0;
  uint64_t t0 = (uint64_t)vdos_syscall(SYS_TIME_NS, 0, 0, 0, 0, 0);
  while (got < total) {
    if (sent < total && sent - got < sizeof(in)) {
      size_t n = total - sent < sizeof(out) ? total - sent : sizeof(out);
      for (size_t i = 0; i < n; i++) out[i] = pattern_byte(&tx_state);
      if (tls_send(t, out, n) != (ssize_t)n) {
        printf("tlsprobe: echo send: %s\n", tls_error(t));
        return -1;
      }
      sent += n;
    }
    ssize_t r = tls_recv(t, in, sizeof(in));
    if (r <= 0) {
      printf("tlsprobe: echo recv after %lu bytes: %s\n", (unsigned long)got,
             r == 0 ? "closed" : tls_error(t));
      return -1;
    }
    for (ssize_t i = 0; i < r; i++) {
      if (in[i] != pattern_byte(&rx_state)) {
        printf("tlsprobe: echo differs at byte %lu\n", (unsigned long)(got + (size_t)i));
        return -1;
      }
    }
    got += (size_t)r;
  }
  uint64_t ns = (uint64_t)vdos_syscall(SYS_TIME_NS, 0, 0, 0, 0, 0) - t0;
  uint64_t kbps = ns ? (uint64_t)total * 1000000ull / ns : 0;  // KB/s (10^3 bytes)
  printf("echo: %lu bytes sent and received back identical, %lu ms, %lu.%03lu MB/s each way\n",
         (unsigned long)total, (unsigned long)(ns / 1000000), (unsigned long)(kbps / 1000),
         (unsigned long)(kbps % 1000));
  return 0;
}

// Sends `total` pattern bytes, then close_notify is left to the caller's tls_close.
static int upload(struct tls *t, size_t total, int hash) {
  static uint8_t out[BULK_BUF];
  uint64_t state = 0x9e3779b97f4a7c15ull;
  struct sha256 h;
  sha256_init(&h);
  uint64_t t0 = now_ns();
  for (size_t sent = 0; sent < total;) {
    size_t n = total - sent < sizeof(out) ? total - sent : sizeof(out);
    for (size_t i = 0; i < n; i++) out[i] = pattern_byte(&state);
    if (hash) sha256_update(&h, out, n);
    if (tls_send(t, out, n) != (ssize_t)n) {
      printf("tlsprobe: upload send after %lu bytes: %s\n", (unsigned long)sent, tls_error(t));
      return -1;
    }
    sent += n;
  }
  uint64_t ns = now_ns() - t0;
  char hex[65];
  if (hash) sha256_final_hex(&h, hex);
  print_rate("upload", total, ns, hash ? hex : NULL);
  return 0;
}

// Reads an HTTP response to close_notify; with `hash`, the body's SHA-256 (the header is
// everything up to the first blank line, which may straddle two reads).
static int get_body(struct tls *t, int hash) {
  static char buf[BULK_BUF];
  struct sha256 h;
  sha256_init(&h);
  uint64_t total = 0, body = 0;
  int in_body = 0;
  uint32_t tail = 0;  // last four header bytes seen, to find CR LF CR LF across reads
  uint64_t t0 = now_ns();
  ssize_t r;
  while ((r = tls_recv(t, buf, sizeof(buf) - 1)) > 0) {
    if (total == 0) {
      buf[r] = '\0';
      char *eol = strchr(buf, '\r');
      if (eol) *eol = '\0';
      printf("response: %s\n", buf);
      if (eol) *eol = '\r';
    }
    total += (uint64_t)r;
    ssize_t i = 0;
    while (!in_body && i < r) {
      tail = tail << 8 | (uint8_t)buf[i++];
      in_body = tail == 0x0d0a0d0au;
    }
    if (in_body && i < r) {
      if (hash) sha256_update(&h, buf + i, (size_t)(r - i));
      body += (uint64_t)(r - i);
    }
  }
  uint64_t ns = now_ns() - t0;
  if (r < 0) {
    printf("tlsprobe: recv after %lu bytes: %s\n", (unsigned long)total, tls_error(t));
    return -1;
  }
  printf("received %lu bytes, close_notify\n", (unsigned long)total);
  char hex[65];
  if (hash) sha256_final_hex(&h, hex);
  print_rate("body", body, ns, hash ? hex : NULL);
  return 0;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void summary(const char *what, uint64_t *v, int n) {
  if (n == 0) return;
  qsort(v, (size_t)n, sizeof(v[0]), cmp_u64);
  printf("%s handshakes: %d, min %lu.%03lu ms, median %lu.%03lu ms, max %lu.%03lu ms\n", what, n,
         (unsigned long)(v[0] / 1000000), (unsigned long)(v[0] / 1000 % 1000),
         (unsigned long)(v[n / 2] / 1000000), (unsigned long)(v[n / 2] / 1000 % 1000),
         (unsigned long)(v[n - 1] / 1000000), (unsigned long)(v[n - 1] / 1000 % 1000));
}

int main(int argc, char **argv) {
  if (argc < 3) {
    puts(
        "usage: tlsprobe HOST PORT [-n N] [--ca FILE] [--name NAME] [--insecure] [--alpn LIST] "
        "[--get PATH] [--echo BYTES] [--upload BYTES] [--sha256] [--no-close]");
    return 2;
  }
  tls_config_t cfg = tls_config_default();
  int n = 1;
  const char *get = NULL;
  int no_close = 0;
  long echo_bytes = 0, upload_bytes = 0;
  int sha = 0;
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "-n") && i + 1 < argc) {
      n = atoi(argv[++i]);
    } else if (!strcmp(argv[i], "--ca") && i + 1 < argc) {
      cfg.ca_file = argv[++i];
    } else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
      cfg.hostname = argv[++i];  // SNI and verified name when HOST is an address
    } else if (!strcmp(argv[i], "--insecure")) {
      cfg.verify_cert = 0;
    } else if (!strcmp(argv[i], "--alpn") && i + 1 < argc) {
      cfg.alpn = argv[++i];
    } else if (!strcmp(argv[i], "--echo") && i + 1 < argc) {
      echo_bytes = atol(argv[++i]);  // bytes through an echo server, checked on return
    } else if (!strcmp(argv[i], "--upload") && i + 1 < argc) {
      upload_bytes = atol(argv[++i]);  // pattern bytes to a sink, then close_notify
    } else if (!strcmp(argv[i], "--sha256")) {
      sha = 1;  // hash the --get body and the --upload bytes
    } else if (!strcmp(argv[i], "--no-close")) {
      no_close = 1;  // end with the session still open: the kernel must free it at exit
    } else if (!strcmp(argv[i], "--get") && i + 1 < argc) {
      get = argv[++i];
    } else {
      printf("tlsprobe: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  if (n < 1 || n > MAX_RUNS) {
    printf("tlsprobe: -n must be 1..%d\n", MAX_RUNS);
    return 2;
  }
  int port = atoi(argv[2]);
  if (port <= 0 || port > 65535) {
    printf("tlsprobe: bad port %s\n", argv[2]);
    return 2;
  }
  static uint64_t full[MAX_RUNS], resumed[MAX_RUNS];
  int nfull = 0, nres = 0;
  for (int i = 0; i < n; i++) {
    struct tls *t = tls_connect(argv[1], (uint16_t)port, &cfg);
    if (!t) {
      printf("tlsprobe: %s\n", tls_error(NULL));
      return 1;
    }
    struct tls_info in;
    if (tls_info(t, &in) != 0) {
      printf("tlsprobe: %s\n", tls_error(t));
      tls_close(t);
      return 1;
    }
    printf("conn %d: %s %s %s resumed=%s verify=%s alpn=%s handshake %lu us\n", i + 1, in.protocol,
           in.cipher, in.group, in.resumed ? "yes" : "no", in.verify_ok ? "ok" : "failed",
           in.alpn[0] ? in.alpn : "-", (unsigned long)(in.handshake_ns / 1000));
    if (i == 0)
      printf("subject: %s\nissuer: %s\nvalid: %s to %s\n", in.subject, in.issuer, in.not_before,
             in.not_after);
    if (in.resumed) {
      resumed[nres++] = in.handshake_ns;
    } else {
      full[nfull++] = in.handshake_ns;
    }
    if (get) {
      char req[300];
      int len = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\n\r\n", get, argv[1]);
      if (len < 0 || (size_t)len >= sizeof(req) || tls_send(t, req, (size_t)len) != len) {
        printf("tlsprobe: send: %s\n", tls_error(t));
        tls_close(t);
        return 1;
      }
      if (get_body(t, sha) != 0) {
        tls_close(t);
        return 1;
      }
    }
    if (upload_bytes > 0 && upload(t, (size_t)upload_bytes, sha) != 0) {
      tls_close(t);
      return 1;
    }
    if (echo_bytes > 0 && echo(t, (size_t)echo_bytes) != 0) {
      tls_close(t);
      return 1;
    }
    if (no_close) {
      puts("exiting with the session open");
      return 0;
    }
    tls_close(t);
  }
  summary("full", full, nfull);
  summary("resumed", resumed, nres);
  return 0;
}
