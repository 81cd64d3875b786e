// Tunables of the kernel socket layer (kernel/net/ksock.c). Override with -D at build time.
#ifndef KERNEL_NET_KSOCK_OPTS_H_
#define KERNEL_NET_KSOCK_OPTS_H_

// Sockets one program may hold open; one more is -EMFILE. Also sizes the fd table (proc.c).
#ifndef KSOCK_PER_PROGRAM
#define KSOCK_PER_PROGRAM 32
#endif

// Socket objects in the whole kernel (a parent keeps its sockets while its child runs); when
// they are all in use, creating one more is -ENOBUFS.
#ifndef KSOCK_MAX
#define KSOCK_MAX 64
#endif

// TCP connection table of the kernel stack: the sockets plus connections still closing in the
// kernel (FIN_WAIT, TIME_WAIT) and not yet accepted ones.
#ifndef KNET_TCP_CONNS
#define KNET_TCP_CONNS 128
#endif

// Frames one poll moves from the device into the stack, so a flood cannot starve the program
// returning to EL0; the rest wait for the next poll (knet_due asks for it at once).
#ifndef KNET_RX_PER_POLL
#define KNET_RX_PER_POLL 64
#endif

// Power-off waits at most this long for connections closed by their programs to deliver what
// they still hold (queued or unacknowledged data, a FIN): a program that writes, closes and exits
// just before `Shutdown` must not lose the end of its stream.
#ifndef KNET_SHUTDOWN_DRAIN_MS
#define KNET_SHUTDOWN_DRAIN_MS 3000
#endif

// Default send/receive buffer of a kernel TCP connection, and the range SO_SNDBUF/SO_RCVBUF are
// clamped to. The kernel heap is 12 MiB for everything, so these stay far below net/'s host
// defaults.
#ifndef KSOCK_BUF_DEFAULT
#define KSOCK_BUF_DEFAULT (128 * 1024)
#endif
#ifndef KSOCK_BUF_MIN
#define KSOCK_BUF_MIN 2048
#endif
#ifndef KSOCK_BUF_MAX
#define KSOCK_BUF_MAX (256 * 1024)
#endif

// Longest SO_RCVTIMEO / SO_SNDTIMEO, ms (one day); larger values are -EINVAL.
#ifndef KSOCK_TIMEO_MAX_MS
#define KSOCK_TIMEO_MAX_MS (24u * 3600u * 1000u)
#endif

// Largest listen backlog; larger requests are clamped.
#ifndef KSOCK_BACKLOG_MAX
#define KSOCK_BACKLOG_MAX 32
#endif

// Most bytes one step of a TCP send hands to the stack, and most one recv() returns. (TCP copies
// straight from and to user memory; UDP datagrams go through a bounce buffer of KSOCK_UDP_MAX.)
#ifndef KSOCK_CHUNK
#define KSOCK_CHUNK 16384
#endif

// Largest UDP payload (IPv4: 65535 - 20 - 8); longer sends are -EMSGSIZE.
#define KSOCK_UDP_MAX 65507

#endif  // KERNEL_NET_KSOCK_OPTS_H_
