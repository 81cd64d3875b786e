// ViperDOS system call ABI, shared by the kernel and user/libc.
//
// Calling convention: `svc #0` with the call number in x8 and arguments in x0..x5; the result
// comes back in x0. Results >= 0 are success values; failures are negative errno values
// (VDOS_E* below), never a separate errno channel.
#ifndef KERNEL_ABI_SYSCALLS_H_
#define KERNEL_ABI_SYSCALLS_H_

// --- Processes
#define SYS_EXIT 0x01    // (int status) -> does not return
#define SYS_SPAWN 0x02   // (const char *path, const char *const argv[], int argc) -> pid
#define SYS_WAIT 0x03    // (int pid, int *status) -> pid
#define SYS_GETPID 0x04  // () -> pid
#define SYS_BRK 0x05     // (void *new_end or NULL) -> current end of the heap
#define SYS_YIELD 0x06   // () -> 0

// --- Console and files (fd 0/1/2 are the console)
#define SYS_READ 0x10          // (int fd, void *buf, size_t len) -> bytes
#define SYS_WRITE 0x11         // (int fd, const void *buf, size_t len) -> bytes
#define SYS_OPEN 0x12          // (const char *path, int flags) -> fd
#define SYS_CLOSE 0x13         // (int fd) -> 0
#define SYS_LSEEK 0x14         // (int fd, long offset, int whence) -> new offset
#define SYS_STAT 0x15          // (const char *path, struct vdos_stat *st) -> 0
#define SYS_READDIR 0x16       // (const char *path, size_t index, struct vdos_dirent *ent) -> 1/0
#define SYS_MKDIR 0x17         // (const char *path) -> 0
#define SYS_RMDIR 0x18         // (const char *path) -> 0
#define SYS_UNLINK 0x19        // (const char *path) -> 0
#define SYS_RENAME 0x1A        // (const char *from, const char *to) -> 0
#define SYS_CONSOLE_MODE 0x1B  // (int raw) -> 0; raw: the program reads keys itself (no Ctrl-C)

// --- Time, entropy, system
#define SYS_TIME_NS 0x20    // () -> monotonic nanoseconds since boot
#define SYS_SLEEP_MS 0x21   // (unsigned ms) -> 0
#define SYS_GETRANDOM 0x22  // (void *buf, size_t len) -> bytes
#define SYS_MEMINFO 0x23    // (struct vdos_meminfo *out) -> 0
#define SYS_SHUTDOWN 0x24   // () -> does not return (PSCI SYSTEM_OFF)
#define SYS_VERSION 0x25    // (char *buf, size_t len) -> length of the version string

// --- Raw network device access (diagnostics and tests until the network stack owns the device)
#define SYS_NETDEV_INFO 0x30  // (struct vdos_netdev_info *out) -> 0, -ENODEV without a NIC
#define SYS_NETDEV_SEND 0x31  // (const void *frame, size_t len) -> 0
#define SYS_NETDEV_RECV 0x32  // (void *buf, size_t cap, unsigned timeout_ms) -> length, 0 if none

// --- Reserved for the network and TLS layers (implemented by later issues)
#define SYS_SOCKET 0x50
#define SYS_BIND 0x51
#define SYS_CONNECT 0x52
#define SYS_SEND 0x53
#define SYS_RECV 0x54
#define SYS_DNS_RESOLVE 0x55  // (const char *name, struct vdos_dns_result *out) -> address count
#define SYS_SOCK_CLOSE 0x56
#define SYS_TLS_FIRST 0xD0
#define SYS_TLS_LAST 0xD5
#define SYS_NET_STATS \
  0xE1  // (char *buf, size_t cap) -> length of the text (cap 0: just the length)
// (unsigned dst, unsigned seq, size_t payload_len, unsigned timeout_ms, struct vdos_ping_reply *)
// -> 0 on an echo reply; -ETIMEDOUT; -EHOSTUNREACH/-ENETUNREACH/... with *out describing the
// ICMP error that came back instead
#define SYS_PING 0xE2

