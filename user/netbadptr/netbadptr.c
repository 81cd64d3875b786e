// Bad pointers and absurd lengths for the network syscalls (SYS_PING, SYS_DNS_RESOLVE,
// SYS_NET_STATS): each must fail cleanly with -EFAULT or -EINVAL and never crash the kernel;
// valid calls next to them must still work.
#include <stdio.h>
#include <string.h>

#include "user/libc/vdos.h"

static int failures;

static void check(const char *what, long got, long want) {
  if (got != want) {
    printf("netbadptr: FAIL %s returned %ld, want %ld\n", what, got, want);
    failures++;
  }
}

static long ping(long dst, long seq, long len, long timeout, void *out) {
  return vdos_syscall(SYS_PING, dst, seq, len, timeout, (long)out);
}
static long resolve(const void *name, void *out) {
  return vdos_syscall(SYS_DNS_RESOLVE, (long)name, (long)out, 0, 0, 0);
}
static long stats(void *buf, long cap) {
  return vdos_syscall(SYS_NET_STATS, (long)buf, cap, 0, 0, 0);
}

int main(void) {
  const long F = -VDOS_EFAULT, I = -VDOS_EINVAL;
  void *kernel = (void *)0x40200000;     // kernel text: EL1-only
  void *unmapped = (void *)0x120000000;  // inside the user window, never mapped
  void *rodata = (void *)"read-only string in rodata, long enough for a ping reply record";
  void *wrap = (void *)-16L;
  const long self = 0x7f000001;  // 127.0.0.1, never sent: the call fails before sending
  struct vdos_ping_reply rep;
  static struct vdos_dns_result res;
  static char buf[4096];

  check("ping out null", ping(self, 1, 56, 100, 0), F);
  check("ping out kernel", ping(self, 1, 56, 100, kernel), F);
  check("ping out unmapped", ping(self, 1, 56, 100, unmapped), F);
  check("ping out rodata", ping(self, 1, 56, 100, rodata), F);
  check("ping out wrap", ping(self, 1, 56, 100, wrap), F);
  check("ping size", ping(self, 1, 65508, 100, &rep), I);
  check("ping size huge", ping(self, 1, 1L << 40, 100, &rep), I);
  check("ping timeout 0", ping(self, 1, 56, 0, &rep), I);
  check("ping timeout huge", ping(self, 1, 56, 1L << 33, &rep), I);
  check("ping seq", ping(self, 0x10000, 56, 100, &rep), I);
  check("ping dst", ping(1L << 32, 1, 56, 100, &rep), I);

  check("resolve name null", resolve(0, &res), F);
  check("resolve name kernel", resolve(kernel, &res), F);
  check("resolve name unmapped", resolve(unmapped, &res), F);
  check("resolve name wrap", resolve(wrap, &res), F);
  check("resolve out null", resolve("10.1.2.3", 0), F);
  check("resolve out kernel", resolve("10.1.2.3", kernel), F);
  check("resolve out rodata", resolve("10.1.2.3", rodata), F);
  static char longname[300];
  memset(longname, 'a', sizeof(longname) - 1);
  check("resolve name too long", resolve(longname, &res), I);
  // A dotted quad resolves without the network: proves the call works next to the failures.
  check("resolve quad", resolve("10.1.2.3", &res), 1);
  check("resolve quad value", res.addrs[0], 0x0a010203);

  check("stats null", stats(0, 64), F);
  check("stats kernel", stats(kernel, 64), F);
  check("stats rodata", stats(rodata, 16), F);
  check("stats wrap", stats(wrap, 64), F);
  check("stats huge", stats(buf, 1L << 40), I);
  check("stats just over", stats(buf, VDOS_NET_STATS_MAX + 1), I);
  long need = stats(0, 0);  // length only
  if (need <= 0) check("stats length", need, 1);
  check("stats full", stats(buf, sizeof(buf)), need);
  long small = stats(buf, 8);
  if (small != need || strlen(buf) != 7) check("stats truncated", (long)strlen(buf), 7);
  printf("netbadptr: network syscalls refused bad input (%d failures)\n", failures);
  return failures ? 1 : 0;
}
