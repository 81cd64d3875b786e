#include "kernel/fs/ramfs.h"

#include "kernel/abi/syscalls.h"
#include "kernel/fs/cpio.h"
#include "kernel/kernel.h"

struct node {
  int used;
  int is_dir;
  int parent;
  uint32_t gen;
  char name[VDOS_NAME_MAX + 1];
  uint8_t *data;
  size_t size, cap;
};

static struct node nodes[RAMFS_MAX_NODES];

void ramfs_init(void) {
  memset(nodes, 0, sizeof(nodes));
  nodes[0].used = 1;
  nodes[0].is_dir = 1;
  nodes[0].parent = 0;
}

static int valid_node(int n) { return n >= 0 && n < RAMFS_MAX_NODES && nodes[n].used; }

static int child(int dir, const char *name, size_t len) {
  for (int i = 1; i < RAMFS_MAX_NODES; i++) {
    if (nodes[i].used && nodes[i].parent == dir && strlen(nodes[i].name) == len &&
        memcmp(nodes[i].name, name, len) == 0)
      return i;
  }
  return -VDOS_ENOENT;
}

// Resolves all components but the last; returns the parent directory and the last name.
static int walk_parent(const char *path, const char **last, size_t *last_len) {
  if (!path) return -VDOS_EINVAL;
  if (strnlen(path, VDOS_PATH_MAX) >= VDOS_PATH_MAX) return -VDOS_ENAMETOOLONG;
  int dir = 0;
  const char *p = path;
  for (;;) {
    while (*p == '/') p++;
    const char *start = p;
    while (*p && *p != '/') p++;
    size_t len = (size_t)(p - start);
    const char *q = p;
    while (*q == '/') q++;
    if (*q == 0) {  // last component
      *last = start;
      *last_len = len;
      return dir;
    }
    if (len > VDOS_NAME_MAX) return -VDOS_ENAMETOOLONG;
    if (len == 1 && start[0] == '.') continue;
    if (len == 2 && start[0] == '.' && start[1] == '.') {
      dir = nodes[dir].parent;
      continue;
    }
    int c = child(dir, start, len);
    if (c < 0) return c;
    if (!nodes[c].is_dir) return -VDOS_ENOTDIR;
    dir = c;
  }
}

int ramfs_lookup(const char *path) {
  const char *last;
  size_t len;
  int dir = walk_parent(path, &last, &len);
  if (dir < 0) return dir;
  if (len == 0 || (len == 1 && last[0] == '.')) return dir;
  if (len == 2 && last[0] == '.' && last[1] == '.') return nodes[dir].parent;
  if (len > VDOS_NAME_MAX) return -VDOS_ENAMETOOLONG;
  return child(dir, last, len);
}

static int name_ok(const char *name, size_t len) {
  if (len == 0) return -VDOS_EINVAL;
  if (len > VDOS_NAME_MAX) return -VDOS_ENAMETOOLONG;
  if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
    return -VDOS_EINVAL;
  return 0;
}

int ramfs_create(const char *path, int is_dir) {
  const char *last;
  size_t len;
  int dir = walk_parent(path, &last, &len);
  if (dir < 0) return dir;
  int err = name_ok(last, len);
  if (err) return err;
  if (child(dir, last, len) >= 0) return -VDOS_EEXIST;
  for (int i = 1; i < RAMFS_MAX_NODES; i++) {
    if (!nodes[i].used) {
      uint32_t gen = nodes[i].gen + 1;
      memset(&nodes[i], 0, sizeof(nodes[i]));
      nodes[i].used = 1;
      nodes[i].gen = gen;
      nodes[i].is_dir = is_dir;
      nodes[i].parent = dir;
      memcpy(nodes[i].name, last, len);
      return i;
    }
  }
  return -VDOS_ENOSPC;
}

int ramfs_is_dir(int n) { return valid_node(n) && nodes[n].is_dir; }
uint32_t ramfs_gen(int n) { return valid_node(n) ? nodes[n].gen : 0; }
size_t ramfs_size(int n) { return valid_node(n) ? nodes[n].size : 0; }
const uint8_t *ramfs_data(int n) { return valid_node(n) ? nodes[n].data : NULL; }

long ramfs_read(int n, size_t off, void *buf, size_t len) {
  if (!valid_node(n)) return -VDOS_EBADF;
  if (nodes[n].is_dir) return -VDOS_EISDIR;
  if (off >= nodes[n].size) return 0;
  size_t avail = nodes[n].size - off;
  if (len > avail) len = avail;
  memcpy(buf, nodes[n].data + off, len);
  return (long)len;
}

