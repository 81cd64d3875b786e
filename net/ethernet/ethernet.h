// Ethernet layer: MAC filtering and EtherType demultiplexing on receive; header and minimum-size
// padding on transmit.
#ifndef NET_ETHERNET_ETHERNET_H_
#define NET_ETHERNET_ETHERNET_H_

#include <stdint.h>

#include "net/core/core.h"
#include "net/core/net_opts.h"
#include "net/core/pbuf.h"
#include "net/ethernet/eth_wire.h"

// Receives p with data at the EtherType's payload (Ethernet header pulled; it stays readable in
// the headroom, 14 bytes before data). Takes ownership of p.
typedef void (*eth_input_fn)(void *ctx, struct pbuf *p, const struct eth_hdr *hdr);

struct eth {
  struct net_core *core;
  struct {
    uint16_t type;
    eth_input_fn fn;
    void *ctx;
  } handlers[NET_ETH_MAX_TYPE_HANDLERS];
  unsigned handler_count;
};

void eth_init(struct eth *e, struct net_core *core);

// NET_ERR_NOMEM when the table is full; re-registering a type replaces its handler.
int eth_register(struct eth *e, uint16_t type, eth_input_fn fn, void *ctx);

// Takes ownership of a received frame (data = destination MAC). Counts rx stats, filters on
// destination MAC (ours, broadcast, multicast), dispatches by EtherType.
void eth_input(struct eth *e, struct pbuf *p);

// Prepends the header (14 bytes of headroom needed), pads to 60 bytes, hands the frame to the
// platform. Always consumes p.
int eth_output(struct eth *e, struct pbuf *p, const uint8_t dst[6], uint16_t type);

#endif  // NET_ETHERNET_ETHERNET_H_
