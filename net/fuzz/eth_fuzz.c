// Whole frames into a whole stack: Ethernet demux and everything behind it.
#include <string.h>

#include "net/ethernet/eth_wire.h"
#include "net/fuzz/fuzz_stack.h"
#include "tools/fuzz/fuzz_seeds.h"

static const uint8_t kPing[] = {0x02, 0,    0,    0,    0, 0x02, 0x02, 0, 0,  0,
                                0,    0x01, 0x08, 0x00,  // Ethernet
                                0x45, 0,    0,    28,   0, 1,    0,    0, 64, 1,
                                0x66, 0xd2, 10,   0,    0, 1,    10,   0, 0,  2,  // IPv4
                                8,    0,    0xf7, 0xfe, 0, 1,    0,    0};  // ICMP echo request
static const uint8_t kArp[] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0,  0, 0, 0, 0x01, 0x08, 0x06, 0, 1, 8, 0,  6, 4, 0,
    1,    0x02, 0,    0,    0,    0,    0x01, 10, 0, 0, 1, 0,    0,    0,    0, 0, 0, 10, 0, 0, 2};
static const struct fuzz_seed kSeeds[] = {FUZZ_SEED(kPing), FUZZ_SEED(kArp)};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct eth_hdr h;
  (void)eth_parse(data, size, &h);
  fuzz_stack_begin();
  net_stack_input_frame(fuzz_stack, data, size);
  fuzz_stack_end();
  return 0;
}
