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

// --- Sockets (IPv4; see struct vdos_sockaddr_in below). Descriptors share the program's fd table
// with files, so SYS_READ/SYS_WRITE/SYS_CLOSE also work on sockets.
#define SYS_SOCKET_CREATE \
  0x50                           // (int domain, int type, int protocol) -> fd; type may carry
                                 // VDOS_SOCK_NONBLOCK
#define SYS_SOCKET_CONNECT 0x51  // (int fd, const struct vdos_sockaddr_in *to) -> 0
// (int fd, const void *buf, size_t len, int flags, const struct vdos_sockaddr_in *to or NULL)
// -> bytes queued
#define SYS_SOCKET_SEND 0x52
// (int fd, void *buf, size_t len, int flags, struct vdos_sockaddr_in *from or NULL) -> bytes,
// 0 at end of stream
#define SYS_SOCKET_RECV 0x53
#define SYS_SOCKET_CLOSE 0x54   // (int fd) -> 0
#define SYS_DNS_RESOLVE 0x55    // (const char *name, struct vdos_dns_result *out) -> address count
#define SYS_SOCKET_POLL 0x56    // (struct vdos_pollfd *fds, size_t n, int timeout_ms) -> ready
#define SYS_SOCKET_BIND 0x57    // (int fd, const struct vdos_sockaddr_in *local) -> 0
#define SYS_SOCKET_LISTEN 0x58  // (int fd, int backlog) -> 0
#define SYS_SOCKET_ACCEPT 0x59  // (int fd, struct vdos_sockaddr_in *peer or NULL, int flags) -> fd
#define SYS_SOCKET_SHUTDOWN 0x5A  // (int fd, int how: VDOS_SHUT_*) -> 0
#define SYS_SOCKET_GETNAME 0x5B   // (int fd, int peer, struct vdos_sockaddr_in *out) -> 0
// (int fd, int level, int name, const void *val, size_t len) -> 0
#define SYS_SOCKET_SETOPT 0x5C
// (int fd, int level, int name, void *val, size_t cap) -> bytes written to val
#define SYS_SOCKET_GETOPT 0x5D
// (size_t index, struct vdos_sock_info *out) -> 1 filled, 0 past the last socket (all programs)
#define SYS_SOCKET_INFO 0x5E

// --- TLS 1.3 client sessions in the kernel over a connected TCP socket
#define SYS_TLS_CREATE 0xD0     // (int sock_fd, const struct vdos_tls_config *cfg) -> tls handle
#define SYS_TLS_HANDSHAKE 0xD1  // (int h) -> 0
#define SYS_TLS_SEND 0xD2       // (int h, const void *buf, size_t len) -> bytes
#define SYS_TLS_RECV 0xD3       // (int h, void *buf, size_t len) -> bytes, 0 after close_notify
#define SYS_TLS_CLOSE 0xD4      // (int h) -> 0 (sends close_notify; the socket stays open)
#define SYS_TLS_INFO 0xD5       // (int h, struct vdos_tls_info *out) -> 0
#define SYS_TLS_FIRST SYS_TLS_CREATE
#define SYS_TLS_LAST SYS_TLS_INFO

// --- Network diagnostics
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
#define VDOS_EPIPE 32
#define VDOS_ENOTEMPTY 39
#define VDOS_ENODATA 61
#define VDOS_ENOTSOCK 88
#define VDOS_EDESTADDRREQ 89
#define VDOS_EMSGSIZE 90
#define VDOS_EPROTOTYPE 91
#define VDOS_ENOPROTOOPT 92
#define VDOS_EPROTONOSUPPORT 93
#define VDOS_EOPNOTSUPP 95
#define VDOS_EAFNOSUPPORT 97
#define VDOS_EADDRINUSE 98
#define VDOS_EADDRNOTAVAIL 99
#define VDOS_ENETDOWN 100
#define VDOS_ENETUNREACH 101
#define VDOS_ECONNABORTED 103
#define VDOS_ECONNRESET 104
#define VDOS_ENOBUFS 105
#define VDOS_EISCONN 106
#define VDOS_ENOTCONN 107
#define VDOS_ETIMEDOUT 110
#define VDOS_ECONNREFUSED 111
#define VDOS_EHOSTUNREACH 113
#define VDOS_EALREADY 114
#define VDOS_EINPROGRESS 115
// TLS failures (SYS_TLS_*), each distinct so a program can say exactly what went wrong.
#define VDOS_ETLS_UNKNOWN_CA 200     // chain does not lead to a trusted root
#define VDOS_ETLS_NAME_MISMATCH 201  // certificate is not for the requested host name
#define VDOS_ETLS_EXPIRED 202        // a certificate's notAfter has passed
#define VDOS_ETLS_NOT_YET_VALID 203  // a certificate's notBefore is in the future
#define VDOS_ETLS_BAD_CERT 204       // malformed or otherwise unacceptable certificate
#define VDOS_ETLS_VERSION 205        // server does not speak TLS 1.3
#define VDOS_ETLS_HANDSHAKE 206      // other handshake/protocol failure (alert, bad record)
#define VDOS_ETLS_TRUNCATED 207      // peer closed the TCP stream without close_notify

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

