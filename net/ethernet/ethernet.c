#include "net/ethernet/ethernet.h"

#include <string.h>

#include "net/core/net_err.h"

void eth_init(struct eth *e, struct net_core *core) {
  memset(e, 0, sizeof(*e));
  e->core = core;
}

int eth_register(struct eth *e, uint16_t type, eth_input_fn fn, void *ctx) {
  for (unsigned i = 0; i < e->handler_count; i++) {
    if (e->handlers[i].type == type) {
      e->handlers[i].fn = fn;
      e->handlers[i].ctx = ctx;
      return NET_OK;
    }
  }
  if (e->handler_count >= NET_ETH_MAX_TYPE_HANDLERS) return NET_ERR_NOMEM;
  e->handlers[e->handler_count].type = type;
  e->handlers[e->handler_count].fn = fn;
  e->handlers[e->handler_count].ctx = ctx;
  e->handler_count++;
  return NET_OK;
}

void eth_input(struct eth *e, struct pbuf *p) {
  struct net_stats *st = &e->core->stats;
  st->rx_packets++;
  st->rx_bytes += p->len;
  struct eth_hdr h;
  if (!eth_parse(p->data, p->len, &h)) {
    net_stats_drop(st, NET_DROP_ETH_SHORT);
    pbuf_free(p);
    return;
  }
  // Multicast is accepted wholesale: we join no groups, and upper layers filter by address.
  if (memcmp(h.dst, e->core->netif.mac, 6) != 0 && !eth_is_multicast(h.dst)) {
    net_stats_drop(st, NET_DROP_ETH_NOT_FOR_US);
    pbuf_free(p);
    return;
  }
  // Frames that claim to come from us (looped back by a switch, or spoofed) are ignored.
  if (memcmp(h.src, e->core->netif.mac, 6) == 0 || eth_is_multicast(h.src)) {
    net_stats_drop(st, NET_DROP_ETH_NOT_FOR_US);
    pbuf_free(p);
    return;
  }
  for (unsigned i = 0; i < e->handler_count; i++) {
    if (e->handlers[i].type == h.type) {
      pbuf_pull(p, ETH_HDR_LEN);
      e->handlers[i].fn(e->handlers[i].ctx, p, &h);
      return;
    }
  }
  net_stats_drop(st, NET_DROP_ETH_UNKNOWN_TYPE);
  pbuf_free(p);
}

int eth_output(struct eth *e, struct pbuf *p, const uint8_t dst[6], uint16_t type) {
  uint8_t *h = pbuf_push(p, ETH_HDR_LEN);
  if (!h) {
    pbuf_free(p);
    return NET_ERR_INVAL;
  }
  struct eth_hdr hdr;
  memcpy(hdr.dst, dst, 6);
  memcpy(hdr.src, e->core->netif.mac, 6);
  hdr.type = type;
  eth_emit(h, &hdr);
  if (p->len < ETH_MIN_FRAME) {
    size_t pad = ETH_MIN_FRAME - p->len;
    uint8_t *t = pbuf_append(p, pad);
    if (!t) {
      pbuf_free(p);
      return NET_ERR_INVAL;
    }
    // Zero padding: stale buffer bytes must not leak onto the wire (the "Etherleak" bug).
    memset(t, 0, pad);
  }
  int rc = net_core_send_frame(e->core, p);
  pbuf_free(p);
  return rc;
}
