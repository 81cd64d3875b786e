#include "tools/vnet/tap.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "net/core/checksum.h"

#define ETH_LEN 14u
#define IP_LEN 20u  // our IPv4 layer never sends options; frames with options are not coalesced
#define ETHERTYPE_IPV4 0x0800u
#define PROTO_TCP 6u
#define PROTO_UDP 17u
#define TCP_FIN 0x01u
#define TCP_SYN 0x02u
#define TCP_RST 0x04u
#define TCP_PSH 0x08u
#define TCP_ACK 0x10u

_Static_assert(sizeof(struct virtio_net_hdr) == TAP_VNET_HDR_LEN, "virtio-net header size");

int tap_open(const char *name, bool offload) {
  if (strlen(name) >= IFNAMSIZ) {
    fprintf(stderr, "vnet: interface name too long: %s\n", name);
    return -1;
  }
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "vnet: cannot open /dev/net/tun: %s\n", strerror(errno));
    return -1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0);
  memcpy(ifr.ifr_name, name, strlen(name));
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    fprintf(stderr, "vnet: cannot attach to TAP device %s: %s\n", name, strerror(errno));
    close(fd);
    return -1;
  }
  if (offload) {
    int hl = (int)TAP_VNET_HDR_LEN;
    if (ioctl(fd, TUNSETVNETHDRSZ, &hl) < 0 ||
        ioctl(fd, TUNSETOFFLOAD, (unsigned long)(TUN_F_CSUM | TUN_F_TSO4)) < 0) {
      fprintf(stderr, "vnet: cannot enable offloads on TAP device %s: %s\n", name, strerror(errno));
      close(fd);
      return -1;
    }
  }
  return fd;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

