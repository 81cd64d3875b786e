// tlsabuse: bad input to every SYS_TLS_* call from a ViperDOS program. Each call must fail with
// its own clear error (never crash the kernel, never act on a bad pointer), and a session must
// keep working after refused calls. The last check leaves 16 sessions open and exits: the kernel
// frees them (tests/tls checks the heap afterwards).
//
//   tlsabuse HOST PORT CAFILE      (HOST must resolve; PORT a TLS 1.3 server with -www)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "user/libc/vdos.h"

#define KERNEL_ADDR 0x40080000l  // the kernel image: never accessible from EL0
#define UNMAPPED_ADDR 0x7f0000000l

static int failures, checks;

static void expect(const char *what, long got, long want) {
  checks++;
  if (got != want) {
    printf("FAIL: %s: got %ld, want %ld\n", what, got, want);
    failures++;
  }
}

static long create(int fd, const struct vdos_tls_config *c) {
  return vdos_syscall(SYS_TLS_CREATE, fd, (long)c, 0, 0, 0);
}

static int connect_to(const char *host, int port) {
  static struct vdos_dns_result res;
  if (vdos_syscall(SYS_DNS_RESOLVE, (long)host, (long)&res, 0, 0, 0) <= 0) return -1;
  long fd = vdos_syscall(SYS_SOCKET_CREATE, VDOS_AF_INET, VDOS_SOCK_STREAM, VDOS_IPPROTO_TCP, 0, 0);
  if (fd < 0) return -1;
  struct vdos_sockaddr_in to = {VDOS_AF_INET, (unsigned short)port, res.addrs[0]};
  if (vdos_syscall(SYS_SOCKET_CONNECT, fd, (long)&to, 0, 0, 0) != 0) return -1;
  return (int)fd;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    puts("usage: tlsabuse HOST PORT CAFILE");
    return 2;
  }
  const char *host = argv[1];
  int port = atoi(argv[2]);
  static char ca[VDOS_TLS_CA_MAX];
  long cafd = vdos_open(argv[3], VDOS_O_RDONLY);
  long calen = cafd >= 0 ? vdos_read((int)cafd, ca, sizeof(ca)) : -1;
  if (calen <= 0) {
    printf("tlsabuse: cannot read %s\n", argv[3]);
    return 2;
  }
  int fd = connect_to(host, port);
  if (fd < 0) {
    printf("tlsabuse: cannot connect to %s:%d\n", host, port);
    return 2;
  }
  struct vdos_tls_config good = {host, 1, 5000, NULL, ca, (unsigned long)calen};
  struct vdos_tls_config c;

  // ---- create: the configuration and everything it points to
  expect("create, NULL config", create(fd, NULL), -VDOS_EFAULT);
  expect("create, config in kernel memory", create(fd, (void *)KERNEL_ADDR), -VDOS_EFAULT);
  expect("create, config unmapped", create(fd, (void *)UNMAPPED_ADDR), -VDOS_EFAULT);
  expect("create, fd -1", create(-1, &good), -VDOS_EBADF);
  expect("create, fd 1000", create(1000, &good), -VDOS_EBADF);
  expect("create, the console", create(0, &good), -VDOS_ENOTSOCK);
  c = good;
  c.verify = 2;
  expect("create, verify 2", create(fd, &c), -VDOS_EINVAL);
  c = good;
  c.hostname = NULL;
  expect("create, verify without a host name", create(fd, &c), -VDOS_EINVAL);
  c.hostname = (const char *)KERNEL_ADDR;
  expect("create, host name in kernel memory", create(fd, &c), -VDOS_EFAULT);
  static char longname[400];
  memset(longname, 'a', sizeof(longname) - 1);
  c.hostname = longname;
  expect("create, 399-byte host name", create(fd, &c), -VDOS_EINVAL);
  c = good;
  c.alpn = "h2,,http/1.1";
  expect("create, empty ALPN item", create(fd, &c), -VDOS_EINVAL);
  c.alpn = (const char *)UNMAPPED_ADDR;
  expect("create, ALPN unmapped", create(fd, &c), -VDOS_EFAULT);
  c = good;
  c.ca_pem_len = VDOS_TLS_CA_MAX + 1;
  expect("create, CA over 64 KiB", create(fd, &c), -VDOS_EINVAL);
  c.ca_pem_len = 0;
  expect("create, CA pointer with length 0", create(fd, &c), -VDOS_EINVAL);
  c.ca_pem = (const void *)KERNEL_ADDR;
  c.ca_pem_len = 100;
  expect("create, CA in kernel memory", create(fd, &c), -VDOS_EFAULT);
  c.ca_pem = "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n";
  c.ca_pem_len = strlen(c.ca_pem);
  expect("create, CA that is no certificate", create(fd, &c), -VDOS_ETLS_BAD_CERT);

  // ---- handles that are not sessions
  expect("handshake, handle -1", vdos_syscall(SYS_TLS_HANDSHAKE, -1, 0, 0, 0, 0), -VDOS_EBADF);
  expect("handshake, handle 12345", vdos_syscall(SYS_TLS_HANDSHAKE, 12345, 0, 0, 0, 0),
         -VDOS_EBADF);
  expect("close, handle 7", vdos_syscall(SYS_TLS_CLOSE, 7, 0, 0, 0, 0), -VDOS_EBADF);

  // ---- a real session: refused calls leave it working
  long h = create(fd, &good);
  checks++;
  if (h < 0) {
    printf("FAIL: create with a good configuration: %ld\n", h);
    return 1;
  }
  struct vdos_tls_info info;
  expect("info before the handshake", vdos_syscall(SYS_TLS_INFO, h, (long)&info, 0, 0, 0),
         -VDOS_ENOTCONN);
  expect("send before the handshake", vdos_syscall(SYS_TLS_SEND, h, (long)"x", 1, 0, 0),
         -VDOS_ENOTCONN);
  expect("handshake", vdos_syscall(SYS_TLS_HANDSHAKE, h, 0, 0, 0, 0), 0);
  expect("handshake again", vdos_syscall(SYS_TLS_HANDSHAKE, h, 0, 0, 0, 0), 0);
  expect("info to NULL", vdos_syscall(SYS_TLS_INFO, h, 0, 0, 0, 0), -VDOS_EFAULT);
  expect("info to kernel memory", vdos_syscall(SYS_TLS_INFO, h, KERNEL_ADDR, 0, 0, 0),
         -VDOS_EFAULT);
  expect("info to read-only memory", vdos_syscall(SYS_TLS_INFO, h, (long)"constant", 0, 0, 0),
         -VDOS_EFAULT);
  expect("send from NULL", vdos_syscall(SYS_TLS_SEND, h, 0, 10, 0, 0), -VDOS_EFAULT);
  expect("send, 1 TiB", vdos_syscall(SYS_TLS_SEND, h, (long)"x", 1l << 40, 0, 0), -VDOS_EINVAL);
  expect("send from kernel memory", vdos_syscall(SYS_TLS_SEND, h, KERNEL_ADDR, 100, 0, 0),
         -VDOS_EFAULT);
  static const char ro[64] = "read-only";
  expect("recv into read-only memory", vdos_syscall(SYS_TLS_RECV, h, (long)ro, sizeof(ro), 0, 0),
         -VDOS_EFAULT);
  expect("recv into kernel memory", vdos_syscall(SYS_TLS_RECV, h, KERNEL_ADDR, 100, 0, 0),
         -VDOS_EFAULT);
  expect("recv of 0 bytes", vdos_syscall(SYS_TLS_RECV, h, 0, 0, 0, 0), 0);
  static const char req[] = "GET / HTTP/1.0\r\n\r\n";
  expect("send a request", vdos_syscall(SYS_TLS_SEND, h, (long)req, sizeof(req) - 1, 0, 0),
         (long)(sizeof(req) - 1));
  static char buf[4096];
  long n = vdos_syscall(SYS_TLS_RECV, h, (long)buf, sizeof(buf) - 1, 0, 0);
  checks++;
  if (n <= 0 || strncmp(buf, "HTTP/1.0 200", 12) != 0) {
    printf("FAIL: the session does not work after refused calls (%ld)\n", n);
    failures++;
  }
  expect("close", vdos_syscall(SYS_TLS_CLOSE, h, 0, 0, 0, 0), 0);
  expect("close again", vdos_syscall(SYS_TLS_CLOSE, h, 0, 0, 0, 0), -VDOS_EBADF);
  expect("recv after close", vdos_syscall(SYS_TLS_RECV, h, (long)buf, 10, 0, 0), -VDOS_EBADF);

  // ---- the table is bounded: 16 sessions (no I/O needed to hold one), the 17th is refused
  struct vdos_tls_config insecure = {NULL, 0, 1000, NULL, NULL, 0};
  int made = 0;
  long r = 0;
  while (made < 64 && (r = create(fd, &insecure)) >= 0) made++;
  expect("sessions before the table is full", made, 16);
  expect("the 17th session", r, -VDOS_EMFILE);
  printf("tlsabuse: %d checks, %d failed; exiting with %d sessions open\n", checks, failures, made);
  return failures ? 1 : 0;
}
