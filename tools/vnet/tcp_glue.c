// Placeholder for the TCP services and commands of vnet; replaced once //net/tcp exists.
#include <stdio.h>

#include "tools/vnet/vnet.h"

bool vnet_tcp_init(struct vnet *v) {
  (void)v;
  return true;
}

static bool unavailable(const char *what) {
  fprintf(stderr, "vnet: %s needs TCP, which this build does not include\n", what);
  return false;
}

bool vnet_tcp_serve_echo(struct vnet *v, uint16_t port) {
  (void)v;
  (void)port;
  return unavailable("--echo");
}

bool vnet_tcp_serve_discard(struct vnet *v, uint16_t port) {
  (void)v;
  (void)port;
  return unavailable("--discard");
}

bool vnet_tcp_serve_source(struct vnet *v, const char *spec) {
  (void)v;
  (void)spec;
  return unavailable("--source");
}

int vnet_tcp_command(struct vnet *v, int argc, char **argv) {
  (void)v;
  (void)argc;
  (void)argv;
  return -1;
}

const char *vnet_tcp_usage(void) { return ""; }
