#include "net/udp/udp_wire.h"

#include "net/core/checksum.h"

bool udp_parse(const uint8_t *b, size_t len, ipv4_addr_t src, ipv4_addr_t dst, struct udp_hdr *out,
               enum net_drop_reason *why) {
  if (len < UDP_HDR_LEN) {
    *why = NET_DROP_UDP_SHORT;
    return false;
  }
  uint16_t ulen = net_get16(b + 4);
  if (ulen < UDP_HDR_LEN || ulen > len) {
    *why = NET_DROP_UDP_BAD_LEN;
    return false;
  }
  if (net_get16(b + 6) != 0) {
    uint32_t s = net_cksum_pseudo_ipv4(src, dst, 17, ulen);
    if (net_cksum_finish(net_cksum_add(s, b, ulen)) != 0) {
      *why = NET_DROP_UDP_BAD_CKSUM;
      return false;
    }
  }
  out->src_port = net_get16(b);
  out->dst_port = net_get16(b + 2);
  out->len = ulen;
  return true;
}

void udp_emit(uint8_t *b, uint16_t src_port, uint16_t dst_port, size_t payload_len, ipv4_addr_t src,
              ipv4_addr_t dst) {
  uint16_t ulen = (uint16_t)(UDP_HDR_LEN + payload_len);
  net_put16(b, src_port);
  net_put16(b + 2, dst_port);
  net_put16(b + 4, ulen);
  net_put16(b + 6, 0);
  uint16_t ck = net_cksum_finish(net_cksum_add(net_cksum_pseudo_ipv4(src, dst, 17, ulen), b, ulen));
  net_put16(b + 6, ck == 0 ? 0xffff : ck);
}
