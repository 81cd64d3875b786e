// Sequences of IPv4 datagrams, typically fragments, with time passing between them: exercises
// validation, options, reassembly (overlaps, duplicates, limits, timeouts) and delivery.
// Input: records of [flags][advance (x100 ms)][len_hi][len_lo][bytes]. flags bit 0: fix the
// header checksum; bit 1: force source/destination to peer/stack.
#include <string.h>

#include "net/core/checksum.h"
#include "net/ethernet/eth_wire.h"
#include "net/fuzz/fuzz_stack.h"
#include "net/ipv4/ipv4_wire.h"
#include "tools/fuzz/fuzz_seeds.h"

// Two fragments of an ICMP echo request (8 + 16 bytes of payload).
static const uint8_t kFrags[] = {
    3,  0, 0, 36, 0x45, 0,  0,  36, 0,  9,  0x20, 0,  64, 1,  0,  0,  10, 0,  0,  1,
    10, 0, 0, 2,  8,    0,  0,  0,  0,  1,  0,    1,  1,  2,  3,  4,  5,  6,  7,  8,
    3,  0, 0, 36, 0x45, 0,  0,  36, 0,  9,  0,    2,  64, 1,  0,  0,  10, 0,  0,  1,
    10, 0, 0, 2,  9,    10, 11, 12, 13, 14, 15,   16, 17, 18, 19, 20, 21, 22, 23, 24};
// A header with options (NOP, NOP, a 4-byte option, EOL padding).
static const uint8_t kOptions[] = {3, 0, 0,  40, 0x47, 0,    0,  40, 0, 1, 0, 0, 64,   17,
                                   0, 0, 10, 0,  0,    1,    10, 0,  0, 2, 1, 1, 0x88, 4,
                                   0, 0, 0,  0,  0x30, 0x39, 0,  7,  0, 8, 0, 0};
static const struct fuzz_seed kSeeds[] = {FUZZ_SEED(kFrags), FUZZ_SEED(kOptions)};
const struct fuzz_seed *fuzz_seeds(size_t *count) {
  *count = sizeof(kSeeds) / sizeof(kSeeds[0]);
  return kSeeds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t dgram[65535];
  fuzz_stack_begin();
  while (size >= 4) {
    uint8_t flags = data[0];
    uint64_t advance = data[1];
    size_t n = (size_t)data[2] << 8 | data[3];
    data += 4;
    size -= 4;
    if (n > size) n = size;
    memcpy(dgram, data, n);
    data += n;
    size -= n;
    if ((flags & 2) && n >= 20) {
      net_put32(dgram + 12, FUZZ_PEER_ADDR);
      net_put32(dgram + 16, FUZZ_STACK_ADDR);
    }
    if ((flags & 1) && n >= 20) {
      size_t hl = (size_t)(dgram[0] & 0xf) * 4;
      if (hl >= 20 && hl <= n) {
        dgram[10] = dgram[11] = 0;
        net_put16(dgram + 10, net_cksum(dgram, hl));
      }
    }
    struct ipv4_hdr h;
    enum net_drop_reason why;
    (void)ipv4_parse(dgram, n, &h, &why);
    fuzz_stack_eth(ETH_TYPE_IPV4, dgram, n);
    if (advance) fuzz_stack_advance_ms(advance * 100);
  }
  fuzz_stack_end();
  return 0;
}
