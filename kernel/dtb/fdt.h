// A small, bounded reader for flattened device trees (DTB, devicetree spec v0.4 chapter 5).
//
// Why our own instead of libfdt: the kernel needs read-only lookups of a handful of nodes
// (memory, PL011, GIC, timer, virtio-mmio, /chosen) from a blob QEMU generates. A reader of a
// few hundred lines, where every offset and length is checked against the blob size and every
// walk is bounded, is easy to audit and to test on host, and brings no second build mechanism
// into the kernel. All functions are pure (no allocation, no globals) and safe on corrupt input.
#ifndef KERNEL_DTB_FDT_H_
#define KERNEL_DTB_FDT_H_

#include <stddef.h>
#include <stdint.h>

#define FDT_MAX_DEPTH 16

struct fdt {
  const uint8_t *blob;
  size_t size;  // totalsize, validated
  const uint8_t *structs;
  size_t struct_size;
  const char *strings;
  size_t strings_size;
};

// Returns 0 and fills *f when `blob` (at most `max_size` bytes readable) is a valid v16/v17
// header whose blocks lie inside the blob; a negative value otherwise.
int fdt_init(struct fdt *f, const void *blob, size_t max_size);

// Reads the totalsize field (big-endian) without further checks; 0 if the magic is wrong.
size_t fdt_total_size(const void *blob);

// Offset of the node whose full path is `path` ("/", "/chosen", "/pl011@9000000"), or -1.
int fdt_path_offset(const struct fdt *f, const char *path);

// Iterates nodes: returns the offset of the first node after `offset` (use -1 to start) whose
// "compatible" list contains `compat`, or -1.
int fdt_node_by_compatible(const struct fdt *f, int offset, const char *compat);

// First node (after `offset`, -1 to start) whose name is `name` or starts with `name@`.
int fdt_node_by_name(const struct fdt *f, int offset, const char *name);

// Property lookup in the node at `node`: returns a pointer into the blob and its length.
const void *fdt_getprop(const struct fdt *f, int node, const char *name, size_t *len);

// Helpers for big-endian cells.
uint32_t fdt_be32(const void *p);
uint64_t fdt_be64(const void *p);

// Reads the `index`-th (address, size) pair of "reg" using #address-cells / #size-cells of the
// parent (given; QEMU virt uses 2/2). Returns 0 on success.
int fdt_reg(const struct fdt *f, int node, int index, unsigned addr_cells, unsigned size_cells,
            uint64_t *addr, uint64_t *size);

// Reads a u32 property; returns 0 on success.
int fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t *out);

// Name of the node at `node` (pointer into the blob), or NULL.
const char *fdt_node_name(const struct fdt *f, int node);

#endif  // KERNEL_DTB_FDT_H_
