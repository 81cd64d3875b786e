#include "net/arp/arp_wire.h"

#include <string.h>

bool arp_parse(const uint8_t *b, size_t len, struct arp_pkt *out) {
  if (len < ARP_PKT_LEN) return false;
  if (net_get16(b) != 1 || net_get16(b + 2) != 0x0800 || b[4] != 6 || b[5] != 4) return false;
  uint16_t op = net_get16(b + 6);
  if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY) return false;
  out->op = op;
  memcpy(out->sha, b + 8, 6);
  out->spa = net_get32(b + 14);
  memcpy(out->tha, b + 18, 6);
  out->tpa = net_get32(b + 24);
  return true;
}

void arp_emit(uint8_t *b, const struct arp_pkt *p) {
  net_put16(b, 1);
  net_put16(b + 2, 0x0800);
  b[4] = 6;
  b[5] = 4;
  net_put16(b + 6, p->op);
  memcpy(b + 8, p->sha, 6);
  net_put32(b + 14, p->spa);
  memcpy(b + 18, p->tha, 6);
  net_put32(b + 24, p->tpa);
}
