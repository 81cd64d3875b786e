// ICMP messages from the peer to a stack with a ping session and a connected UDP socket open,
// so echo replies and errors quoting our own datagrams reach the matching code. Input: byte 0
// flags (bit 0: fix the ICMP checksum), then the ICMP message.
#include <string.h>

#include "net/fuzz/fuzz_stack.h"
#include "net/icmp/icmp_wire.h"
#include "tools/fuzz/fuzz_seeds.h"

static const uint8_t kEcho[] = {1, 8, 0, 0, 0, 0x12, 0x34, 0, 1, 'a', 'b', 'c', 'd'};
// Port unreachable quoting a UDP datagram 10.0.0.2:49152 -> 10.0.0.1:53.
static const uint8_t kUnreach[] = {1, 3, 3, 0,    0,  0,  0,  0, 0,  0x45, 0, 0, 28,
                                   0, 1, 0, 0,    64, 17, 0,  0, 10, 0,    0, 2, 10,
                                   0, 0, 1, 0xc0, 0,  0,  53, 0, 8,  0,    0};
static const struct fuzz_seed kSeeds[] = {FUZZ_SEED(kEcho), FUZZ_SEED(kUnreach)};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  fuzz_stack_begin();
  struct icmp_ping pg;
  icmp_ping_open(&fuzz_stack->icmp, &pg, FUZZ_PEER_ADDR);
  icmp_ping_send(&pg, 1, 16);
  struct udp_sock *s = udp_open(&fuzz_stack->udp);
  udp_connect(&fuzz_stack->udp, s, FUZZ_PEER_ADDR, 53);
  udp_send(&fuzz_stack->udp, s, "q", 1);
  struct icmp_hdr h;
  enum net_drop_reason why;
  (void)icmp_parse(data + 1, size - 1, &h, &why);
  fuzz_stack_ip(1, data + 1, size - 1, data[0] & 1);
  struct icmp_ping_reply r;
  while (icmp_ping_next(&pg, &r)) {
  }
  char buf[64];
  udp_recvfrom(&fuzz_stack->udp, s, buf, sizeof(buf), NULL, NULL);
  icmp_ping_close(&pg);
  fuzz_stack_end();
  return 0;
}
