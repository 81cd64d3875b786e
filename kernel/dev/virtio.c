// virtio-mmio (version 2, "modern") transport with the net and entropy devices.
#include "kernel/abi/syscalls.h"
#include "kernel/dev/netdev.h"
#include "kernel/dev/virtq.h"
#include "kernel/dtb/fdt.h"
#include "kernel/kernel.h"

#define MMIO_MAGIC 0x000
#define MMIO_VERSION 0x004
#define MMIO_DEVICE_ID 0x008
#define MMIO_DEVICE_FEATURES 0x010
#define MMIO_DEVICE_FEATURES_SEL 0x014
#define MMIO_DRIVER_FEATURES 0x020
#define MMIO_DRIVER_FEATURES_SEL 0x024
#define MMIO_QUEUE_SEL 0x030
#define MMIO_QUEUE_NUM_MAX 0x034
#define MMIO_QUEUE_NUM 0x038
#define MMIO_QUEUE_READY 0x044
#define MMIO_QUEUE_NOTIFY 0x050
#define MMIO_INTERRUPT_STATUS 0x060
#define MMIO_INTERRUPT_ACK 0x064
#define MMIO_STATUS 0x070
#define MMIO_QUEUE_DESC 0x080
#define MMIO_QUEUE_DRIVER 0x090
#define MMIO_QUEUE_DEVICE 0x0a0
#define MMIO_CONFIG 0x100

#define STATUS_ACK 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED 128

#define F_NET_MAC (1ull << 5)
#define F_NET_STATUS (1ull << 16)
#define F_VERSION_1 (1ull << 32)

#define NET_QSIZE 64
#define NET_BUF 2048
#define NET_HDR 12  // struct virtio_net_hdr with num_buffers (VERSION_1)

struct vdev {
  volatile uint8_t *base;
  int intid;
  volatile int pending;  // set by the interrupt, cleared by the poll
};

static inline uint32_t r32(struct vdev *d, unsigned off) {
  return *(volatile uint32_t *)(d->base + off);
}
static inline void w32(struct vdev *d, unsigned off, uint32_t v) {
  *(volatile uint32_t *)(d->base + off) = v;
}

static struct vdev net, rng;
static struct virtq rxq, txq, rngq;
static uint8_t *rx_bufs[NET_QSIZE], *tx_bufs[NET_QSIZE];
static uint8_t tx_free[NET_QSIZE];
static uint8_t mac[6];
static int net_ok, rng_ok, has_status;
static struct netdev_stats stats;
static unsigned tx_unkicked;  // frames in the TX ring the device has not been told about
static int tx_held;           // set by netdev_tx_hold(): netdev_tx_poll leaves them for now
static int tx_batching;       // inside a send() call (netdev_tx_batch): frames wait for a flush
static int tx_due;            // frames were pending at a kernel entry: they go out at its poll
// Deferred producer (netdev_tx_set_producer): builds frames that were left unbuilt until a flush.
static void (*tx_produce_fn)(void);
static int (*tx_pending_fn)(void);
static int tx_producing;  // the producer's own frames must not call it again

// Allocates and registers queue `index` with `size` entries.
static int setup_queue(struct vdev *d, unsigned index, struct virtq *q, uint16_t size) {
  w32(d, MMIO_QUEUE_SEL, index);
  if (r32(d, MMIO_QUEUE_READY) != 0) return -1;
  uint32_t max = r32(d, MMIO_QUEUE_NUM_MAX);
  if (max == 0) return -1;
  while (size > max) size /= 2;
  uint8_t *desc = page_alloc(), *avail = page_alloc(), *used = page_alloc();
  if (!desc || !avail || !used) return -1;
  if (virtq_init(q, size, desc, avail, used) != 0) return -1;
  w32(d, MMIO_QUEUE_NUM, size);
  w32(d, MMIO_QUEUE_DESC, (uint32_t)(uint64_t)desc);
  w32(d, MMIO_QUEUE_DESC + 4, (uint32_t)((uint64_t)desc >> 32));
  w32(d, MMIO_QUEUE_DRIVER, (uint32_t)(uint64_t)avail);
  w32(d, MMIO_QUEUE_DRIVER + 4, (uint32_t)((uint64_t)avail >> 32));
  w32(d, MMIO_QUEUE_DEVICE, (uint32_t)(uint64_t)used);
  w32(d, MMIO_QUEUE_DEVICE + 4, (uint32_t)((uint64_t)used >> 32));
  w32(d, MMIO_QUEUE_READY, 1);
  return 0;
}