// --- Sockets
#define VDOS_AF_INET 2
#define VDOS_SOCK_STREAM 1
#define VDOS_SOCK_DGRAM 2
#define VDOS_SOCK_NONBLOCK 0x800  // or-ed into type (socket) and flags (accept)
#define VDOS_IPPROTO_TCP 6
#define VDOS_IPPROTO_UDP 17

#define VDOS_MSG_PEEK 0x2
#define VDOS_MSG_DONTWAIT 0x40

#define VDOS_SHUT_RD 0
#define VDOS_SHUT_WR 1
#define VDOS_SHUT_RDWR 2

// Option levels and names (Linux numbering, so libc passes POSIX constants through unchanged).
// Values are a 32-bit int; timeouts are milliseconds (0 = wait forever).
#define VDOS_SOL_SOCKET 1
#define VDOS_SO_REUSEADDR 2
#define VDOS_SO_TYPE 3
#define VDOS_SO_ERROR 4  // pending error, cleared by reading it
#define VDOS_SO_SNDBUF 7
#define VDOS_SO_RCVBUF 8
#define VDOS_SO_KEEPALIVE 9
#define VDOS_SO_RCVTIMEO 20
#define VDOS_SO_SNDTIMEO 21
#define VDOS_SO_NONBLOCK 0x7601  // ViperDOS: 0/1, the socket's non-blocking mode (fcntl O_NONBLOCK)
#define VDOS_TCP_NODELAY 1
#define VDOS_TCP_KEEPIDLE 4   // seconds
#define VDOS_TCP_KEEPINTVL 5  // seconds
#define VDOS_TCP_KEEPCNT 6

// Address and port in host byte order (libc converts to and from struct sockaddr_in).
struct vdos_sockaddr_in {
  unsigned short family;  // VDOS_AF_INET
  unsigned short port;
  unsigned int addr;
};

#define VDOS_POLLIN 0x001
#define VDOS_POLLPRI 0x002
#define VDOS_POLLOUT 0x004
#define VDOS_POLLERR 0x008
#define VDOS_POLLHUP 0x010
#define VDOS_POLLNVAL 0x020
#define VDOS_POLL_MAX 64  // more descriptors per call are refused (-EINVAL)

struct vdos_pollfd {
  int fd;  // a socket or the console (0); negative entries are ignored
  short events;
  short revents;
};

// TCP states as reported by SYS_SOCKET_INFO.
enum vdos_tcp_state {
  VDOS_TCP_CLOSED = 0,
  VDOS_TCP_LISTEN,
  VDOS_TCP_SYN_SENT,
  VDOS_TCP_SYN_RECEIVED,
  VDOS_TCP_ESTABLISHED,
  VDOS_TCP_FIN_WAIT_1,
  VDOS_TCP_FIN_WAIT_2,
  VDOS_TCP_CLOSE_WAIT,
  VDOS_TCP_CLOSING,
  VDOS_TCP_LAST_ACK,
  VDOS_TCP_TIME_WAIT,
};

struct vdos_sock_info {
  unsigned char proto;  // VDOS_IPPROTO_TCP or VDOS_IPPROTO_UDP
  unsigned char state;  // enum vdos_tcp_state (TCP only)
  unsigned short reserved;
  int pid;  // owning program, 0 when the kernel still holds it (TIME_WAIT, closing)
  struct vdos_sockaddr_in local, remote;
  unsigned int rx_queue, tx_queue;  // bytes waiting to be read / not yet acknowledged
  unsigned int rtt_us, rttvar_us;
  unsigned int cwnd, ssthresh, mss;
  unsigned int in_flight;
  unsigned int retransmits;
  unsigned int reserved2;
};

// --- TLS
#define VDOS_TLS_HOST_MAX 253
#define VDOS_TLS_CA_MAX 65536  // bytes of extra PEM CA certificates per session
struct vdos_tls_config {
  const char *hostname;  // SNI and the name the certificate must carry; NULL only with verify 0
  int verify;            // 1 (default in libtls): chain to a trusted root + hostname check
  unsigned int timeout_ms;
  const char *alpn;    // comma-separated protocol list, or NULL
  const void *ca_pem;  // extra trusted CA certificates (PEM), or NULL
  unsigned long ca_pem_len;
};

struct vdos_tls_info {
  char protocol[16];  // "TLSv1.3"
  char cipher[48];    // "TLS_AES_128_GCM_SHA256"
  char group[24];     // "X25519", "P-256"
  char alpn[32];
  int resumed;
  int verify_result;  // 0 = verified; otherwise the VDOS_ETLS_* reason (also set when verify 0)
  char subject[256];  // peer certificate, one-line RFC 4514-style text
  char issuer[256];
  char not_before[32];  // "2026-01-01 00:00:00 UTC"
  char not_after[32];
  unsigned long handshake_ns;
};

#endif  // KERNEL_ABI_SYSCALLS_H_
