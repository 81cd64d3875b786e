// Access to the current program's memory and state from kernel code outside proc.c (sockets,
// TLS). One program runs at a time, so "current" is always the caller of the syscall being
// served. Every user pointer goes through these checks: nothing else may dereference one.
#ifndef KERNEL_PROC_UACCESS_H_
#define KERNEL_PROC_UACCESS_H_

#include <stddef.h>
#include <stdint.h>

// Copies n bytes between kernel memory and the current program's address space. 0, or
// -VDOS_EFAULT when any byte of the user range is unmapped, kernel-only, wraps around, or (for
// copy_to_user) is not writable. Nothing is copied on failure.
int copy_from_user(void *dst, uint64_t src, size_t n);
int copy_to_user(uint64_t dst, const void *src, size_t n);
// Copies a NUL-terminated string of at most max-1 characters: 0, -VDOS_EFAULT, or
// -VDOS_ENAMETOOLONG when no NUL is found within max bytes.
int copy_str_from_user(char *dst, uint64_t src, size_t max);
// 1 when [addr, addr+n) is accessible to the current program (write: also writable).
int user_range_ok(uint64_t addr, size_t n, int write);

// Pid of the current program (1 is the shell).
int proc_current_pid(void);
// Non-zero once Ctrl-C asked the current program to stop: blocking calls return -VDOS_EINTR.
int proc_interrupted(void);

// Called with the pid of a program that is ending (exit, crash, Ctrl-C), before its address
// space goes away, so subsystems free what it held. At most PROC_EXIT_HOOKS hooks; -1 if full.
#define PROC_EXIT_HOOKS 4
int proc_register_exit_hook(void (*fn)(int pid));

// ---- descriptors: files and sockets share the program's table (0-2 are the console)
struct ksock;
#define PROC_FD_NONE 0  // closed or out of range
#define PROC_FD_CONSOLE 1
#define PROC_FD_FILE 2
#define PROC_FD_SOCKET 3
int proc_fd_kind(uint64_t fd);
// Puts s into the lowest free descriptor: the fd, or -VDOS_EMFILE when the table is full.
int proc_fd_install_sock(struct ksock *s);
// The socket behind fd; NULL with *err = -VDOS_EBADF (closed/out of range) or -VDOS_ENOTSOCK.
struct ksock *proc_fd_sock(uint64_t fd, int *err);
// Frees the descriptor slot (the socket itself is the caller's business).
void proc_fd_release(uint64_t fd);

#endif  // KERNEL_PROC_UACCESS_H_
