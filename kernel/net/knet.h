// The kernel's binding of the portable network stack (net/) to the VirtIO-net device: it
// implements net/core/platform.h, feeds received frames into the stack and runs its timers from
// kernel_poll() (idle wait, blocking syscalls, return to EL0) — never from an interrupt.
#ifndef KERNEL_NET_KNET_H_
#define KERNEL_NET_KNET_H_

#include <stddef.h>
#include <stdint.h>

#include "kernel/abi/syscalls.h"

// Builds the stack from the command line (`ip=ADDR/PREFIX gw=ADDR dns=ADDR`) when a NIC is
// present and brings it up (a gratuitous ARP; nothing waits). Call after virtio_probe and the
// DRBG.
void knet_init(void);
// 1 once the stack owns the NIC.
int knet_active(void);

// The blocking calls below poll the stack while they wait and give up with -EINTR when
// stop() returns non-zero (Ctrl-C). All take kernel memory; the syscall layer copies.

// One echo request to dst (host byte order) with payload_len bytes; waits up to timeout_ms for
// its reply. 0 with *out filled for an echo reply; a negative VDOS errno otherwise (an ICMP error
// also fills *out).
int knet_ping(uint32_t dst, uint16_t seq, size_t payload_len, uint32_t timeout_ms,
              struct vdos_ping_reply *out, int (*stop)(void));
// Resolves name (A records). Returns the number of addresses, or a negative VDOS errno.
int knet_resolve(const char *name, struct vdos_dns_result *out, int (*stop)(void));
// Stack and device counters as "name value" lines; snprintf-like result.
size_t knet_format_stats(char *buf, size_t cap);

// The stack's TCP (attached to IPv4) and UDP for the socket layer; NULL while no stack runs.
struct tcp_ipv4;
struct udp;
struct tcp_ipv4 *knet_tcp(void);
struct udp *knet_udp(void);
// The interface address (host byte order), 0 while no stack runs.
uint32_t knet_addr(void);
// 1 while datagrams to our own address wait for the next kernel_poll(): a waiting call polls
// again instead of sleeping until the next interrupt (loopback traffic raises none).
int knet_busy(void);

// Before power-off: polls the stack until no TCP connection holds undelivered data or an
// unacknowledged FIN, at most max_ms. Returns how many still did at the end.
int knet_drain(uint32_t max_ms);

// Raw-frame diagnostics (SYS_NETDEV_*): while the stack owns the NIC, received frames are
// also copied into a small ring for a program that recently sent or asked for raw frames.
int knet_raw_recv(void *buf, size_t cap);
void knet_raw_listen(uint32_t ms);

#endif  // KERNEL_NET_KNET_H_
