// Attaching to an existing Linux TAP device, and the TAP offloads (virtio-net header): Linux
// hands us TCP super-segments of up to 64 KB and takes ours, so a bulk transfer costs one
// syscall per ~64 KB instead of one per Ethernet frame.
#ifndef TOOLS_VNET_TAP_H_
#define TOOLS_VNET_TAP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// struct virtio_net_hdr (no mergeable buffers): what precedes every frame with offloads on.
#define TAP_VNET_HDR_LEN 10u
// Largest frame with offloads: Ethernet header + a maximal IPv4 datagram.
#define TAP_FRAME_MAX (14u + 65535u)

// Opens /dev/net/tun and attaches to tap device `name` (no packet-information header),
// non-blocking. With `offload`, every frame read or written carries a virtio-net header and the
// device accepts/produces TCPv4 segmentation offload and partial checksums
// (IFF_VNET_HDR + TUNSETOFFLOAD TUN_F_CSUM|TUN_F_TSO4). Returns the fd, or -1 with a message
// printed to stderr.
int tap_open(const char *name, bool offload);

// Completes a partial checksum of a received frame (VIRTIO_NET_HDR_F_NEEDS_CSUM: the field holds
// only the pseudo-header sum; Linux leaves the rest to the "hardware", i.e. us). `hdr` is the
// virtio-net header read with the frame. Returns false if the header points outside the frame.
bool tap_rx_complete_csum(const uint8_t hdr[TAP_VNET_HDR_LEN], uint8_t *frame, size_t len);

// Transmit coalescer: consecutive in-order TCP data segments of one flow with identical headers
// (apart from sequence number, checksum and PSH on the last one) become one super-frame that
// Linux segments again (GSO_TCPV4, gso_size = the first segment's payload). This keeps the TCP
// engine MTU-sized while the TAP link moves 64 KB per write.
struct tap_gso {
  // virtio-net header, then the frame: Ethernet + IPv4 (20 bytes) + TCP header, then payload.
  uint8_t buf[TAP_VNET_HDR_LEN + TAP_FRAME_MAX];
  size_t len;      // bytes used in buf, header included; 0 when empty
  size_t hdr_len;  // Ethernet + IPv4 + TCP header bytes of the first segment
  uint32_t next_seq;
  uint16_t gso_size;  // payload bytes of the first segment: every segment but the last has it
  unsigned segs;
  bool closed;  // the last segment was short or carried PSH: nothing may follow it
};

// Adds `frame` to the pending super-frame (starting one if empty). Returns false, leaving g
// unchanged, when the frame is not a TCP data segment that can follow the pending ones: the
// caller then flushes (tap_gso_finish) and tries again, or writes the frame on its own.
bool tap_gso_append(struct tap_gso *g, const uint8_t *frame, size_t len);

// Turns the pending segments into one frame with its virtio-net header at g->buf and returns its
// length (0 if nothing was pending); g is empty afterwards. A single segment goes out unchanged
// (checksums already complete); several become a GSO frame with a partial TCP checksum.
size_t tap_gso_finish(struct tap_gso *g);

#endif  // TOOLS_VNET_TAP_H_