bool tap_rx_complete_csum(const uint8_t hdr[TAP_VNET_HDR_LEN], uint8_t *frame, size_t len) {
  struct virtio_net_hdr h;
  memcpy(&h, hdr, sizeof(h));
  if (!(h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) return true;
  size_t start = h.csum_start, off = h.csum_offset;
  if (start > len || off + 2 > len - start) return false;
  uint16_t ck = net_cksum_finish(net_cksum_add(0, frame + start, len - start));
  // UDP: a computed 0 is sent as all ones (0 means "no checksum", RFC 768).
  if (ck == 0 && len >= ETH_LEN + IP_LEN && get16(frame + 12) == ETHERTYPE_IPV4 &&
      frame[ETH_LEN + 9] == PROTO_UDP) {
    ck = 0xffff;
  }
  put16(frame + start + off, ck);
  return true;
}

// Where a frame's TCP header and payload are, if it is a coalescible TCP data segment: IPv4
// without options or fragmentation, flags exactly ACK or ACK|PSH, some payload.
struct seg_view {
  size_t thl;  // TCP header length
  size_t payload;
  uint32_t seq;
  uint8_t flags;
};

static bool view_segment(const uint8_t *f, size_t len, struct seg_view *s) {
  if (len < ETH_LEN + IP_LEN + 20 || get16(f + 12) != ETHERTYPE_IPV4) return false;
  const uint8_t *ip = f + ETH_LEN;
  if (ip[0] != 0x45 || ip[9] != PROTO_TCP) return false;
  if ((get16(ip + 6) & 0x3fff) != 0) return false;  // MF or a fragment offset
  size_t tot = get16(ip + 2);
  if (tot != len - ETH_LEN) return false;  // no Ethernet padding on a data segment
  const uint8_t *th = ip + IP_LEN;
  size_t thl = (size_t)(th[12] >> 4) * 4;
  if (thl < 20 || IP_LEN + thl >= tot) return false;  // no payload: nothing to coalesce
  uint8_t flags = th[13];
  if ((flags & ~TCP_PSH) != TCP_ACK) return false;
  s->thl = thl;
  s->payload = tot - IP_LEN - thl;
  s->seq = get32(th + 4);
  s->flags = flags;
  return true;
}

bool tap_gso_append(struct tap_gso *g, const uint8_t *frame, size_t len) {
  struct seg_view s;
  if (!view_segment(frame, len, &s)) return false;
  uint8_t *cur = g->buf + TAP_VNET_HDR_LEN;
  if (g->len == 0) {
    if (s.payload > 0xffff) return false;
    memcpy(cur, frame, len);
    g->len = TAP_VNET_HDR_LEN + len;
    g->hdr_len = ETH_LEN + IP_LEN + s.thl;
    g->next_seq = s.seq + (uint32_t)s.payload;
    g->gso_size = (uint16_t)s.payload;
    g->segs = 1;
    g->closed = (s.flags & TCP_PSH) != 0;
    return true;
  }
  if (g->closed || s.seq != g->next_seq || s.payload > g->gso_size ||
      ETH_LEN + IP_LEN + s.thl != g->hdr_len || g->len + s.payload > sizeof(g->buf)) {
    return false;
  }
  // Same Ethernet header; same IPv4 TOS, DF, TTL, protocol, addresses (ID, length and checksum
  // are per segment; Linux rewrites them when it segments).
  const uint8_t *ip = frame + ETH_LEN;
  uint8_t *cip = cur + ETH_LEN;
  if (memcmp(frame, cur, ETH_LEN) != 0 || ip[1] != cip[1] || ip[6] != cip[6] || ip[8] != cip[8] ||
      memcmp(ip + 12, cip + 12, 8) != 0) {
    return false;
  }
  // Same TCP header apart from the sequence number, the checksum and PSH: ports, ACK number,
  // offset, window, urgent pointer and every option byte (timestamps included: GSO copies the
  // first header's options into every segment).
  const uint8_t *th = ip + IP_LEN;
  uint8_t *cth = cip + IP_LEN;
  if (memcmp(th, cth, 4) != 0 || memcmp(th + 8, cth + 8, 5) != 0 ||
      memcmp(th + 14, cth + 14, 2) != 0 || memcmp(th + 18, cth + 18, s.thl - 18) != 0) {
    return false;
  }
  memcpy(g->buf + g->len, frame + g->hdr_len, s.payload);
  g->len += s.payload;
  g->next_seq += (uint32_t)s.payload;
  g->segs++;
  if ((s.flags & TCP_PSH) || s.payload < g->gso_size) {
    // Linux's segmentation gives the last segment the super-frame's flags (PSH included).
    cth[13] |= s.flags & TCP_PSH;
    g->closed = true;
  }
  return true;
}

size_t tap_gso_finish(struct tap_gso *g) {
  size_t n = g->len;
  if (n == 0) return 0;
  struct virtio_net_hdr h;
  memset(&h, 0, sizeof(h));
  if (g->segs > 1) {
    uint8_t *ip = g->buf + TAP_VNET_HDR_LEN + ETH_LEN;
    uint16_t tot = (uint16_t)(n - TAP_VNET_HDR_LEN - ETH_LEN);
    put16(ip + 2, tot);
    put16(ip + 10, 0);
    put16(ip + 10, net_cksum(ip, IP_LEN));
    // Partial checksum: the field holds the pseudo-header sum (not complemented), the rest is
    // summed by whoever segments or delivers the frame.
    uint8_t *th = ip + IP_LEN;
    uint32_t src = get32(ip + 12), dst = get32(ip + 16);
    uint32_t ps = net_cksum_pseudo_ipv4(src, dst, PROTO_TCP, (uint16_t)(tot - IP_LEN));
    put16(th + 16, (uint16_t)~net_cksum_finish(ps));
    h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    h.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
    h.hdr_len = (uint16_t)g->hdr_len;
    h.gso_size = g->gso_size;
    h.csum_start = (uint16_t)(ETH_LEN + IP_LEN);
    h.csum_offset = 16;
  }
  memcpy(g->buf, &h, sizeof(h));
  g->len = 0;
  g->segs = 0;
  return n;
}
