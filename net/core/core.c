#include "net/core/core.h"

#include <string.h>

#include "net/core/net_err.h"

void net_core_init(struct net_core *c, const struct net_platform *plat) {
  c->plat = *plat;
  netif_init(&c->netif);
  net_stats_init(&c->stats);
  net_timer_list_init(&c->timers);
  pbuf_pool_init(&c->pool);
}

void net_random(struct net_core *c, void *buf, size_t len) {
  c->plat.random_bytes(c->plat.ctx, buf, len);
}

uint32_t net_random_u32(struct net_core *c) {
  uint8_t b[4];
  net_random(c, b, sizeof(b));
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

int net_core_send_frame(struct net_core *c, const struct pbuf *frame) {
  int rc = c->plat.send_frame(c->plat.ctx, frame->data, frame->len);
  if (rc != NET_OK) {
    net_stats_drop(&c->stats, NET_DROP_ETH_TX_ERROR);
    return rc;
  }
  c->stats.tx_packets++;
  c->stats.tx_bytes += frame->len;
  return NET_OK;
}
