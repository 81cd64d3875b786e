// ping [-c COUNT] [-s SIZE] [-W TIMEOUT] [-i INTERVAL] HOST: ICMP echo through SYS_PING, with
// iputils-style output and summary. HOST is a dotted quad or a name (resolved with
// getaddrinfo). TIMEOUT and INTERVAL are seconds (fractions allowed). Exit 0 if any reply
// came, 1 if none, 2 on bad usage or an unresolvable host.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "user/libc/vdos.h"

static const char *err_text(long e) {
  switch (-e) {
    case VDOS_EHOSTUNREACH:
      return "Destination Host Unreachable";
    case VDOS_ENETUNREACH:
      return "Destination Net Unreachable";
    case VDOS_ECONNREFUSED:
      return "Destination Port Unreachable";
    case VDOS_ENETDOWN:
      return "Network is down";
    case VDOS_EINVAL:
      return "Invalid argument";
    default:
      return "Error";
  }
}

static void fmt_ip(unsigned a, char buf[INET_ADDRSTRLEN]) {
  struct in_addr in = {.s_addr = htonl(a)};
  inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

// Seconds (fractions allowed) to milliseconds; -1 for junk or out of [min_ms, max_ms].
static long parse_seconds(const char *s, long min_ms, long max_ms) {
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end || !(v >= 0) || v * 1000 > max_ms) return -1;
  long ms = (long)(v * 1000 + 0.5);
  return ms < min_ms ? -1 : ms;
}

static int usage(void) {
  puts("usage: ping [-c count] [-s packetsize] [-W timeout_s] [-i interval_s] host");
  return 2;
}

int main(int argc, char **argv) {
  long count = 4, size = 56, timeout_ms = 2000, interval_ms = 1000;
  const char *host = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] == '-' && a[1] && !a[2] && strchr("csWi", a[1])) {
      if (++i >= argc) return usage();
      char *end;
      if (a[1] == 'c') {
        count = strtol(argv[i], &end, 10);
        if (*end || count < 1 || count > 100000) {
          printf("ping: invalid count: '%s'\n", argv[i]);
          return 2;
        }
      } else if (a[1] == 's') {
        size = strtol(argv[i], &end, 10);
        if (*end || size < 0 || size > VDOS_PING_MAX_PAYLOAD) {
          printf("ping: invalid packet size: '%s' (0..%d)\n", argv[i], VDOS_PING_MAX_PAYLOAD);
          return 2;
        }
      } else if (a[1] == 'W') {
        timeout_ms = parse_seconds(argv[i], 1, VDOS_PING_MAX_TIMEOUT_MS);
        if (timeout_ms < 0) {
          printf("ping: bad linger time: '%s'\n", argv[i]);
          return 2;
        }
      } else {
        interval_ms = parse_seconds(argv[i], 0, 3600 * 1000);
        if (interval_ms < 0) {
          printf("ping: bad timing interval: '%s'\n", argv[i]);
          return 2;
        }
      }
    } else if (a[0] == '-' || host) {
      return usage();
    } else {
      host = a;
    }
  }
  if (!host) return usage();
  struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM};
  struct addrinfo *res;
  int g = getaddrinfo(host, NULL, &hints, &res);
  if (g != 0) {
    printf("ping: %s: %s\n", host, gai_strerror(g));
    return 2;
  }
  unsigned dst = ntohl(((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr);
  freeaddrinfo(res);
  char ip[INET_ADDRSTRLEN], from[INET_ADDRSTRLEN];
  fmt_ip(dst, ip);
  printf("PING %s (%s) %ld(%ld) bytes of data.\n", host, ip, size, size + 28);
  long sent = 0, received = 0, errors = 0;
  double tmin = 0, tmax = 0, tsum = 0, tsum2 = 0;
  uint64_t start = vdos_time_ns();
  for (long seq = 1; seq <= count; seq++) {
    uint64_t t0 = vdos_time_ns();
    struct vdos_ping_reply rep;
    long r = vdos_syscall(SYS_PING, dst, seq & 0xffff, size, timeout_ms, (long)&rep);
    if (r == -VDOS_EINTR) break;
    if (r == -VDOS_EINVAL || r == -VDOS_EFAULT || r == -VDOS_ENETDOWN) {
      printf("ping: sendmsg: %s\n", err_text(r));
      return 2;
    }
    sent++;
    if (r == 0) {
      double ms = (double)rep.rtt_ns / 1e6;
      fmt_ip(rep.from, from);
      printf("%u bytes from %s: icmp_seq=%u ttl=%u time=%.3f ms\n", rep.len + 8u, from, rep.seq,
             rep.ttl, ms);
      if (received == 0 || ms < tmin) tmin = ms;
      if (ms > tmax) tmax = ms;
      tsum += ms;
      tsum2 += ms * ms;
      received++;
    } else if (r != -VDOS_ETIMEDOUT) {
      errors++;
      fmt_ip(rep.from ? rep.from : dst, from);
      printf("From %s icmp_seq=%ld %s\n", from, seq, err_text(r));
    }
    if (seq < count) {
      uint64_t spent_ms = (vdos_time_ns() - t0) / 1000000;
      if (spent_ms < (uint64_t)interval_ms &&
          vdos_sleep_ms((unsigned)(interval_ms - spent_ms)) == -VDOS_EINTR) {
        break;
      }
    }
  }
  long total_ms = (long)((vdos_time_ns() - start) / 1000000);
  printf("\n--- %s ping statistics ---\n", host);
  printf("%ld packets transmitted, %ld received, ", sent, received);
  if (errors) printf("+%ld errors, ", errors);
  long loss = sent ? (sent - received) * 100 / sent : 0;
  printf("%ld%% packet loss, time %ldms\n", loss, total_ms);
  if (received) {
    double avg = tsum / received, var = tsum2 / received - avg * avg;
    printf("rtt min/avg/max/mdev = %.3f/%.3f/%.3f/%.3f ms\n", tmin, avg, tmax,
           var > 0 ? __builtin_sqrt(var) : 0.0);
  }
  return received ? 0 : 1;
}
