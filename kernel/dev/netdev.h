// Frame-in/frame-out interface of the network device, for the network stack's platform layer.
// Independent of any protocol code: whole Ethernet frames (no FCS) go in and out.
#ifndef KERNEL_DEV_NETDEV_H_
#define KERNEL_DEV_NETDEV_H_

#include <stddef.h>
#include <stdint.h>

#define NETDEV_MTU_FRAME 1514

struct netdev_stats {
  uint64_t rx_frames, rx_bytes, rx_dropped;
  uint64_t tx_frames, tx_bytes, tx_busy;  // tx_busy: sends refused because the ring was full
  uint64_t irqs;
  uint64_t tx_kicks;  // TX doorbells rung (one per batch of frames)
  uint64_t errors;    // device protocol violations (the driver then stops using the device)
};

// 1 when a virtio-net device is up.
int netdev_present(void);
void netdev_mac(uint8_t mac[6]);
int netdev_link_up(void);
// Copies the frame into a TX buffer and hands it to the device. Returns 0, -EAGAIN when all TX
// buffers are still owned by the device, -EINVAL for a bad length, -ENODEV without a device.
int netdev_send(const void *frame, size_t len);
// Copies the next received frame into buf. Returns its length, 0 when none is waiting,
// -EMSGSIZE-like -EINVAL when cap is too small (the frame is dropped and counted).
int netdev_recv(void *buf, size_t cap);
// TX doorbells. A doorbell (a write to the device's notify register) is an exit to QEMU: tens of
// microseconds under TCG, more than everything else a small send() does. Frames the stack sends
// on its own (ACKs, retransmissions, handshakes) ring it at once, as before. Between
// netdev_tx_batch() and netdev_tx_hold() — a send() system call — netdev_send() only queues; the
// doorbell then rings once for all frames queued since the last one:
//  - at the end of every kernel_poll() (netdev_tx_poll), except on the way back to EL0 from
//    the system call that queued them (netdev_tx_hold): a send() leaves its frames for the
//    program's next kernel entry — its next system call, or an interrupt (the 100 Hz tick at
//    the latest) — whose poll announces them. Frames never wait past that second entry;
//  - always before the CPU waits (irq_wait -> netdev_tx_flush), so nothing queued waits on
//    an idle device;
//  - at once when NETDEV_TX_KICK_BATCH frames are pending or the ring is full.
#ifndef NETDEV_TX_KICK_BATCH
#define NETDEV_TX_KICK_BATCH 16
#endif
// Deferred frame building. A network stack may leave a send()'s segment unbuilt (TCP_SEND_DEFER)
// because its frame could not reach the device before the next doorbell anyway: produce() builds
// and queues everything deferred, pending() says whether anything is. netdev_tx_flush() calls
// produce() before it rings, so deferred work follows exactly the doorbell rules above (a
// pending() at a kernel entry counts like a queued frame), and nothing leaves later than it
// would have had it been built at once.
void netdev_tx_set_producer(void (*produce)(void), int (*pending)(void));
// Builds deferred frames (see netdev_tx_set_producer), then rings the doorbell for every frame
// queued and not yet announced.
void netdev_tx_flush(void);
// End of kernel_poll(): rings the doorbell unless held.
void netdev_tx_poll(void);
// Whether netdev_tx_poll() would build or announce anything now (kernel_poll_due).
int netdev_tx_poll_due(void);
// Start of a send(): frames are queued without a doorbell until the next flush.
void netdev_tx_batch(void);
// End of a send(): the next kernel_poll() may leave queued frames unannounced (see above).
void netdev_tx_hold(void);
// A new kernel entry (system call, interrupt): pending frames are announced at its next poll.
void netdev_tx_release(void);
// Work marked by interrupts: reclaims TX, refills RX. Called from the idle loop, blocking
// syscalls and before returning to EL0 — never from the interrupt itself.
void netdev_poll(void);
const struct netdev_stats *netdev_get_stats(void);

#endif  // KERNEL_DEV_NETDEV_H_
