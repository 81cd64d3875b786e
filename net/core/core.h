// The state every protocol shares: platform, interface, statistics, timers and the buffer pool.
// Protocol modules keep their own state in their own structs and hold a pointer to this.
#ifndef NET_CORE_CORE_H_
#define NET_CORE_CORE_H_

#include <stddef.h>
#include <stdint.h>

#include "net/core/netif.h"
#include "net/core/pbuf.h"
#include "net/core/platform.h"
#include "net/core/stats.h"
#include "net/core/timer.h"

struct net_core {
  struct net_platform plat;
  struct netif netif;
  struct net_stats stats;
  struct net_timer_list timers;
  struct pbuf_pool pool;
};

// Initialises everything; the interface starts down with the default MTU.
void net_core_init(struct net_core *c, const struct net_platform *plat);

static inline uint64_t net_now_us(struct net_core *c) { return c->plat.now_us(c->plat.ctx); }
static inline uint64_t net_now_ms(struct net_core *c) { return net_now_us(c) / 1000; }

void net_random(struct net_core *c, void *buf, size_t len);
uint32_t net_random_u32(struct net_core *c);

// Arms a timer on the core's list (see timer.h).
static inline void net_core_timer_arm(struct net_core *c, struct net_timer *t, uint64_t deadline) {
  net_timer_arm(&c->timers, t, deadline);
}
static inline void net_core_timer_cancel(struct net_core *c, struct net_timer *t) {
  net_timer_cancel(&c->timers, t);
}

// Hands a finished Ethernet frame to the platform and counts it (tx_packets/bytes, or a
// NET_DROP_ETH_TX_ERROR drop). The pbuf is NOT consumed.
int net_core_send_frame(struct net_core *c, const struct pbuf *frame);

#endif  // NET_CORE_CORE_H_
