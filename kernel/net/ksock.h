// The kernel's socket layer: TCP and UDP sockets over net/ for EL0 programs (SYS_SOCKET_*, see
// docs/syscalls.md), kept in the program's fd table. This header is the kernel-internal part,
// for subsystems that run a protocol over a program's socket (kernel TLS).
//
// All calls come from the one kernel context (a syscall of the current program); nothing here
// may be called from an interrupt handler.
#ifndef KERNEL_NET_KSOCK_H_
#define KERNEL_NET_KSOCK_H_

#include <stddef.h>
#include <stdint.h>

struct ksock;

// The connected TCP socket behind descriptor fd of the current program. On failure NULL and
// *err is a negative VDOS errno: -EBADF (not an open descriptor), -ENOTSOCK (a file or the
// console), -EOPNOTSUPP (UDP or listening socket), -ENOTCONN (not connected, still connecting,
// or the connection failed; SO_ERROR says why).
// The pointer is valid until the syscall that looked it up returns: look it up again on every
// syscall (the program may close the descriptor in between).
struct ksock *ksock_get(int fd, int *err);

// Queues all len bytes (kernel memory), waiting for room in the send buffer while polling the
// stack. Returns len; or, when an error, the timeout or Ctrl-C stops it after some bytes were
// queued, that count; otherwise a negative VDOS errno: -ETIMEDOUT, -EINTR, -EPIPE (shut down for
// writing), -ECONNRESET, ... timeout_ms 0 waits without limit (Ctrl-C still ends the wait).
// The socket's non-blocking mode and SO_SNDTIMEO do not apply.
long ksock_send_k(struct ksock *s, const void *buf, size_t len, uint32_t timeout_ms);

// Waits until received data is there and copies up to len bytes into buf (kernel memory).
// Returns the byte count (> 0), 0 at end of stream (peer's FIN), or a negative VDOS errno:
// -ETIMEDOUT, -EINTR, -ECONNRESET, ... timeout_ms 0 waits without limit.
long ksock_recv_k(struct ksock *s, void *buf, size_t len, uint32_t timeout_ms);

// A number unique to this socket among all sockets created since boot: a descriptor number can
// be reused by a new socket after a close, this cannot (0 is never used).
uint32_t ksock_id(const struct ksock *s);

// Addresses of the connection (host byte order); either pointer may be NULL.
void ksock_addrs(const struct ksock *s, uint32_t *local_ip, uint16_t *local_port,
                 uint32_t *remote_ip, uint16_t *remote_port);

// ---- for proc.c

// SYS_SOCKET_* (0x50-0x5E except 0x55) with x0..x5; the result for x0.
long ksock_syscall(uint64_t nr, const uint64_t args[6]);
// SYS_READ / SYS_WRITE on a socket descriptor: recv/send with a user buffer.
long ksock_recv(struct ksock *s, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t ufrom);
long ksock_send(struct ksock *s, uint64_t ubuf, uint64_t len, uint64_t flags, uint64_t uto);
// SYS_CLOSE on a socket descriptor of the current program.
long ksock_close_fd(uint64_t fd);
// Closes every socket of a program that is ending: connections with unread data are reset,
// others get a FIN and finish closing in the kernel (owner pid 0); listeners are closed.
void ksock_proc_exit(int pid);
// Socket counters as "name value" lines; snprintf-like result.
size_t ksock_format_stats(char *buf, size_t cap);

// The TLS subsystem's syscalls (0xD0-0xD5): proc.c calls this (a weak reference: -ENOSYS
// until kernel/tls links it in) with the call number and x0..x5.
long ktls_syscall(uint64_t nr, const uint64_t args[6]);

#endif  // KERNEL_NET_KSOCK_H_
