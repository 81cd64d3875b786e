// `ping HOST [-c COUNT] [-s SIZE] [-W TIMEOUT_MS] [-i INTERVAL_MS]`, output like iputils ping.
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/net_err.h"
#include "net/icmp/icmp_wire.h"
#include "tools/vnet/vnet.h"

static bool parse_num(const char *s, long lo, long hi, long *out) {
  if (!s || !*s) return false;
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

struct ping_state {
  struct icmp_ping pg;
  long received, errors, dups;
  double min_ms, max_ms, sum_ms, sum2_ms;
  ipv4_addr_t dst;
};

static const char *unreach_text(uint8_t type, uint8_t code) {
  if (type == ICMP_TIME_EXCEEDED) return "Time to live exceeded";
  if (type != ICMP_DEST_UNREACH) return "Parameter problem";
  switch (code) {
    case ICMP_UNREACH_NET:
      return "Destination Net Unreachable";
    case ICMP_UNREACH_HOST:
      return "Destination Host Unreachable";
    case ICMP_UNREACH_PROTO:
      return "Destination Protocol Unreachable";
    case ICMP_UNREACH_PORT:
      return "Destination Port Unreachable";
    case ICMP_UNREACH_FRAG_NEEDED:
      return "Frag needed";
    default:
      return "Destination Unreachable";
  }
}

static void drain(struct ping_state *st) {
  struct icmp_ping_reply r;
  char a[IPV4_ADDR_STRLEN];
  while (icmp_ping_next(&st->pg, &r)) {
    ipv4_addr_format(r.from, a);
    if (r.err != NET_OK) {
      st->errors++;
      printf("From %s icmp_seq=%u %s\n", a, r.seq, unreach_text(r.type, r.code));
      continue;
    }
    double ms = (double)r.rtt_us / 1000.0;
    if (r.duplicate) {
      st->dups++;
      printf("%u bytes from %s: icmp_seq=%u ttl=%u time=%.3f ms (DUP!)\n", r.len + ICMP_HDR_LEN, a,
             r.seq, r.ttl, ms);
      continue;
    }
    if (st->received == 0 || ms < st->min_ms) st->min_ms = ms;
    if (ms > st->max_ms) st->max_ms = ms;
    st->sum_ms += ms;
    st->sum2_ms += ms * ms;
    st->received++;
    printf("%u bytes from %s: icmp_seq=%u ttl=%u time=%.3f ms\n", r.len + ICMP_HDR_LEN, a, r.seq,
           r.ttl, ms);
  }
}

struct drain_ctx {
  struct ping_state *st;
  long want;
};

static bool all_answered(void *ctx) {
  struct drain_ctx *d = (struct drain_ctx *)ctx;
  drain(d->st);
  return d->st->received + d->st->errors >= d->want;
}

int vnet_cmd_ping(struct vnet *v, int argc, char **argv) {
  const char *host = NULL;
  long count = 4, size = 56, timeout_ms = 2000, interval_ms = 1000;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    long *dst = NULL;
    long lo = 1, hi = 0;
    if (!strcmp(a, "-c")) {
      dst = &count, lo = 1, hi = 1000000;
    } else if (!strcmp(a, "-s")) {
      dst = &size, lo = 0, hi = 65507;
    } else if (!strcmp(a, "-W")) {
      dst = &timeout_ms, lo = 1, hi = 3600000;
    } else if (!strcmp(a, "-i")) {
      dst = &interval_ms, lo = 1, hi = 3600000;
    } else if (a[0] == '-') {
      fprintf(stderr, "vnet ping: unknown option %s\n", a);
      return 2;
    } else if (!host) {
      host = a;
      continue;
    } else {
      fprintf(stderr, "vnet ping: unexpected argument %s\n", a);
      return 2;
    }
    if (i + 1 >= argc || !parse_num(argv[i + 1], lo, hi, dst)) {
      fprintf(stderr, "vnet ping: %s needs a number in %ld..%ld\n", a, lo, hi);
      return 2;
    }
    i++;
  }
  if (!host) {
    fprintf(stderr, "usage: vnet ... ping HOST [-c COUNT] [-s SIZE] [-W TIMEOUT_MS]\n");
    return 2;
  }
  static struct ping_state st;
  memset(&st, 0, sizeof(st));
  if (!vnet_resolve_host(v, host, &st.dst)) return 2;
  int rc = icmp_ping_open(&v->stack.icmp, &st.pg, st.dst);
  if (rc != NET_OK) {
    fprintf(stderr, "vnet ping: %s\n", net_strerror(rc));
    return 1;
  }
  char a[IPV4_ADDR_STRLEN];
  ipv4_addr_format(st.dst, a);
  printf("PING %s (%s) %ld(%ld) bytes of data.\n", host, a, size, size + 28);
  uint64_t start = vnet_now_ms(v);
  long sent = 0;
  for (long seq = 1; seq <= count && !vnet_stop; seq++) {
    rc = icmp_ping_send(&st.pg, (uint16_t)seq, (size_t)size);
    sent++;
    if (rc != NET_OK) fprintf(stderr, "vnet ping: sendmsg: %s\n", net_strerror(rc));
    struct drain_ctx d = {&st, sent};
    // Between probes wait the interval; after the last one wait up to the timeout.
    uint64_t wait = seq < count ? (uint64_t)interval_ms : (uint64_t)timeout_ms;
    if (seq < count) {
      vnet_run(v, vnet_now_ms(v) + wait, NULL, NULL);
      drain(&st);
    } else {
      vnet_run(v, vnet_now_ms(v) + wait, all_answered, &d);
    }
  }
  drain(&st);
  uint64_t elapsed = vnet_now_ms(v) - start;
  icmp_ping_close(&st.pg);
  printf("\n--- %s ping statistics ---\n", host);
  long loss = sent ? (100 * (sent - st.received)) / sent : 0;
  printf("%ld packets transmitted, %ld received", sent, st.received);
  if (st.dups) printf(", +%ld duplicates", st.dups);
  if (st.errors) printf(", +%ld errors", st.errors);
  printf(", %ld%% packet loss, time %llums\n", loss, (unsigned long long)elapsed);
  if (st.received) {
    double avg = st.sum_ms / (double)st.received;
    double var = st.sum2_ms / (double)st.received - avg * avg;
    printf("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n", st.min_ms, avg, st.max_ms,
           sqrt(var > 0 ? var : 0));
  }
  return st.received > 0 ? 0 : 1;
}
