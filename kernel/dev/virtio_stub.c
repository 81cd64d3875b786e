// Placeholder until the virtio-mmio drivers land: no devices are driven yet.
#include "kernel/kernel.h"

void virtio_probe(const void *blob) { (void)blob; }
void virtio_irq(int intid) { (void)intid; }
void virtio_poll(void) {}
