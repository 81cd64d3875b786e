#include "net/ipv4/ipv4_wire.h"

#include "net/core/checksum.h"

// Options are not acted upon (we neither route nor record), but they must be well-formed: a
// type-length-value walk that stays inside the header and always advances.
static bool options_ok(const uint8_t *opt, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint8_t type = opt[i];
    if (type == 0) return true;  // end of options list; the rest is padding
    if (type == 1) {             // no-operation
      i++;
      continue;
    }
    if (i + 1 >= len) return false;
    uint8_t olen = opt[i + 1];
    if (olen < 2 || olen > len - i) return false;
    i += olen;
  }
  return true;
}

bool ipv4_parse(const uint8_t *b, size_t len, struct ipv4_hdr *h, enum net_drop_reason *reason) {
  if (len < IPV4_HDR_LEN) {
    *reason = NET_DROP_IP_SHORT;
    return false;
  }
  if ((b[0] >> 4) != 4) {
    *reason = NET_DROP_IP_BAD_VERSION;
    return false;
  }
  size_t hlen = (size_t)(b[0] & 0x0f) * 4;
  if (hlen < IPV4_HDR_LEN || hlen > len) {
    *reason = NET_DROP_IP_BAD_HLEN;
    return false;
  }
  uint16_t total = net_get16(b + 2);
  if (total < hlen || total > len) {
    *reason = NET_DROP_IP_BAD_LEN;
    return false;
  }
  if (net_cksum(b, hlen) != 0) {
    *reason = NET_DROP_IP_BAD_CKSUM;
    return false;
  }
  if (!options_ok(b + IPV4_HDR_LEN, hlen - IPV4_HDR_LEN)) {
    *reason = NET_DROP_IP_BAD_OPTIONS;
    return false;
  }
  uint16_t frag = net_get16(b + 6);
  if (frag & 0x8000) {  // the reserved "evil" bit must be zero
    *reason = NET_DROP_IP_FRAG_BAD;
    return false;
  }
  h->hdr_len = (uint8_t)hlen;
  h->tos = b[1];
  h->total_len = total;
  h->id = net_get16(b + 4);
  h->df = (frag & IPV4_FLAG_DF) != 0;
  h->mf = (frag & IPV4_FLAG_MF) != 0;
  h->frag_offset = (uint32_t)(frag & IPV4_FRAG_MASK) * 8;
  h->ttl = b[8];
  h->proto = b[9];
  h->src = net_get32(b + 12);
  h->dst = net_get32(b + 16);
  return true;
}

void ipv4_emit(uint8_t *b, const struct ipv4_hdr *h) {
  b[0] = 0x45;
  b[1] = h->tos;
  net_put16(b + 2, h->total_len);
  net_put16(b + 4, h->id);
  uint16_t frag = (uint16_t)((h->frag_offset / 8) & IPV4_FRAG_MASK);
  if (h->df) frag |= IPV4_FLAG_DF;
  if (h->mf) frag |= IPV4_FLAG_MF;
  net_put16(b + 6, frag);
  b[8] = h->ttl;
  b[9] = h->proto;
  b[10] = b[11] = 0;
  net_put32(b + 12, h->src);
  net_put32(b + 16, h->dst);
  net_put16(b + 10, net_cksum(b, IPV4_HDR_LEN));
}
