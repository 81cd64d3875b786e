// UDP datagrams to a stack with sockets bound (wildcard, specific address, connected). Input:
// byte 0 flags (bit 0: fix the UDP checksum), then the UDP datagram.
#include <string.h>

#include "net/fuzz/fuzz_stack.h"
#include "net/udp/udp_wire.h"
#include "tools/fuzz/fuzz_seeds.h"

static const uint8_t kEcho[] = {1, 0x30, 0x39, 0, 7, 0, 13, 0, 0, 'h', 'e', 'l', 'l', 'o'};
static const uint8_t kClosed[] = {1, 0x30, 0x39, 0x27, 0x0f, 0, 9, 0, 0, 'x'};
static const struct fuzz_seed kSeeds[] = {FUZZ_SEED(kEcho), FUZZ_SEED(kClosed)};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  fuzz_stack_begin();
  struct udp *u = &fuzz_stack->udp;
  struct udp_sock *any = udp_open(u), *spec = udp_open(u), *conn = udp_open(u);
  udp_bind(u, any, IPV4_ANY, 7);
  udp_bind(u, spec, FUZZ_STACK_ADDR, 53);
  udp_connect(u, conn, FUZZ_PEER_ADDR, 12345);
  struct udp_hdr h;
  enum net_drop_reason why;
  (void)udp_parse(data + 1, size - 1, FUZZ_PEER_ADDR, FUZZ_STACK_ADDR, &h, &why);
  fuzz_stack_ip(17, data + 1, size - 1, data[0] & 1);
  static uint8_t buf[65536];
  struct udp_sock *socks[] = {any, spec, conn};
  for (int i = 0; i < 3; i++) {
    // Bounded by the queue length.
    while (udp_readable(socks[i])) udp_recvfrom(u, socks[i], buf, sizeof(buf), NULL, NULL);
  }
  fuzz_stack_end();
  return 0;
}