// --- Errors (negated in results)
#define VDOS_EPERM 1
#define VDOS_ENOENT 2
#define VDOS_ESRCH 3
#define VDOS_EINTR 4
#define VDOS_EIO 5
#define VDOS_E2BIG 7
#define VDOS_ENOEXEC 8
#define VDOS_EBADF 9
#define VDOS_ECHILD 10
#define VDOS_EAGAIN 11
#define VDOS_ENOMEM 12
#define VDOS_EFAULT 14
#define VDOS_EBUSY 16
#define VDOS_EEXIST 17
#define VDOS_ENOTDIR 20
#define VDOS_EISDIR 21
#define VDOS_EINVAL 22
#define VDOS_EMFILE 24
#define VDOS_EFBIG 27
#define VDOS_ENOSPC 28
#define VDOS_ESPIPE 29
#define VDOS_ENAMETOOLONG 36
#define VDOS_ENOSYS 38
#define VDOS_ENOTEMPTY 39
#define VDOS_ENODATA 61
#define VDOS_ENETDOWN 100
#define VDOS_ENETUNREACH 101
#define VDOS_ETIMEDOUT 110
#define VDOS_ECONNREFUSED 111
#define VDOS_EHOSTUNREACH 113

// open() flags
#define VDOS_O_RDONLY 0
#define VDOS_O_WRONLY 1
#define VDOS_O_RDWR 2
#define VDOS_O_ACCMODE 3
#define VDOS_O_CREAT 0x40
#define VDOS_O_TRUNC 0x200
#define VDOS_O_APPEND 0x400

// Limits shared by both sides.
#define VDOS_PATH_MAX 256
#define VDOS_NAME_MAX 63
#define VDOS_ARG_MAX 4096  // total bytes of argv strings
#define VDOS_ARGC_MAX 32

#define VDOS_S_IFDIR 0x4000
#define VDOS_S_IFREG 0x8000

struct vdos_stat {
  unsigned int mode;  // VDOS_S_IFDIR or VDOS_S_IFREG
  unsigned int reserved;
  unsigned long size;
};

struct vdos_dirent {
  char name[VDOS_NAME_MAX + 1];
  unsigned int mode;
  unsigned int reserved;
  unsigned long size;
};

struct vdos_meminfo {
  unsigned long total_pages;
  unsigned long free_pages;
  unsigned long heap_limit;
  unsigned long heap_used;
  unsigned long heap_peak;
  unsigned long heap_allocs;
  unsigned long heap_failures;
};

#define VDOS_ENODEV 19

struct vdos_netdev_info {
  unsigned char mac[6];
  unsigned char link_up;
  unsigned char reserved;
  unsigned long rx_frames, rx_bytes, rx_dropped;
  unsigned long tx_frames, tx_bytes, tx_busy;
  unsigned long irqs, errors;
};

// Network: IPv4 addresses are host-byte-order integers (10.0.2.2 = 0x0A000202).
#define VDOS_PING_MAX_PAYLOAD 65507  // larger than one IPv4 datagram can carry
#define VDOS_PING_MAX_TIMEOUT_MS 60000
#define VDOS_NET_STATS_MAX 65536  // larger buffers are refused (-EINVAL)
#define VDOS_DNS_NAME_MAX 253     // longer names are refused (-EINVAL)
#define VDOS_DNS_MAX_ADDRS 8

struct vdos_ping_reply {
  unsigned int from;   // who answered (the target, or a router reporting an error)
  unsigned short seq;  // sequence number echoed back
  unsigned short len;  // ICMP payload bytes received (header excluded)
  unsigned char ttl;
  unsigned char type, code;  // ICMP type/code (0/0 for an echo reply)
  unsigned char reserved[5];
  unsigned long rtt_ns;  // time from sending the request to receiving this reply
};

struct vdos_dns_result {
  unsigned int count;  // entries of addrs used
  unsigned int ttl_s;
  unsigned int addrs[VDOS_DNS_MAX_ADDRS];
  char canonical[256];  // end of the CNAME chain ("" when it is the name asked)
};

#endif  // KERNEL_ABI_SYSCALLS_H_
