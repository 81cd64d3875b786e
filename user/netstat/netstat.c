// netstat [-s]: the machine's sockets, or with -s the network stack's and the device's counters.
//
// The socket list (SYS_SOCKET_INFO) has one line per socket like `netstat -tun`, plus for TCP an
// `ss -ti`-style line with the connection's congestion-control state: smoothed RTT/variation,
// congestion window, slow-start threshold, MSS, bytes in flight and retransmissions.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "user/libc/vdos.h"

// Upper bound on the sockets listed, so the loop ends even if the table keeps changing.
#define NETSTAT_MAX_SOCKETS 4096
// A slow-start threshold this large means "not set yet" (no loss seen): shown as "inf".
#define NETSTAT_SSTHRESH_INF 0x7FFFFFFFu

static const char *tcp_state(unsigned s) {
  static const char *const kNames[] = {
      "CLOSED",    "LISTEN",     "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT1",
      "FIN_WAIT2", "CLOSE_WAIT", "CLOSING",  "LAST_ACK", "TIME_WAIT",
  };
  return s < sizeof(kNames) / sizeof(kNames[0]) ? kNames[s] : "UNKNOWN";
}

static void endpoint(const struct vdos_sockaddr_in *a, char *buf, size_t cap) {
  char ip[INET_ADDRSTRLEN];
  struct in_addr in = {.s_addr = htonl(a->addr)};
  inet_ntop(AF_INET, &in, ip, sizeof(ip));
  if (a->port) {
    snprintf(buf, cap, "%s:%u", ip, a->port);
  } else {
    snprintf(buf, cap, "%s:*", ip);
  }
}

static int list_sockets(void) {
  printf("%-5s %6s %6s %-21s %-21s %-11s %s\n", "Proto", "Recv-Q", "Send-Q", "Local Address",
         "Foreign Address", "State", "PID");
  size_t i;
  for (i = 0; i < NETSTAT_MAX_SOCKETS; i++) {
    struct vdos_sock_info s;
    long r = vdos_syscall(SYS_SOCKET_INFO, (long)i, (long)&s, 0, 0, 0);
    if (r < 0) {
      printf("netstat: cannot list sockets: %s\n", vdos_strerror(-r));
      return 1;
    }
    if (r == 0) break;
    char local[24], remote[24], pid[12];
    endpoint(&s.local, local, sizeof(local));
    endpoint(&s.remote, remote, sizeof(remote));
    snprintf(pid, sizeof(pid), "%d", s.pid);
    int tcp = s.proto == VDOS_IPPROTO_TCP;
    printf("%-5s %6u %6u %-21s %-21s %-11s %s\n", tcp ? "tcp" : "udp", s.rx_queue, s.tx_queue,
           local, remote, tcp ? tcp_state(s.state) : "-", s.pid ? pid : "-");
    if (tcp && s.state != VDOS_TCP_LISTEN) {
      char ssthresh[16];
      if (s.ssthresh >= NETSTAT_SSTHRESH_INF) {
        strcpy(ssthresh, "inf");
      } else {
        snprintf(ssthresh, sizeof(ssthresh), "%u", s.ssthresh);
      }
      printf("\t rtt:%u.%03u/%u.%03u ms cwnd:%u ssthresh:%s mss:%u inflight:%u retrans:%u\n",
             s.rtt_us / 1000, s.rtt_us % 1000, s.rttvar_us / 1000, s.rttvar_us % 1000, s.cwnd,
             ssthresh, s.mss, s.in_flight, s.retransmits);
    }
  }
  if (i == 0) puts("(no sockets)");
  return 0;
}

static int stats(void) {
  static char text[8192];
  long n = vdos_syscall(SYS_NET_STATS, (long)text, sizeof(text), 0, 0, 0);
  if (n < 0) {
    printf("netstat: cannot read the counters: %s\n", vdos_strerror(-n));
    return 1;
  }
  // Longer than the buffer: the kernel truncated it (and always terminates it).
  fputs(text, stdout);
  if ((size_t)n >= sizeof(text)) puts("netstat: (truncated)");
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 1) return list_sockets();
  if (argc == 2 && strcmp(argv[1], "-s") == 0) return stats();
  puts("usage: netstat [-s]   (sockets; -s: protocol and device counters)");
  return 2;
}
