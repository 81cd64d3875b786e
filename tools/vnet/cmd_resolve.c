// `resolve NAME`: A lookup through the stack's DNS client.
#include <stdio.h>
#include <string.h>

#include "net/core/net_err.h"
#include "tools/vnet/vnet.h"

struct wait {
  struct vnet *v;
  int handle;
  int rc;
  struct dns_result res;
};

static bool done(void *ctx) {
  struct wait *w = (struct wait *)ctx;
  w->rc = dns_resolve_result(&w->v->stack.dns, w->handle, &w->res);
  return w->rc != NET_ERR_INPROGRESS;
}

int vnet_cmd_resolve(struct vnet *v, int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: vnet ... resolve NAME\n");
    return 2;
  }
  const char *name = argv[1];
  const struct netif *nif = &v->stack.core.netif;
  if (nif->dns_count == 0) {
    fprintf(stderr, "vnet resolve: no DNS server configured (use --dns ADDR)\n");
    return 2;
  }
  struct wait w;
  memset(&w, 0, sizeof(w));
  w.v = v;
  w.rc = NET_ERR_INPROGRESS;
  w.handle = dns_resolve_start(&v->stack.dns, name);
  if (w.handle < 0) {
    fprintf(stderr, "vnet resolve: invalid name '%s'\n", name);
    return 2;
  }
  if (!vnet_run(v, UINT64_MAX, done, &w)) {
    dns_cancel(&v->stack.dns, w.handle);
    fprintf(stderr, "vnet resolve: interrupted\n");
    return 1;
  }
  char a[IPV4_ADDR_STRLEN];
  if (w.rc != NET_OK) {
    switch (w.rc) {
      case NET_ERR_NOTFOUND:
        fprintf(stderr, "vnet resolve: %s: name does not exist (NXDOMAIN)\n", name);
        break;
      case NET_ERR_NODATA:
        fprintf(stderr, "vnet resolve: %s: no IPv4 address for this name\n", name);
        break;
      case NET_ERR_TIMEDOUT:
        fprintf(stderr, "vnet resolve: %s: timed out: no answer from DNS server", name);
        for (unsigned i = 0; i < nif->dns_count; i++) {
          fprintf(stderr, " %s", ipv4_addr_format(nif->dns[i], a));
        }
        fprintf(stderr, " after %d tries of %d ms\n", NET_DNS_TRIES, NET_DNS_TIMEOUT_MS);
        break;
      default:
        fprintf(stderr, "vnet resolve: %s: %s\n", name, net_strerror(w.rc));
        break;
    }
    return 1;
  }
  if (w.res.canonical[0]) printf("%s is an alias for %s\n", name, w.res.canonical);
  for (unsigned i = 0; i < w.res.count; i++) {
    printf("%s has address %s\n", w.res.canonical[0] ? w.res.canonical : name,
           ipv4_addr_format(w.res.addrs[i], a));
  }
  return 0;
}
