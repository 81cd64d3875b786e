// libFuzzer target for vnet's TAP offload code: the receive-side checksum completion driven by
// a virtio-net header, and the transmit coalescer fed arbitrary frames. Beyond "no crash / no
// out-of-bounds access", it checks that a super-frame carries exactly the payload bytes of the
// segments it accepted, in order, behind the first segment's headers, with a consistent IPv4
// length and virtio-net header.
//
// Input: byte 0 picks the mode. Mode 0: 10 header bytes, then one frame. Otherwise: frames, each
// preceded by a 2-byte big-endian length.
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>

#include "tools/fuzz/fuzz_seeds.h"
#include "tools/vnet/tap.h"

static void check(int cond) {
  if (!cond) abort();
}

static struct tap_gso g;
static uint8_t expect[TAP_FRAME_MAX];  // payload bytes the pending super-frame must carry
static size_t expect_len;

static void finish_and_check(void) {
  size_t hdr_len = g.hdr_len;
  unsigned segs = g.segs;
  size_t n = tap_gso_finish(&g);
  check(g.len == 0);
  if (n == 0) {
    check(expect_len == 0);
    return;
  }
  check(n <= sizeof(g.buf) && n >= TAP_VNET_HDR_LEN + hdr_len);
  const uint8_t *f = g.buf + TAP_VNET_HDR_LEN;
  check(n - TAP_VNET_HDR_LEN - hdr_len == expect_len);
  check(memcmp(f + hdr_len, expect, expect_len) == 0);
  check(((size_t)f[16] << 8 | f[17]) == n - TAP_VNET_HDR_LEN - 14);  // IPv4 total length
  struct virtio_net_hdr h;
  memcpy(&h, g.buf, sizeof(h));
  if (segs > 1) {
    check(h.gso_type == VIRTIO_NET_HDR_GSO_TCPV4 && h.hdr_len == hdr_len && h.gso_size > 0);
    check(h.csum_start + h.csum_offset + 2u <= n - TAP_VNET_HDR_LEN);
  } else {
    check(h.gso_type == VIRTIO_NET_HDR_GSO_NONE && h.flags == 0);
  }
  expect_len = 0;
}

static void append(const uint8_t *frame, size_t len) {
  bool empty = g.len == 0;
  if (!tap_gso_append(&g, frame, len)) {
    finish_and_check();
    if (!tap_gso_append(&g, frame, len)) return;  // not coalescible at all
    empty = true;
  }
  // Accepted: its payload follows its own headers (IPv4 without options, TCP data offset).
  size_t thl = (size_t)(frame[14 + 20 + 12] >> 4) * 4;
  size_t hl = 14 + 20 + thl;
  check(hl < len && (empty || hl == g.hdr_len));
  check(expect_len + (len - hl) <= sizeof(expect));
  memcpy(expect + expect_len, frame + hl, len - hl);
  expect_len += len - hl;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t frame[TAP_FRAME_MAX];
  if (size < 1) return 0;
  if (data[0] == 0) {
    if (size < 1 + TAP_VNET_HDR_LEN) return 0;
    size_t len = size - 1 - TAP_VNET_HDR_LEN;
    if (len > sizeof(frame)) return 0;
    memcpy(frame, data + 1 + TAP_VNET_HDR_LEN, len);
    tap_rx_complete_csum(data + 1, frame, len);
    return 0;
  }
  memset(&g, 0, sizeof(g));
  expect_len = 0;
  size_t i = 1;
  while (i + 2 <= size) {
    size_t len = (size_t)data[i] << 8 | data[i + 1];
    i += 2;
    if (len > size - i) len = size - i;
    append(data + i, len);
    i += len;
  }
  finish_and_check();
  return 0;
}

// Three in-order 8-byte data segments of one flow (the last with PSH), then a pure ACK.
#define ETH 0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00
#define IP(len) 0x45, 0, 0, (len), 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 9, 0, 2, 10, 9, 0, 1
#define TCP(seq, flags) \
  0x13, 0x88, 0x9c, 0x40, 0, 0, 0, (seq), 0, 0, 0, 1, 0x50, (flags), 1, 0, 0, 0, 0, 0
static const uint8_t seed_coalesce[] = {
    1,  0, 62, ETH, IP(48), TCP(0, 0x10),  1,  2,  3,  4,  5,  6,  7,
    8,  0, 62, ETH, IP(48), TCP(8, 0x10),  9,  10, 11, 12, 13, 14, 15,
    16, 0, 62, ETH, IP(48), TCP(16, 0x18), 17, 18, 19, 20, 21, 22, 23,
    24, 0, 54, ETH, IP(40), TCP(24, 0x10),
};
// A partial checksum to complete: flags NEEDS_CSUM, start 34 (the TCP header), offset 16
// (little-endian fields).
static const uint8_t seed_csum[] = {
    0, 1, 0, 0, 0, 0, 0, 34, 0, 16, 0, ETH, IP(48), TCP(0, 0x18), 1, 2, 3, 4, 5, 6, 7, 8,
};

const struct fuzz_seed *fuzz_seeds(size_t *count) {
  static const struct fuzz_seed seeds[] = {FUZZ_SEED(seed_coalesce), FUZZ_SEED(seed_csum)};
  *count = sizeof(seeds) / sizeof(seeds[0]);
  return seeds;
}
