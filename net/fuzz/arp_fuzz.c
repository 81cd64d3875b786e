// ARP packets into a stack that has a resolution pending (queued packet waiting), so replies,
// conflicts and malformed packets all meet real state. Input: byte 0 picks the host being
// resolved; the rest is a sequence of ARP packets, each prefixed by a length byte.
#include <string.h>

#include "net/arp/arp_wire.h"
#include "net/ethernet/eth_wire.h"
#include "net/fuzz/fuzz_stack.h"
#include "tools/fuzz/fuzz_seeds.h"

static const uint8_t kReply[] = {5,    28, 0, 1, 8, 0,    6, 4, 0, 2, 0x02, 0,  0, 0, 0,
                                 0x05, 10, 0, 0, 5, 0x02, 0, 0, 0, 0, 0x02, 10, 0, 0, 2};
static const uint8_t kRequest[] = {1,    28, 0, 1, 8, 0, 6, 4, 0, 1, 0x02, 0,  0, 0, 0,
                                   0x01, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0,    10, 0, 0, 2};
static const struct fuzz_seed kSeeds[] = {FUZZ_SEED(kReply), FUZZ_SEED(kRequest)};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_stack_begin();
  if (size >= 1) {
    struct icmp_ping pg;
    if (icmp_ping_open(&fuzz_stack->icmp, &pg, IPV4_ADDR(10, 0, 0, data[0])) == 0) {
      icmp_ping_send(&pg, 1, 32);
      icmp_ping_send(&pg, 2, 32);
      icmp_ping_close(&pg);
    }
    data++;
    size--;
  }
  while (size > 0) {
    size_t n = data[0];
    data++;
    size--;
    if (n > size) n = size;
    struct arp_pkt pkt;
    (void)arp_parse(data, n, &pkt);
    fuzz_stack_eth(ETH_TYPE_ARP, data, n);
    data += n;
    size -= n;
    fuzz_stack_advance_ms(300);
  }
  fuzz_stack_end();
  return 0;
}
