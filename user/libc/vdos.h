// ViperDOS user-space system call layer (on top of picolibc for the C basics).
#ifndef USER_LIBC_VDOS_H_
#define USER_LIBC_VDOS_H_

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/clock.h"
#include "kernel/abi/syscalls.h"

long vdos_syscall(long nr, long a, long b, long c, long d, long e);

static inline long vdos_write(int fd, const void *buf, size_t n) {
  return vdos_syscall(SYS_WRITE, fd, (long)buf, (long)n, 0, 0);
}
static inline long vdos_read(int fd, void *buf, size_t n) {
  return vdos_syscall(SYS_READ, fd, (long)buf, (long)n, 0, 0);
}
static inline long vdos_open(const char *path, int flags) {
  return vdos_syscall(SYS_OPEN, (long)path, flags, 0, 0, 0);
}
static inline long vdos_close(int fd) { return vdos_syscall(SYS_CLOSE, fd, 0, 0, 0, 0); }
static inline long vdos_spawn(const char *path, const char *const *argv, int argc) {
  return vdos_syscall(SYS_SPAWN, (long)path, (long)argv, argc, 0, 0);
}
static inline long vdos_wait(int pid, int *status) {
  return vdos_syscall(SYS_WAIT, pid, (long)status, 0, 0, 0);
}
static inline long vdos_stat(const char *path, struct vdos_stat *st) {
  return vdos_syscall(SYS_STAT, (long)path, (long)st, 0, 0, 0);
}
static inline long vdos_readdir(const char *path, size_t i, struct vdos_dirent *e) {
  return vdos_syscall(SYS_READDIR, (long)path, (long)i, (long)e, 0, 0);
}
static inline long vdos_mkdir(const char *path) {
  return vdos_syscall(SYS_MKDIR, (long)path, 0, 0, 0, 0);
}
static inline long vdos_rmdir(const char *path) {
  return vdos_syscall(SYS_RMDIR, (long)path, 0, 0, 0, 0);
}
static inline long vdos_unlink(const char *path) {
  return vdos_syscall(SYS_UNLINK, (long)path, 0, 0, 0, 0);
}
static inline long vdos_rename(const char *a, const char *b) {
  return vdos_syscall(SYS_RENAME, (long)a, (long)b, 0, 0, 0);
}
// Monotonic nanoseconds since boot, read from the counter without entering the kernel (the
// same value SYS_TIME_NS returns; see kernel/abi/clock.h).
static inline uint64_t vdos_time_ns(void) {
  static uint64_t mult;  // per translation unit: the frequency never changes
  if (!mult) mult = vdos_clock_mult(vdos_clock_freq());
  return vdos_clock_ns(vdos_clock_count(), mult);
}
static inline long vdos_sleep_ms(unsigned ms) { return vdos_syscall(SYS_SLEEP_MS, ms, 0, 0, 0, 0); }
static inline long vdos_meminfo(struct vdos_meminfo *m) {
  return vdos_syscall(SYS_MEMINFO, (long)m, 0, 0, 0, 0);
}
static inline long vdos_getrandom(void *buf, size_t n) {
  return vdos_syscall(SYS_GETRANDOM, (long)buf, (long)n, 0, 0, 0);
}
static inline long vdos_version(char *buf, size_t n) {
  return vdos_syscall(SYS_VERSION, (long)buf, (long)n, 0, 0, 0);
}
static inline void vdos_shutdown(void) { vdos_syscall(SYS_SHUTDOWN, 0, 0, 0, 0, 0); }

// Text of a VDOS_E* error number (positive).
const char *vdos_strerror(long err);

#endif  // USER_LIBC_VDOS_H_
