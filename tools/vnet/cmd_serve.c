// `serve`: answer ARP and ping, run the requested services until SIGINT/SIGTERM.
#include <stdio.h>
#include <string.h>

#include "net/core/net_err.h"
#include "tools/vnet/vnet.h"

#define MAX_UDP_ECHO 4

struct udp_echo {
  struct vnet *v;
  struct udp_sock *sock;
  uint64_t datagrams;
};

static void udp_echo_cb(void *ctx, struct udp_sock *s) {
  struct udp_echo *e = (struct udp_echo *)ctx;
  static uint8_t buf[65536];
  // Bounded by the socket's queue length.
  while (udp_readable(s)) {
    ipv4_addr_t src;
    uint16_t port;
    int n = udp_recvfrom(&e->v->stack.udp, s, buf, sizeof(buf), &src, &port);
    if (n < 0) {
      if (n == NET_ERR_WOULDBLOCK) break;
      continue;  // an ICMP error for an earlier reply: nothing to do
    }
    udp_sendto(&e->v->stack.udp, s, src, port, buf, (size_t)n);
    e->datagrams++;
  }
}

int vnet_cmd_serve(struct vnet *v, int argc, char **argv) {
  static struct udp_echo echoes[MAX_UDP_ECHO];
  unsigned nechoes = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (i + 1 >= argc) {
      fprintf(stderr, "vnet serve: %s needs a value\n", a);
      return 2;
    }
    const char *val = argv[++i];
    uint16_t port = 0;
    if (!strcmp(a, "--source")) {
      if (!vnet_tcp_serve_source(v, val)) return 2;
      continue;
    }
    if (!vnet_parse_port(val, &port)) {
      fprintf(stderr, "vnet serve: bad port for %s: %s\n", a, val);
      return 2;
    }
    if (!strcmp(a, "--echo")) {
      if (!vnet_tcp_serve_echo(v, port)) return 2;
    } else if (!strcmp(a, "--discard")) {
      if (!vnet_tcp_serve_discard(v, port)) return 2;
    } else if (!strcmp(a, "--udp-echo")) {
      if (nechoes >= MAX_UDP_ECHO) {
        fprintf(stderr, "vnet serve: at most %d --udp-echo ports\n", MAX_UDP_ECHO);
        return 2;
      }
      struct udp_echo *e = &echoes[nechoes];
      e->v = v;
      e->sock = udp_open(&v->stack.udp);
      int rc = e->sock ? udp_bind(&v->stack.udp, e->sock, IPV4_ANY, port) : NET_ERR_NOMEM;
      if (rc != NET_OK) {
        fprintf(stderr, "vnet serve: UDP port %u: %s\n", port, net_strerror(rc));
        return 1;
      }
      udp_set_callback(e->sock, udp_echo_cb, e);
      nechoes++;
    } else {
      fprintf(stderr, "vnet serve: unknown option %s\n", a);
      return 2;
    }
  }
  char addr[IPV4_ADDR_STRLEN], mac[18];
  fprintf(stderr, "vnet: serving as %s/%u (%s)\n", ipv4_addr_format(v->stack.core.netif.addr, addr),
          v->stack.core.netif.prefix, net_mac_format(v->stack.core.netif.mac, mac));
  vnet_run(v, UINT64_MAX, NULL, NULL);
  // Stats on the way out, always (the interface promises it for serve).
  vnet_print_stats(v);
  v->print_stats = false;
  return 0;
}

int vnet_cmd_stats(struct vnet *v, int argc, char **argv) {
  (void)argv;
  if (argc > 1) {
    fprintf(stderr, "vnet stats: takes no arguments\n");
    return 2;
  }
  // Let the gratuitous ARP and anything already queued on the TAP device through first.
  vnet_run(v, vnet_now_ms(v) + 100, NULL, NULL);
  vnet_print_stats(v);
  return 0;
}