// Reset + feature negotiation (VIRTIO 1.1, 3.1.1). Returns the accepted features or 0.
static uint64_t negotiate(struct vdev *d, uint64_t wanted) {
  w32(d, MMIO_STATUS, 0);
  w32(d, MMIO_STATUS, STATUS_ACK);
  w32(d, MMIO_STATUS, STATUS_ACK | STATUS_DRIVER);
  w32(d, MMIO_DEVICE_FEATURES_SEL, 0);
  uint64_t features = r32(d, MMIO_DEVICE_FEATURES);
  w32(d, MMIO_DEVICE_FEATURES_SEL, 1);
  features |= (uint64_t)r32(d, MMIO_DEVICE_FEATURES) << 32;
  uint64_t accept = features & wanted;
  if (!(accept & F_VERSION_1)) return 0;
  w32(d, MMIO_DRIVER_FEATURES_SEL, 0);
  w32(d, MMIO_DRIVER_FEATURES, (uint32_t)accept);
  w32(d, MMIO_DRIVER_FEATURES_SEL, 1);
  w32(d, MMIO_DRIVER_FEATURES, (uint32_t)(accept >> 32));
  w32(d, MMIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK);
  if (!(r32(d, MMIO_STATUS) & STATUS_FEATURES_OK)) return 0;
  return accept;
}

static void fail(struct vdev *d, const char *what) {
  w32(d, MMIO_STATUS, STATUS_FAILED);
  klog(LOG_ERROR, "%s: initialisation failed", what);
}

static void notify(struct vdev *d, struct virtq *q, unsigned index) {
  if (virtq_should_notify(q)) w32(d, MMIO_QUEUE_NOTIFY, index);
}

static void net_rx_post(int i) { virtq_add(&rxq, (uint64_t)rx_bufs[i], NET_BUF, 1, (uint64_t)i); }

static void net_init(void) {
  uint64_t f = negotiate(&net, F_VERSION_1 | F_NET_MAC | F_NET_STATUS);
  if (!f || !(f & F_NET_MAC)) return fail(&net, "virtio-net");
  has_status = (f & F_NET_STATUS) != 0;
  if (setup_queue(&net, 0, &rxq, NET_QSIZE) || setup_queue(&net, 1, &txq, NET_QSIZE))
    return fail(&net, "virtio-net");
  for (int i = 0; i < NET_QSIZE; i += 2) {
    uint8_t *rx = page_alloc(), *tx = page_alloc();
    if (!rx || !tx) return fail(&net, "virtio-net");
    rx_bufs[i] = rx;
    rx_bufs[i + 1] = rx + NET_BUF;
    tx_bufs[i] = tx;
    tx_bufs[i + 1] = tx + NET_BUF;
  }
  for (int i = 0; i < rxq.size; i++) net_rx_post(i);
  for (int i = 0; i < txq.size; i++) tx_free[i] = 1;
  // Sent frames need no interrupt: netdev_send reclaims finished TX buffers itself (netdev_poll)
  // before it looks for a free one. An interrupt per sent frame would cost an exception and a
  // poll each, and wake a CPU that waits for the answer only to send it back to sleep.
  txq.avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
  for (int i = 0; i < 6; i++) mac[i] = *(volatile uint8_t *)(net.base + MMIO_CONFIG + i);
  w32(&net, MMIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
  gic_enable(net.intid);
  notify(&net, &rxq, 0);
  net_ok = 1;
  klog(LOG_INFO, "virtio-net: MAC %02x:%02x:%02x:%02x:%02x:%02x, link %s, %u RX/%u TX buffers",
       mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], netdev_link_up() ? "up" : "down", rxq.size,
       txq.size);
}

