// RAM file system: a bounded table of nodes (directories and files), data on the kernel heap.
#ifndef KERNEL_FS_RAMFS_H_
#define KERNEL_FS_RAMFS_H_

#include <stddef.h>
#include <stdint.h>

#define RAMFS_MAX_NODES 512
#define RAMFS_MAX_FILE (8u << 20)

// All return negative VDOS_E* on failure.
int ramfs_lookup(const char *path);              // node index
int ramfs_create(const char *path, int is_dir);  // node index; -EEXIST if present
int ramfs_is_dir(int node);
uint32_t ramfs_gen(int node);  // changes when the slot is reused
size_t ramfs_size(int node);
long ramfs_read(int node, size_t off, void *buf, size_t n);
long ramfs_write(int node, size_t off, const void *buf, size_t n);
int ramfs_truncate(int node);
int ramfs_unlink(const char *path);  // files only
int ramfs_rmdir(const char *path);   // empty directories only
int ramfs_rename(const char *from, const char *to);
// index-th entry of a directory: fills name (NAME_MAX+1 bytes), returns the node or -ENOENT.
int ramfs_readdir(const char *path, size_t index, char *name, size_t name_size);
const uint8_t *ramfs_data(int node);

#endif  // KERNEL_FS_RAMFS_H_
