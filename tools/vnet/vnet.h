// vnet: the network stack as a Linux program on a TAP device. Shared state of the program and
// the seams where commands and services plug in (TCP adds its own in tcp_glue.c).
#ifndef TOOLS_VNET_VNET_H_
#define TOOLS_VNET_VNET_H_

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/stack/stack.h"
#include "net/testing/impair.h"
#include "tools/vnet/tap.h"

#define VNET_MAX_HOOKS 16

struct vnet;

// Called once per loop iteration after frames and timers were processed.
typedef void (*vnet_hook_fn)(struct vnet *v, void *ctx);

struct vnet {
  struct net_stack stack;
  int tap_fd;
  // TAP offloads on (virtio-net header, TSO both ways): off under --impair, whose decisions are
  // per Ethernet frame, and with --no-offload.
  bool offload;
  struct tap_gso *gso;  // transmit coalescer (heap: 64 KB)
  bool impair_on;
  struct impair *imp_tx;  // frames we send (heap: large)
  struct impair *imp_rx;  // frames we receive
  bool print_stats;
  uint64_t tap_write_errors;
  uint64_t tap_bad_frames;  // offload reads without a usable frame
  struct {
    vnet_hook_fn fn;
    void *ctx;
  } hooks[VNET_MAX_HOOKS];
  unsigned hook_count;
  // Set by a command/service to make vnet_run return early.
  bool done;
};

extern volatile sig_atomic_t vnet_stop;  // set by SIGINT/SIGTERM

int vnet_add_hook(struct vnet *v, vnet_hook_fn fn, void *ctx);

// Monotonic milliseconds (the stack's clock).
uint64_t vnet_now_ms(struct vnet *v);

// Runs the event loop until `until_ms` (absolute, vnet_now_ms clock; UINT64_MAX: forever),
// vnet_stop, v->done, or cond(ctx) returns true. Returns true if cond became true.
bool vnet_run(struct vnet *v, uint64_t until_ms, bool (*cond)(void *ctx), void *ctx);

// Resolves HOST (dotted quad or DNS name) through the stack; prints a clear error on failure.
bool vnet_resolve_host(struct vnet *v, const char *host, ipv4_addr_t *out);

// Parses a port 1..65535.
bool vnet_parse_port(const char *s, uint16_t *out);

void vnet_print_stats(struct vnet *v);

// ---- Commands (cmd_*.c). argv[0] is the command name. Return the process exit code.
int vnet_cmd_serve(struct vnet *v, int argc, char **argv);
int vnet_cmd_ping(struct vnet *v, int argc, char **argv);
int vnet_cmd_resolve(struct vnet *v, int argc, char **argv);
int vnet_cmd_stats(struct vnet *v, int argc, char **argv);

// ---- TCP seam (tcp_glue.c). The stub returns false/2 with "TCP not available"; the TCP
// helper replaces it with the real services and commands.
// Called once after the stack is up.
bool vnet_tcp_init(struct vnet *v);
// serve options: --echo PORT, --discard PORT, --source PORT:BYTES.
bool vnet_tcp_serve_echo(struct vnet *v, uint16_t port);
bool vnet_tcp_serve_discard(struct vnet *v, uint16_t port);
bool vnet_tcp_serve_source(struct vnet *v, const char *spec);
// Extra commands (send, recv, ...): returns -1 if `name` is not a TCP command.
int vnet_tcp_command(struct vnet *v, int argc, char **argv);
// Usage lines for the TCP commands (may be "").
const char *vnet_tcp_usage(void);

#endif  // TOOLS_VNET_VNET_H_
