// Shared harness for the net/ fuzz targets: a fresh stack on a fake platform per input, helpers
// to wrap fuzz bytes into frames/datagrams, and invariant checks after each input (every frame
// the stack emitted parses cleanly; no buffer leaks once timers have run out and sockets are
// closed). A violated invariant aborts, which libFuzzer reports as a crash.
#ifndef NET_FUZZ_FUZZ_STACK_H_
#define NET_FUZZ_FUZZ_STACK_H_

#include <stddef.h>
#include <stdint.h>

#include "net/stack/stack.h"
#include "net/testing/fake_platform.h"

#define FUZZ_STACK_ADDR IPV4_ADDR(10, 0, 0, 2)
#define FUZZ_PEER_ADDR IPV4_ADDR(10, 0, 0, 1)

extern struct net_stack *fuzz_stack;
extern struct fake_platform *fuzz_plat;
extern const uint8_t kFuzzStackMac[6];
extern const uint8_t kFuzzPeerMac[6];

// Creates the stack (up, with a gateway and a DNS server configured).
void fuzz_stack_begin(void);

// Injects an Ethernet frame addressed to the stack with the given EtherType and payload.
void fuzz_stack_eth(uint16_t type, const uint8_t *payload, size_t len);

// Injects an IPv4 datagram from the peer with a valid header around payload. When fix_l4 is set,
// the UDP/ICMP checksum inside payload is recomputed first (if payload is long enough).
void fuzz_stack_ip(uint8_t proto, const uint8_t *payload, size_t len, int fix_l4);

// Advances the fake clock and runs timers.
void fuzz_stack_advance_ms(uint64_t ms);

// Checks emitted frames, lets every timer run out, checks for leaks. Aborts on violation.
void fuzz_stack_end(void);

#endif  // NET_FUZZ_FUZZ_STACK_H_
