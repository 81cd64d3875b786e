// Split virtqueue bookkeeping (VIRTIO 1.1, 2.6), independent of the transport and of memory
// allocation, so it is tested on host against a fake device. Single-descriptor buffers only:
// every buffer we post (a network frame with its header, an entropy buffer) is contiguous.
#ifndef KERNEL_DEV_VIRTQ_H_
#define KERNEL_DEV_VIRTQ_H_

#include <stddef.h>
#include <stdint.h>

#define VIRTQ_MAX_SIZE 256
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1  // driver -> device: no interrupt for buffers used

struct virtq_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

struct virtq_avail {
  uint16_t flags;
  uint16_t idx;
  uint16_t ring[];
};

struct virtq_used_elem {
  uint32_t id;
  uint32_t len;
};

struct virtq_used {
  uint16_t flags;
  uint16_t idx;
  struct virtq_used_elem ring[];
};

struct virtq {
  uint16_t size;  // power of two <= VIRTQ_MAX_SIZE
  struct virtq_desc *desc;
  struct virtq_avail *avail;
  struct virtq_used *used;
  uint16_t free_head;
  uint16_t num_free;
  uint16_t last_used;  // next used-ring index we have not consumed
  uint16_t in_flight;
  uint64_t tokens[VIRTQ_MAX_SIZE];  // caller's cookie per descriptor
  uint8_t busy[VIRTQ_MAX_SIZE];     // 1 while the device owns the descriptor
};

// Bytes needed for each area of a queue of `size` entries.
size_t virtq_desc_bytes(uint16_t size);
size_t virtq_avail_bytes(uint16_t size);
size_t virtq_used_bytes(uint16_t size);

// `desc`, `avail`, `used` must be zeroed, suitably aligned (16/2/4) memory of the sizes above.
int virtq_init(struct virtq *q, uint16_t size, void *desc, void *avail, void *used);
// Posts one buffer; returns its descriptor index, or -1 when the ring is full.
int virtq_add(struct virtq *q, uint64_t addr, uint32_t len, int device_writes, uint64_t token);
// Takes one completed buffer; returns 1 and fills token/len, 0 when none, -1 when the device
// returned a descriptor we do not own (a broken device: the caller should stop using it).
int virtq_get(struct virtq *q, uint64_t *token, uint32_t *len);
// 1 when the device asked to be notified (VIRTQ_USED_F_NO_NOTIFY clear).
int virtq_should_notify(const struct virtq *q);

#endif  // KERNEL_DEV_VIRTQ_H_
