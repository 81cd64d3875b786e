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
  uint64_t errors;  // device protocol violations (the driver then stops using the device)
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
// Work marked by interrupts: reclaims TX, refills RX. Called from the idle loop, blocking
// syscalls and before returning to EL0 — never from the interrupt itself.
void netdev_poll(void);
const struct netdev_stats *netdev_get_stats(void);

#endif  // KERNEL_DEV_NETDEV_H_