long ramfs_write(int n, size_t off, const void *buf, size_t len) {
  if (!valid_node(n)) return -VDOS_EBADF;
  if (nodes[n].is_dir) return -VDOS_EISDIR;
  if (off > RAMFS_MAX_FILE || len > RAMFS_MAX_FILE - off) return -VDOS_EFBIG;
  struct node *nd = &nodes[n];
  if (off + len > nd->cap) {
    size_t cap = nd->cap ? nd->cap : 256;
    while (cap < off + len) cap *= 2;
    if (cap > RAMFS_MAX_FILE) cap = RAMFS_MAX_FILE;
    uint8_t *d = kmalloc(cap);
    if (!d) return -VDOS_ENOSPC;
    if (nd->data) {
      memcpy(d, nd->data, nd->size);
      kfree(nd->data);
    }
    nd->data = d;
    nd->cap = cap;
  }
  if (off > nd->size) memset(nd->data + nd->size, 0, off - nd->size);
  memcpy(nd->data + off, buf, len);
  if (off + len > nd->size) nd->size = off + len;
  return (long)len;
}

int ramfs_truncate(int n) {
  if (!valid_node(n)) return -VDOS_EBADF;
  nodes[n].size = 0;
  return 0;
}

static void release(int n) {
  if (nodes[n].data) kfree(nodes[n].data);
  nodes[n].data = NULL;
  nodes[n].used = 0;
}

int ramfs_unlink(const char *path) {
  int n = ramfs_lookup(path);
  if (n < 0) return n;
  if (nodes[n].is_dir) return -VDOS_EISDIR;
  release(n);
  return 0;
}

int ramfs_rmdir(const char *path) {
  int n = ramfs_lookup(path);
  if (n < 0) return n;
  if (!nodes[n].is_dir) return -VDOS_ENOTDIR;
  if (n == 0) return -VDOS_EBUSY;
  for (int i = 1; i < RAMFS_MAX_NODES; i++) {
    if (nodes[i].used && nodes[i].parent == n) return -VDOS_ENOTEMPTY;
  }
  release(n);
  return 0;
}

int ramfs_rename(const char *from, const char *to) {
  int n = ramfs_lookup(from);
  if (n < 0) return n;
  if (n == 0) return -VDOS_EBUSY;
  const char *last;
  size_t len;
  int dir = walk_parent(to, &last, &len);
  if (dir < 0) return dir;
  int err = name_ok(last, len);
  if (err) return err;
  if (child(dir, last, len) >= 0) return -VDOS_EEXIST;
  // A directory must not move below itself (bounded walk up to the root).
  for (int d = dir, i = 0; i < RAMFS_MAX_NODES; i++) {
    if (d == n) return -VDOS_EINVAL;
    if (d == 0) break;
    d = nodes[d].parent;
  }
  nodes[n].parent = dir;
  memset(nodes[n].name, 0, sizeof(nodes[n].name));
  memcpy(nodes[n].name, last, len);
  return 0;
}

int ramfs_readdir(const char *path, size_t index, char *name, size_t name_size) {
  int d = ramfs_lookup(path);
  if (d < 0) return d;
  if (!nodes[d].is_dir) return -VDOS_ENOTDIR;
  size_t k = 0;
  for (int i = 1; i < RAMFS_MAX_NODES; i++) {
    if (nodes[i].used && nodes[i].parent == d) {
      if (k++ == index) {
        kstrlcpy(name, nodes[i].name, name_size);
        return i;
      }
    }
  }
  return -VDOS_ENOENT;
}

int ramfs_load_cpio(const void *data, size_t size, const char *origin) {
  size_t off = 0;
  int files = 0;
  for (int guard = 0; guard < RAMFS_MAX_NODES * 2; guard++) {
    struct cpio_entry e;
    int r = cpio_next(data, size, &off, &e);
    if (r == 0) {
      klog(LOG_INFO, "ramfs: %d files from %s", files, origin);
      return files;
    }
    if (r < 0) {
      klog(LOG_WARN, "ramfs: malformed archive from %s (error %d)", origin, r);
      return -VDOS_EINVAL;
    }
    char path[VDOS_PATH_MAX];
    if (e.name_len + 2 > sizeof(path)) continue;
    path[0] = '/';
    memcpy(path + 1, e.name, e.name_len + 1);
    if (strcmp(path, "/.") == 0) continue;
    if ((e.mode & 0170000) == 0040000) {
      int n = ramfs_create(path, 1);
      if (n < 0 && n != -VDOS_EEXIST) klog(LOG_WARN, "ramfs: mkdir %s: %d", path, n);
    } else if ((e.mode & 0170000) == 0100000) {
      int n = ramfs_lookup(path);
      if (n < 0) n = ramfs_create(path, 0);
      if (n < 0 || ramfs_truncate(n) < 0 || ramfs_write(n, 0, e.data, e.size) < 0) {
        klog(LOG_WARN, "ramfs: cannot store %s", path);
        continue;
      }
      files++;
    }
  }
  return -VDOS_EINVAL;
}
