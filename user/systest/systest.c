// systest: checks kernel services from EL0 with precise expectations and prints one line per
// area, "systest: <area> ok" or "systest: FAIL ...".
//   files   - open/read/write/lseek/stat/readdir/mkdir/rmdir/rename/unlink and their errors
//   limits  - filling the RAM fs until -ENOSPC, then deleting: heap accounting returns to base
//   sleep   - sleep_ms on the timer queue lasts as long as asked
//   fp      - FP/SIMD registers survive a child program that overwrites all of them
// "systest clobber" is the child used by the fp check.
#include <stdio.h>
#include <string.h>

#include "user/libc/vdos.h"

static int failures;

#define CHECK(cond)                                               \
  do {                                                            \
    if (!(cond)) {                                                \
      printf("systest: FAIL %s:%d: %s\n", area, __LINE__, #cond); \
      failures++;                                                 \
      return;                                                     \
    }                                                             \
  } while (0)

static void files(void) {
  const char *area = "files";
  CHECK(vdos_mkdir("/t") == 0);
  CHECK(vdos_mkdir("/t") == -VDOS_EEXIST);
  long fd = vdos_open("/t/a", VDOS_O_RDWR | VDOS_O_CREAT);
  CHECK(fd >= 3);
  CHECK(vdos_write((int)fd, "hello world", 11) == 11);
  CHECK(vdos_syscall(SYS_LSEEK, fd, 6, 0, 0, 0) == 6);
  char buf[32] = {0};
  CHECK(vdos_read((int)fd, buf, sizeof(buf)) == 5 && memcmp(buf, "world", 5) == 0);
  CHECK(vdos_read((int)fd, buf, sizeof(buf)) == 0);  // end of file
  CHECK(vdos_syscall(SYS_LSEEK, fd, -1, 0, 0, 0) == -VDOS_EINVAL);
  CHECK(vdos_syscall(SYS_LSEEK, fd, 0, 7, 0, 0) == -VDOS_EINVAL);
  CHECK(vdos_close((int)fd) == 0);
  CHECK(vdos_close((int)fd) == -VDOS_EBADF);
  struct vdos_stat st;
  CHECK(vdos_stat("/t/a", &st) == 0 && st.size == 11 && (st.mode & VDOS_S_IFREG));
  CHECK(vdos_stat("/t", &st) == 0 && (st.mode & VDOS_S_IFDIR));
  CHECK(vdos_open("/t", VDOS_O_RDONLY) == -VDOS_EISDIR);
  CHECK(vdos_open("/t/missing", VDOS_O_RDONLY) == -VDOS_ENOENT);
  CHECK(vdos_open("/t/a/x", VDOS_O_RDONLY) == -VDOS_ENOTDIR);
  CHECK(vdos_rename("/t/a", "/t/b") == 0);
  CHECK(vdos_stat("/t/a", &st) == -VDOS_ENOENT);
  CHECK(vdos_rename("/t", "/t/sub") == -VDOS_EINVAL);  // below itself
  CHECK(vdos_mkdir("/t/sub") == 0);
  CHECK(vdos_rename("/t", "/t/sub/t") == -VDOS_EINVAL);  // into itself
  struct vdos_dirent e;
  int n = 0;
  for (size_t i = 0; vdos_readdir("/t", i, &e) == 1 && i < 10; i++) n++;
  CHECK(n == 2);
  CHECK(vdos_rmdir("/t") == -VDOS_ENOTEMPTY);
  CHECK(vdos_unlink("/t/sub") == -VDOS_EISDIR);
  CHECK(vdos_rmdir("/t/sub") == 0);
  CHECK(vdos_unlink("/t/b") == 0);
  CHECK(vdos_rmdir("/t") == 0);
  // Descriptors are bounded.
  long fds[16];
  int opened = 0;
  for (int i = 0; i < 16; i++) {
    fds[i] = vdos_open("/etc/motd", VDOS_O_RDONLY);
    if (fds[i] < 0) break;
    opened++;
  }
  CHECK(opened == 13 && vdos_open("/etc/motd", VDOS_O_RDONLY) == -VDOS_EMFILE);
  for (int i = 0; i < opened; i++) vdos_close((int)fds[i]);
  printf("systest: files ok\n");
}

static void limits(void) {
  const char *area = "limits";
  struct vdos_meminfo before, full, after;
  vdos_meminfo(&before);
  static char chunk[64 * 1024];
  memset(chunk, 'x', sizeof(chunk));
  int files = 0;
  long err = 0;
  char name[32];
  for (; files < 64 && !err; files++) {
    snprintf(name, sizeof(name), "/fill%d", files);
    long fd = vdos_open(name, VDOS_O_WRONLY | VDOS_O_CREAT);
    CHECK(fd >= 0);
    for (int k = 0; k < 16; k++) {  // up to 1 MiB per file
      long w = vdos_write((int)fd, chunk, sizeof(chunk));
      if (w < 0) {
        err = w;
        break;
      }
    }
    vdos_close((int)fd);
  }
  vdos_meminfo(&full);
  CHECK(err == -VDOS_ENOSPC);
  CHECK(full.heap_failures > before.heap_failures);
  CHECK(full.heap_used <= full.heap_limit);
  for (int i = 0; i < files; i++) {
    snprintf(name, sizeof(name), "/fill%d", i);
    CHECK(vdos_unlink(name) == 0);
  }
  vdos_meminfo(&after);
  CHECK(after.heap_used == before.heap_used);
  CHECK(after.heap_allocs == before.heap_allocs);
  printf("systest: limits ok (ENOSPC after %d files, heap back to %lu bytes)\n", files,
         after.heap_used);
}

static void random_check(void) {
  const char *area = "random";
  unsigned char a[64], b[64], zero[64] = {0};
  CHECK(vdos_getrandom(a, sizeof(a)) == 64);
  CHECK(vdos_getrandom(b, sizeof(b)) == 64);
  CHECK(memcmp(a, b, sizeof(a)) != 0 && memcmp(a, zero, sizeof(a)) != 0);
  int counts[256] = {0};
  static unsigned char big[64 * 1024];
  CHECK(vdos_getrandom(big, sizeof(big)) == (long)sizeof(big));
  for (size_t i = 0; i < sizeof(big); i++) counts[big[i]]++;
  // 65536 bytes over 256 values: about 256 each; a stuck or biased source falls far outside.
  for (int v = 0; v < 256; v++) CHECK(counts[v] > 150 && counts[v] < 380);
  printf("systest: random ok\n");
}

static void sleep_check(void) {
  const char *area = "sleep";
  uint64_t t0 = vdos_time_ns();
  CHECK(vdos_sleep_ms(250) == 0);
  uint64_t dt = vdos_time_ns() - t0;
  CHECK(dt >= 250000000ull && dt < 2000000000ull);
  // The clock read in user space (the counter, no system call) and the kernel's SYS_TIME_NS are
  // one clock: a kernel reading taken between two user readings lies between them.
  for (int i = 0; i < 100; i++) {
    uint64_t u0 = vdos_time_ns();
    uint64_t k = (uint64_t)vdos_syscall(SYS_TIME_NS, 0, 0, 0, 0, 0);
    uint64_t u1 = vdos_time_ns();
    CHECK(u0 <= k && k <= u1 && u1 - u0 < 100000000ull);
  }
  printf("systest: sleep ok\n");
}

static void fp(void) {
  const char *area = "fp";
  unsigned long before[16], after[16];
  for (int i = 0; i < 16; i++) before[i] = 0x1111111111111111ul * (unsigned long)(i + 1);
  const char *argv[] = {"systest", "clobber"};
  long pid;
  // One asm block: load d16-d31, spawn (returns after the child ended), store d16-d31.
  register long x0 __asm__("x0") = (long)"systest";
  register long x1 __asm__("x1") = (long)argv;
  register long x2 __asm__("x2") = 2;
  register long x8 __asm__("x8") = SYS_SPAWN;
  register unsigned long *in __asm__("x9") = before;
  register unsigned long *out __asm__("x10") = after;
  __asm__ volatile(
      "ldp d16, d17, [x9, #0]\n ldp d18, d19, [x9, #16]\n ldp d20, d21, [x9, #32]\n"
      "ldp d22, d23, [x9, #48]\n ldp d24, d25, [x9, #64]\n ldp d26, d27, [x9, #80]\n"
      "ldp d28, d29, [x9, #96]\n ldp d30, d31, [x9, #112]\n"
      "svc #0\n"
      "stp d16, d17, [x10, #0]\n stp d18, d19, [x10, #16]\n stp d20, d21, [x10, #32]\n"
      "stp d22, d23, [x10, #48]\n stp d24, d25, [x10, #64]\n stp d26, d27, [x10, #80]\n"
      "stp d28, d29, [x10, #96]\n stp d30, d31, [x10, #112]\n"
      : "+r"(x0)
      : "r"(x1), "r"(x2), "r"(x8), "r"(in), "r"(out)
      : "memory", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26",
        "v27", "v28", "v29", "v30", "v31");
  pid = x0;
  CHECK(pid > 0);
  int status = -1;
  CHECK(vdos_wait((int)pid, &status) == pid && status == 0x5a);
  for (int i = 0; i < 16; i++) CHECK(after[i] == before[i]);
  printf("systest: fp ok\n");
}

static int clobber(void) {
  // Overwrite every FP/SIMD register, then exit: the parent must not see any of it.
  __asm__ volatile(
      "movi v0.16b, #0xee\n"
      ".irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,"
      "30,31\n mov v\\r\\().16b, v0.16b\n .endr\n" ::
          : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13",
            "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25",
            "v26", "v27", "v28", "v29", "v30", "v31");
  return 0x5a;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "clobber") == 0) return clobber();
  files();
  limits();
  sleep_check();
  random_check();
  fp();
  printf("systest: %s\n", failures ? "FAILED" : "all ok");
  return failures;
}
