#include "net/icmp/icmp_wire.h"

#include "net/core/checksum.h"
#include "net/ipv4/ipv4_addr.h"

bool icmp_parse(const uint8_t *b, size_t len, struct icmp_hdr *h, enum net_drop_reason *why) {
  if (len < ICMP_HDR_LEN) {
    *why = NET_DROP_ICMP_SHORT;
    return false;
  }
  if (net_cksum(b, len) != 0) {
    *why = NET_DROP_ICMP_BAD_CKSUM;
    return false;
  }
  h->type = b[0];
  h->code = b[1];
  h->rest = net_get32(b + 4);
  h->body = b + ICMP_HDR_LEN;
  h->body_len = len - ICMP_HDR_LEN;
  return true;
}

void icmp_emit(uint8_t *b, uint8_t type, uint8_t code, uint32_t rest, size_t body_len) {
  b[0] = type;
  b[1] = code;
  b[2] = b[3] = 0;
  net_put32(b + 4, rest);
  net_put16(b + 2, net_cksum(b, ICMP_HDR_LEN + body_len));
}

bool icmp_parse_quote(const uint8_t *b, size_t len, struct icmp_quote *q) {
  if (len < 20 || (b[0] >> 4) != 4) return false;
  size_t hl = (size_t)(b[0] & 0xf) * 4;
  if (hl < 20 || len < hl + 8) return false;
  q->hdr_len = (uint8_t)hl;
  q->proto = b[9];
  q->src = net_get32(b + 12);
  q->dst = net_get32(b + 16);
  q->payload = b + hl;
  // Only trust as many quoted bytes as the quoted header claims existed.
  size_t total = net_get16(b + 2);
  size_t avail = len - hl;
  if (total >= hl && total - hl < avail) avail = total - hl;
  if (avail < 8) return false;
  q->payload_len = avail;
  return true;
}
