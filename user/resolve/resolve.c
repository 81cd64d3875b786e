// resolve NAME: looks up NAME's IPv4 addresses through SYS_DNS_RESOLVE (the kernel's DNS client)
// and prints them `host`-style. Exit 0 on success, 1 with a message on failure, 2 on bad usage.
// It asks the kernel directly rather than through getaddrinfo: only the raw answer tells an alias
// (CNAME) from the name, and NXDOMAIN from a name without IPv4 addresses.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>

#include "user/libc/vdos.h"

static const char *err_text(long e) {
  switch (-e) {
    case VDOS_ENOENT:
      return "name does not exist (NXDOMAIN)";
    case VDOS_ENODATA:
      return "no IPv4 address for this name";
    case VDOS_ETIMEDOUT:
      return "no answer from the DNS server (timed out)";
    case VDOS_ECONNREFUSED:
      return "DNS server refused the connection (port unreachable)";
    case VDOS_EINVAL:
      return "invalid name";
    case VDOS_ENETDOWN:
      return "network is down";
    case VDOS_EIO:
      return "server failure";
    case VDOS_EINTR:
      return "interrupted";
    default:
      return "lookup failed";
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    puts("usage: resolve NAME");
    return 2;
  }
  static struct vdos_dns_result res;
  long r = vdos_syscall(SYS_DNS_RESOLVE, (long)argv[1], (long)&res, 0, 0, 0);
  if (r < 0) {
    printf("resolve: %s: %s (%ld)\n", argv[1], err_text(r), r);
    return 1;
  }
  if (res.canonical[0]) printf("%s is an alias for %s.\n", argv[1], res.canonical);
  const char *name = res.canonical[0] ? res.canonical : argv[1];
  for (unsigned i = 0; i < res.count && i < VDOS_DNS_MAX_ADDRS; i++) {
    char ip[INET_ADDRSTRLEN];
    struct in_addr in = {.s_addr = htonl(res.addrs[i])};
    printf("%s has address %s\n", name, inet_ntop(AF_INET, &in, ip, sizeof(ip)));
  }
  return 0;
}
