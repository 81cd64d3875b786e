// Attaching to an existing Linux TAP device.
#ifndef TOOLS_VNET_TAP_H_
#define TOOLS_VNET_TAP_H_

#include <stddef.h>

// Opens /dev/net/tun and attaches to tap device `name` (no packet-information header),
// non-blocking. Returns the fd, or -1 with a message printed to stderr.
int tap_open(const char *name);

#endif  // TOOLS_VNET_TAP_H_
