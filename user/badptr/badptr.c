// Passes bad pointers and absurd lengths to every syscall that takes them; each must fail with
// -EFAULT or -EINVAL (or another clean error), never crash the kernel.
#include <stdio.h>

#include "user/libc/vdos.h"

static int failures;

static void check(const char *what, long got, long want1, long want2) {
  if (got != want1 && got != want2) {
    printf("badptr: FAIL %s returned %ld\n", what, got);
    failures++;
  }
}

int main(void) {
  const long F = -VDOS_EFAULT, I = -VDOS_EINVAL;
  void *kernel = (void *)0x40200000;     // kernel text: EL1-only
  void *unmapped = (void *)0x120000000;  // inside the user window, never mapped
  void *null = 0;
  char buf[64];
  struct vdos_stat st;
  struct vdos_dirent de;
  const char *argv_bad[2] = {(const char *)kernel, 0};

  check("write null", vdos_write(1, null, 10), F, F);
  check("write kernel", vdos_write(1, kernel, 16), F, F);
  check("write huge", vdos_write(1, buf, (size_t)1 << 62), F, I);
  check("write wrap", vdos_write(1, (void *)-16L, 64), F, F);
  check("read null", vdos_read(0, null, 1), F, F);
  check("read kernel", vdos_read(0, kernel, 1), F, F);
  check("read rodata", vdos_read(0, (void *)"const", 1), F, F);
  check("open null", vdos_open(null, 0), F, F);
  check("open kernel", vdos_open(kernel, 0), F, F);
  check("open unmapped", vdos_open(unmapped, 0), F, F);
  check("open flags", vdos_open("/x", 0x7fffffff), I, I);
  check("stat null", vdos_stat(null, &st), F, F);
  check("stat out", vdos_stat("/", (struct vdos_stat *)kernel), F, F);
  check("readdir out", vdos_readdir("/", 0, (struct vdos_dirent *)unmapped), F, F);
  check("readdir path", vdos_readdir(kernel, 0, &de), F, F);
  check("mkdir", vdos_mkdir(unmapped), F, F);
  check("unlink", vdos_unlink(null), F, F);
  check("rename", vdos_rename("/x", kernel), F, -VDOS_ENOENT);
  check("spawn path", vdos_spawn(kernel, 0, 0), F, F);
  check("spawn argv", vdos_spawn("hello", (const char *const *)unmapped, 1), F, F);
  check("spawn argv str", vdos_spawn("hello", argv_bad, 1), F, F);
  check("spawn argc", vdos_spawn("hello", argv_bad, 100000), -VDOS_E2BIG, I);
  check("wait status", vdos_wait(0, (int *)kernel), -VDOS_ECHILD, F);
  check("getrandom", vdos_getrandom(kernel, 8), F, F);
  check("getrandom huge", vdos_getrandom(buf, (size_t)1 << 40), I, F);
  check("meminfo", vdos_meminfo((struct vdos_meminfo *)kernel), F, F);
  check("version", vdos_version((char *)kernel, 32), F, F);
  check("version len", vdos_version(buf, (size_t)1 << 40), I, I);
  check("sleep", vdos_sleep_ms(0xffffffffu), I, I);
  check("unknown", vdos_syscall(0x7ff, 0, 0, 0, 0, 0), -VDOS_ENOSYS, -VDOS_ENOSYS);
  check("unassigned call", vdos_syscall(0x5F, 0, 0, 0, 0, 0), -VDOS_ENOSYS, -VDOS_ENOSYS);
  // Sockets (user/sockabuse covers every call in depth): pointers are checked before anything
  // else; without a NIC the calls answer -ENETDOWN instead.
  const long D = -VDOS_ENETDOWN;
  long sock = vdos_syscall(SYS_SOCKET_CREATE, VDOS_AF_INET, VDOS_SOCK_DGRAM, 0, 0, 0);
  check("socket poll", vdos_syscall(SYS_SOCKET_POLL, (long)kernel, 1, 0, 0, 0), F, D);
  check("socket info", vdos_syscall(SYS_SOCKET_INFO, 0, (long)unmapped, 0, 0, 0), F, D);
  if (sock >= 0) {
    check("socket connect", vdos_syscall(SYS_SOCKET_CONNECT, sock, (long)kernel, 0, 0, 0), F, F);
    check("socket send", vdos_syscall(SYS_SOCKET_SEND, sock, (long)null, 8, 0, 0), F, F);
    check("socket recv", vdos_syscall(SYS_SOCKET_RECV, sock, (long)"const", 1, 0, 0), F, F);
    check("socket getopt", vdos_syscall(SYS_SOCKET_GETOPT, sock, 1, 3, (long)kernel, 4), F, F);
    check("socket close", vdos_syscall(SYS_SOCKET_CLOSE, sock, 0, 0, 0, 0), 0, 0);
  } else {
    check("socket create", sock, D, D);
  }
  // A long unterminated path must be refused, not overrun.
  static char longpath[VDOS_PATH_MAX * 2];
  for (unsigned i = 0; i < sizeof(longpath); i++) longpath[i] = 'a';
  check("open long", vdos_open(longpath, 0), -VDOS_ENAMETOOLONG, F);
  printf("badptr: %s (%d failures)\n", failures ? "FAILED" : "all syscalls refused bad input",
         failures);
  return failures;
}