static void rng_init(void) {
  if (!negotiate(&rng, F_VERSION_1)) return fail(&rng, "virtio-rng");
  if (setup_queue(&rng, 0, &rngq, 8)) return fail(&rng, "virtio-rng");
  w32(&rng, MMIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
  rng_ok = 1;
  uint8_t sample[16];
  int n = virtio_rng_read(sample, sizeof(sample));
  klog(LOG_INFO, "virtio-rng: ready, %d bytes read", n);
}

int virtio_rng_read(void *buf, size_t len) {
  if (!rng_ok) return -VDOS_EIO;
  static uint8_t bounce[256] __attribute__((aligned(64)));
  if (len > sizeof(bounce)) len = sizeof(bounce);
  if (virtq_add(&rngq, (uint64_t)bounce, (uint32_t)len, 1, 1) < 0) return -VDOS_EBUSY;
  w32(&rng, MMIO_QUEUE_NOTIFY, 0);
  uint64_t deadline = time_ns() + 100000000ull;  // the device answers at once on QEMU
  uint64_t tok;
  uint32_t got;
  for (;;) {
    int r = virtq_get(&rngq, &tok, &got);
    if (r == 1) break;
    if (r < 0 || time_ns() > deadline) {
      rng_ok = 0;  // the buffer may still be the device's: never reuse this queue
      return -VDOS_EIO;
    }
  }
  memcpy(buf, bounce, got);
  return (int)got;
}

void virtio_probe(const void *blob) {
  struct fdt f;
  if (fdt_init(&f, blob, fdt_total_size(blob)) != 0) return;
  int node = -1;
  for (int guard = 0; guard < 64; guard++) {
    node = fdt_node_by_compatible(&f, node, "virtio,mmio");
    if (node < 0) break;
    uint64_t base, size;
    size_t len;
    const uint8_t *irq = fdt_getprop(&f, node, "interrupts", &len);
    if (fdt_reg(&f, node, 0, 2, 2, &base, &size) != 0 || !irq || len < 12) continue;
    struct vdev d = {(volatile uint8_t *)base, 32 + (int)fdt_be32(irq + 4), 0};
    if (r32(&d, MMIO_MAGIC) != 0x74726976) continue;
    uint32_t id = r32(&d, MMIO_DEVICE_ID);
    if (id == 0) continue;  // empty slot
    if (r32(&d, MMIO_VERSION) != 2) {
      klog(LOG_WARN, "virtio: device %u at %p is legacy (version 1); skipped", id, (void *)base);
      continue;
    }
    if (id == 1 && !net.base) {
      net = d;
      net_init();
    } else if (id == 4 && !rng.base) {
      rng = d;
      rng_init();
    }
  }
}

void virtio_irq(int intid) {
  // Interrupt context: acknowledge and mark work only.
  if (net.base && intid == net.intid) {
    w32(&net, MMIO_INTERRUPT_ACK, r32(&net, MMIO_INTERRUPT_STATUS));
    net.pending = 1;
    stats.irqs++;
  }
}

int netdev_present(void) { return net_ok; }
void netdev_mac(uint8_t out[6]) { memcpy(out, mac, 6); }
const struct netdev_stats *netdev_get_stats(void) { return &stats; }

int netdev_link_up(void) {
  if (!net_ok) return 0;
  if (!has_status) return 1;
  return (*(volatile uint16_t *)(net.base + MMIO_CONFIG + 6) & 1) != 0;
}

static void broken(void) {
  stats.errors++;
  net_ok = 0;
  klog(LOG_ERROR, "virtio-net: device returned a buffer it does not own; stopped");
}

void netdev_poll(void) {
  if (!net_ok) return;
  net.pending = 0;
  uint64_t tok;
  uint32_t len;
  int r;
  for (int guard = 0; guard < NET_QSIZE && (r = virtq_get(&txq, &tok, &len)) != 0; guard++) {
    if (r < 0 || tok >= NET_QSIZE) return broken();
    tx_free[tok] = 1;
  }
}

void netdev_tx_set_producer(void (*produce)(void), int (*pending)(void)) {
  tx_produce_fn = produce;
  tx_pending_fn = pending;
}

static int tx_work_pending(void) { return tx_pending_fn && !tx_producing && tx_pending_fn(); }

// The doorbell itself, for the frames already in the ring. netdev_send's own kicks (ring full,
// NETDEV_TX_KICK_BATCH) use only this: they happen inside the stack, where building more frames
// would re-enter it.
static void tx_kick(void) {
  if (!net_ok || tx_unkicked == 0) return;
  tx_unkicked = 0;
  tx_due = 0;
  stats.tx_kicks++;
  notify(&net, &txq, 1);
}

void netdev_tx_flush(void) {
  if (tx_work_pending()) {
    // Its frames share this doorbell: queue them all first, then ring once.
    int was = tx_batching;
    tx_producing = 1;
    tx_batching = 1;
    tx_produce_fn();
    tx_batching = was;
    tx_producing = 0;
  }
  tx_kick();
  tx_due = 0;  // everything due is built and announced (the producer may have built nothing)
}

void netdev_tx_batch(void) { tx_batching = 1; }

void netdev_tx_hold(void) {
  tx_batching = 0;
  tx_held = 1;
}
void netdev_tx_release(void) {
  tx_held = 0;
  // A hold never carries frames — or the deferred work that would build them — past a second
  // kernel entry.
  if (tx_unkicked || tx_work_pending()) tx_due = 1;
}

int netdev_send(const void *frame, size_t len) {
  if (!net_ok) return -19;  // ENODEV
  if (len < 14 || len > NETDEV_MTU_FRAME) return -VDOS_EINVAL;
  netdev_poll();
  int slot = -1;
  for (int i = 0; i < txq.size; i++) {
    if (tx_free[i]) {
      slot = i;
      break;
    }
  }
  if (slot < 0) {
    tx_kick();  // the device may not know about the frames filling the ring
    stats.tx_busy++;
    return -VDOS_EAGAIN;
  }
  memset(tx_bufs[slot], 0, NET_HDR);
  memcpy(tx_bufs[slot] + NET_HDR, frame, len);
  if (virtq_add(&txq, (uint64_t)tx_bufs[slot], (uint32_t)(NET_HDR + len), 0, (uint64_t)slot) < 0) {
    stats.tx_busy++;
    return -VDOS_EAGAIN;
  }
  tx_free[slot] = 0;  // the device owns it until the used ring returns it
  if (++tx_unkicked >= NETDEV_TX_KICK_BATCH || !tx_batching) tx_kick();
  stats.tx_frames++;
  stats.tx_bytes += len;
  return 0;
}

int netdev_recv(void *buf, size_t cap) {
  if (!net_ok) return -19;
  for (int guard = 0; guard < NET_QSIZE; guard++) {
    uint64_t tok;
    uint32_t len;
    int r = virtq_get(&rxq, &tok, &len);
    if (r == 0) return 0;
    if (r < 0 || tok >= NET_QSIZE) {
      broken();
      return -VDOS_EIO;
    }
    int i = (int)tok;
    if (len < NET_HDR + 14) {  // runt: recycle and look at the next one
      stats.rx_dropped++;
      net_rx_post(i);
      notify(&net, &rxq, 0);
      continue;
    }
    size_t n = len - NET_HDR;
    int ret;
    if (n > cap) {
      stats.rx_dropped++;
      ret = -VDOS_EINVAL;
    } else {
      memcpy(buf, rx_bufs[i] + NET_HDR, n);
      stats.rx_frames++;
      stats.rx_bytes += n;
      ret = (int)n;
    }
    net_rx_post(i);  // refill at once: the ring never runs dry
    notify(&net, &rxq, 0);
    return ret;
  }
  return 0;
}

void virtio_poll(void) {
  if (net.pending) netdev_poll();
}

int virtio_poll_due(void) { return net.pending; }

void netdev_tx_poll(void) {
  if (!tx_held || tx_due) netdev_tx_flush();
}

int netdev_tx_poll_due(void) {
  // What netdev_tx_flush() would act on: unannounced frames or deferred work to build.
  return (!tx_held || tx_due) && (tx_unkicked || tx_work_pending());
}
