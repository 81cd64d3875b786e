#include "net/fuzz/fuzz_stack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/core/checksum.h"
#include "net/ethernet/eth_wire.h"
#include "net/ipv4/ipv4_wire.h"

struct net_stack *fuzz_stack;
struct fake_platform *fuzz_plat;
const uint8_t kFuzzStackMac[6] = {0x02, 0, 0, 0, 0, 0x02};
const uint8_t kFuzzPeerMac[6] = {0x02, 0, 0, 0, 0, 0x01};

static void die(const char *what) {
  fprintf(stderr, "fuzz invariant violated: %s\n", what);
  abort();
}

void fuzz_stack_begin(void) {
  if (!fuzz_stack) {
    fuzz_stack = calloc(1, sizeof(*fuzz_stack));
    fuzz_plat = calloc(1, sizeof(*fuzz_plat));
    if (!fuzz_stack || !fuzz_plat) die("out of memory");
  }
  fake_platform_init(fuzz_plat, 42);
  struct net_platform p = fake_platform_ops(fuzz_plat);
  struct net_stack_config cfg;
  memset(&cfg, 0, sizeof(cfg));
  memcpy(cfg.mac, kFuzzStackMac, 6);
  cfg.addr = FUZZ_STACK_ADDR;
  cfg.prefix = 24;
  cfg.gw = FUZZ_PEER_ADDR;
  cfg.dns[0] = FUZZ_PEER_ADDR;
  cfg.dns_count = 1;
  net_stack_init(fuzz_stack, &p, &cfg);
  net_stack_up(fuzz_stack);
}

void fuzz_stack_eth(uint16_t type, const uint8_t *payload, size_t len) {
  static uint8_t frame[70000];
  if (len > sizeof(frame) - ETH_HDR_LEN) len = sizeof(frame) - ETH_HDR_LEN;
  struct eth_hdr h;
  memcpy(h.dst, kFuzzStackMac, 6);
  memcpy(h.src, kFuzzPeerMac, 6);
  h.type = type;
  eth_emit(frame, &h);
  memcpy(frame + ETH_HDR_LEN, payload, len);
  net_stack_input_frame(fuzz_stack, frame, ETH_HDR_LEN + len);
}

void fuzz_stack_ip(uint8_t proto, const uint8_t *payload, size_t len, int fix_l4) {
  static uint8_t dgram[65535];
  if (len > sizeof(dgram) - IPV4_HDR_LEN) len = sizeof(dgram) - IPV4_HDR_LEN;
  uint8_t *l4 = dgram + IPV4_HDR_LEN;
  memcpy(l4, payload, len);
  if (fix_l4 && proto == IPV4_PROTO_UDP && len >= 8) {
    l4[6] = l4[7] = 0;
    uint16_t ulen = net_get16(l4 + 4);
    if (ulen >= 8 && ulen <= len) {
      uint32_t s = net_cksum_pseudo_ipv4(FUZZ_PEER_ADDR, FUZZ_STACK_ADDR, 17, ulen);
      uint16_t c = net_cksum_finish(net_cksum_add(s, l4, ulen));
      net_put16(l4 + 6, c ? c : 0xffff);
    }
  } else if (fix_l4 && proto == IPV4_PROTO_ICMP && len >= 4) {
    l4[2] = l4[3] = 0;
    net_put16(l4 + 2, net_cksum(l4, len));
  }
  struct ipv4_hdr h;
  memset(&h, 0, sizeof(h));
  h.total_len = (uint16_t)(IPV4_HDR_LEN + len);
  h.id = 1;
  h.ttl = 64;
  h.proto = proto;
  h.src = FUZZ_PEER_ADDR;
  h.dst = FUZZ_STACK_ADDR;
  ipv4_emit(dgram, &h);
  fuzz_stack_eth(ETH_TYPE_IPV4, dgram, IPV4_HDR_LEN + len);
}

void fuzz_stack_advance_ms(uint64_t ms) {
  fuzz_plat->now_us += ms * 1000;
  net_stack_poll(fuzz_stack);
}

static void check_frames(void) {
  static uint8_t buf[FAKE_PLATFORM_FRAME_MAX];
  size_t n;
  while ((n = fake_platform_pop(fuzz_plat, buf, sizeof(buf))) != 0) {
    struct eth_hdr e;
    if (n < ETH_MIN_FRAME) die("emitted frame shorter than 60 bytes");
    if (!eth_parse(buf, n, &e)) die("emitted frame has a bad Ethernet header");
    if (memcmp(e.src, kFuzzStackMac, 6) != 0) die("emitted frame with a foreign source MAC");
    if (e.type == ETH_TYPE_IPV4) {
      struct ipv4_hdr h;
      enum net_drop_reason why;
      if (!ipv4_parse(buf + ETH_HDR_LEN, n - ETH_HDR_LEN, &h, &why)) die("emitted bad IPv4");
      if (h.src != FUZZ_STACK_ADDR) die("emitted IPv4 with a foreign source address");
      if (h.total_len > fuzz_stack->core.netif.mtu) die("emitted IPv4 larger than the MTU");
    }
  }
}

void fuzz_stack_end(void) {
  check_frames();
  // Let ARP, reassembly and DNS timers run out, then close every socket.
  for (int i = 0; i < 8; i++) {
    fuzz_stack_advance_ms(60 * 1000);
    check_frames();
  }
  for (int i = 0; i < NET_DNS_MAX_QUERIES; i++) dns_cancel(&fuzz_stack->dns, i);
  for (int i = 0; i < NET_UDP_SOCKETS; i++) udp_close(&fuzz_stack->udp, &fuzz_stack->udp.socks[i]);
  fuzz_stack_advance_ms(1000);
  check_frames();
  const struct pbuf_pool *pool = &fuzz_stack->core.pool;
  if (pbuf_pool_free_count(pool) != pbuf_pool_total_count(pool)) die("pbuf leak");
  if (pool->bad_frees) die("double free of a pbuf");
  if (fuzz_stack->ip.reass.bytes_held != 0) die("reassembly bytes held after timeout");
  if (fuzz_stack->arp.queued_total != 0) die("ARP queue not empty after timeout");
}
