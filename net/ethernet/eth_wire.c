#include "net/ethernet/eth_wire.h"

#include <string.h>

const uint8_t kEthBroadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

bool eth_parse(const uint8_t *frame, size_t len, struct eth_hdr *out) {
  if (len < ETH_HDR_LEN) return false;
  uint16_t type = (uint16_t)(frame[12] << 8 | frame[13]);
  if (type < 0x0600) return false;
  memcpy(out->dst, frame, 6);
  memcpy(out->src, frame + 6, 6);
  out->type = type;
  return true;
}

void eth_emit(uint8_t *buf, const struct eth_hdr *h) {
  memcpy(buf, h->dst, 6);
  memcpy(buf + 6, h->src, 6);
  buf[12] = (uint8_t)(h->type >> 8);
  buf[13] = (uint8_t)h->type;
}
