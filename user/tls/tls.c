// tls HOST[:PORT] [--ca FILE] [--insecure] [--alpn LIST] [--timeout MS] [--twice]
//
// Opens a TLS 1.3 session to HOST (port 443 unless given; "[v6addr]:port" for IPv6 literals) and
// prints what was negotiated and whom the certificate names, one "field: value" per line. With
// --twice it connects a second time, which resumes the first session from its ticket. On
// failure: "tls: <reason>" on stderr and exit status 1 (2 for usage errors).
//
// The same source builds for ViperDOS (libtls over the kernel's SYS_TLS_*) and for the host
// (libtls in-process over wolfSSL).
#include "user/libtls/tls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Port when HOST has none: HTTPS.
#define TLS_DEFAULT_PORT 443
#define TLS_HOST_ARG_MAX 256

static void usage(void) {
  fprintf(stderr,
          "usage: tls HOST[:PORT] [--ca FILE] [--insecure] [--alpn LIST] [--timeout MS] "
          "[--twice]\n");
}

// Splits "host", "host:port", "[v6]:port" or "[v6]". Returns 0, or -1 with a message printed.
static int parse_target(const char *arg, char *host, size_t cap, uint16_t *port) {
  const char *h = arg;
  size_t hlen;
  const char *p = NULL;
  if (arg[0] == '[') {
    const char *close = strchr(arg, ']');
    if (close == NULL) {
      fprintf(stderr, "tls: missing ']' in %s\n", arg);
      return -1;
    }
    h = arg + 1;
    hlen = (size_t)(close - h);
    if (close[1] == ':') {
      p = close + 2;
    } else if (close[1] != '\0') {
      fprintf(stderr, "tls: unexpected text after ']' in %s\n", arg);
      return -1;
    }
  } else {
    const char *colon = strchr(arg, ':');
    if (colon != NULL && strchr(colon + 1, ':') != NULL) {
      fprintf(stderr, "tls: write IPv6 addresses as [ADDR]:PORT\n");
      return -1;
    }
    hlen = colon != NULL ? (size_t)(colon - arg) : strlen(arg);
    if (colon != NULL) p = colon + 1;
  }
  if (hlen == 0 || hlen >= cap) {
    fprintf(stderr, "tls: bad host in %s\n", arg);
    return -1;
  }
  memcpy(host, h, hlen);
  host[hlen] = '\0';
  *port = TLS_DEFAULT_PORT;
  if (p != NULL) {
    char *end = NULL;
    unsigned long v = strtoul(p, &end, 10);
    if (*p == '\0' || end == NULL || *end != '\0' || v == 0 || v > 65535) {
      fprintf(stderr, "tls: bad port '%s'\n", p);
      return -1;
    }
    *port = (uint16_t)v;
  }
  return 0;
}

static void print_info(const struct tls_info *i, int verify_requested) {
  printf("protocol: %s\n", i->protocol);
  printf("cipher: %s\n", i->cipher);
  printf("group: %s\n", i->group[0] ? i->group : "none");
  if (i->alpn[0]) printf("alpn: %s\n", i->alpn);
  printf("resumed: %s\n", i->resumed ? "yes" : "no");
  if (i->verify_ok) {
    printf("verify: ok\n");
  } else {
    printf("verify: %s\n", verify_requested ? "FAILED" : "not verified (--insecure)");
  }
  printf("subject: %s\n", i->subject);
  printf("issuer: %s\n", i->issuer);
  printf("valid: %s to %s\n", i->not_before, i->not_after);
  unsigned long long us = (unsigned long long)(i->handshake_ns / 1000u);
  printf("handshake: %llu.%01llu ms\n", us / 1000u, (us % 1000u) / 100u);
}

int main(int argc, char **argv) {
  tls_config_t cfg = tls_config_default();
  const char *target = NULL;
  int twice = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--insecure") == 0) {
      cfg.verify_cert = 0;
    } else if (strcmp(a, "--twice") == 0) {
      twice = 1;
    } else if ((strcmp(a, "--ca") == 0 || strcmp(a, "--alpn") == 0 ||
                strcmp(a, "--timeout") == 0)) {
      if (i + 1 >= argc) {
        fprintf(stderr, "tls: %s needs a value\n", a);
        usage();
        return 2;
      }
      const char *v = argv[++i];
      if (strcmp(a, "--ca") == 0) {
        cfg.ca_file = v;
      } else if (strcmp(a, "--alpn") == 0) {
        cfg.alpn = v;
      } else {
        char *end = NULL;
        unsigned long ms = strtoul(v, &end, 10);
        if (*v == '\0' || *end != '\0' || ms > 3600000ul) {
          fprintf(stderr, "tls: bad --timeout '%s' (milliseconds, at most one hour)\n", v);
          return 2;
        }
        cfg.timeout_ms = (unsigned)ms;
      }
    } else if (a[0] == '-') {
      fprintf(stderr, "tls: unknown option %s\n", a);
      usage();
      return 2;
    } else if (target == NULL) {
      target = a;
    } else {
      usage();
      return 2;
    }
  }
  if (target == NULL) {
    usage();
    return 2;
  }
  char host[TLS_HOST_ARG_MAX];
  uint16_t port;
  if (parse_target(target, host, sizeof(host), &port) != 0) return 2;

  int rounds = twice ? 2 : 1;
  for (int round = 1; round <= rounds; round++) {
    struct tls *t = tls_connect(host, port, &cfg);
    if (t == NULL) {
      fprintf(stderr, "tls: %s\n", tls_error(NULL));
      return 1;
    }
    struct tls_info info;
    if (tls_info(t, &info) != 0) {
      fprintf(stderr, "tls: %s\n", tls_error(t));
      tls_close(t);
      return 1;
    }
    if (twice) printf("%sconnection: %d\n", round > 1 ? "\n" : "", round);
    print_info(&info, cfg.verify_cert);
    fflush(stdout);
    // tls_close also waits briefly for the session ticket the next round resumes with.
    tls_close(t);
  }
  return 0;
}
