#include "kernel/dtb/fdt.h"

#include <string.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u
// Sanity bound: QEMU's DTBs are ~1 MiB at most (it reserves that much); refuse anything larger.
#define FDT_MAX_SIZE (2u << 20)

uint32_t fdt_be32(const void *p) {
  const uint8_t *b = p;
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

uint64_t fdt_be64(const void *p) {
  const uint8_t *b = p;
  return ((uint64_t)fdt_be32(b) << 32) | fdt_be32(b + 4);
}

size_t fdt_total_size(const void *blob) {
  if (fdt_be32(blob) != FDT_MAGIC) return 0;
  return fdt_be32((const uint8_t *)blob + 4);
}

int fdt_init(struct fdt *f, const void *blob, size_t max_size) {
  const uint8_t *b = blob;
  if (blob == NULL || max_size < 40) return -1;
  if (fdt_be32(b) != FDT_MAGIC) return -1;
  uint32_t total = fdt_be32(b + 4);
  uint32_t off_struct = fdt_be32(b + 8);
  uint32_t off_strings = fdt_be32(b + 12);
  uint32_t version = fdt_be32(b + 20);
  uint32_t last_compat = fdt_be32(b + 24);
  uint32_t size_strings = fdt_be32(b + 32);
  uint32_t size_struct = fdt_be32(b + 36);
  if (total < 40 || total > max_size || total > FDT_MAX_SIZE) return -1;
  if (version < 16 || last_compat > 17) return -1;
  if (off_struct % 4 != 0 || off_struct < 40 || off_struct > total ||
      size_struct > total - off_struct)
    return -1;
  if (off_strings > total || size_strings > total - off_strings) return -1;
  f->blob = b;
  f->size = total;
  f->structs = b + off_struct;
  f->struct_size = size_struct;
  f->strings = (const char *)b + off_strings;
  f->strings_size = size_strings;
  return 0;
}

// Token at `off` in the struct block, or FDT_END when out of bounds.
static uint32_t token_at(const struct fdt *f, size_t off) {
  if (off > f->struct_size || f->struct_size - off < 4) return FDT_END;
  return fdt_be32(f->structs + off);
}

// Length of a NUL-terminated name starting at `off`, bounded by the struct block; -1 if none.
static long name_len(const struct fdt *f, size_t off) {
  for (size_t i = off; i < f->struct_size; i++) {
    if (f->structs[i] == 0) return (long)(i - off);
  }
  return -1;
}

// Offset of the token following the one at `off`, or -1 on malformed data.
static long next_token(const struct fdt *f, size_t off) {
  uint32_t tag = token_at(f, off);
  size_t p = off + 4;
  switch (tag) {
    case FDT_BEGIN_NODE: {
      long n = name_len(f, p);
      if (n < 0) return -1;
      p += (size_t)n + 1;
      break;
    }
    case FDT_PROP: {
      if (f->struct_size - p < 8) return -1;
      uint32_t len = fdt_be32(f->structs + p);
      if (len > f->struct_size - p - 8) return -1;
      p += 8 + len;
      break;
    }
    case FDT_END_NODE:
    case FDT_NOP:
      break;
    default:
      return -1;
  }
  p = (p + 3) & ~(size_t)3;
  return p <= f->struct_size ? (long)p : -1;
}

const char *fdt_node_name(const struct fdt *f, int node) {
  if (node < 0 || token_at(f, (size_t)node) != FDT_BEGIN_NODE) return NULL;
  if (name_len(f, (size_t)node + 4) < 0) return NULL;
  return (const char *)f->structs + node + 4;
}

// Calls visit(node offset, depth, ctx) for each node in document order; stops when visit
// returns nonzero (returns that node's offset) or at the end (-1). Bounded by the block size:
// every step advances by at least 4 bytes.
typedef int (*visit_fn)(const struct fdt *f, int node, int depth, const char **path_parts,
                        void *ctx);

static int walk(const struct fdt *f, int start_after, visit_fn visit, void *ctx) {
  const char *parts[FDT_MAX_DEPTH];
  int depth = 0;
  size_t off = 0;
  while (off < f->struct_size) {
    uint32_t tag = token_at(f, off);
    if (tag == FDT_END) return -1;
    long next = next_token(f, off);
    if (next < 0 || (size_t)next <= off) return -1;
    if (tag == FDT_BEGIN_NODE) {
      if (depth >= FDT_MAX_DEPTH) return -1;
      parts[depth] = (const char *)f->structs + off + 4;
      depth++;
      if ((int)off > start_after && visit(f, (int)off, depth - 1, parts, ctx)) return (int)off;
    } else if (tag == FDT_END_NODE) {
      if (depth == 0) return -1;
      depth--;
    }
    off = (size_t)next;
  }
  return -1;
}

struct path_ctx {
  const char *path;
};

static int match_path(const struct fdt *f, int node, int depth, const char **parts, void *vctx) {
  struct path_ctx *c = vctx;
  const char *p = c->path;
  if (depth == 0) return strcmp(p, "/") == 0;
  // Compare "/part1/part2/..." (parts[0] is the root's empty name).
  for (int i = 1; i <= depth; i++) {
    if (*p != '/') return 0;
    p++;
    size_t n = strlen(parts[i]);
    if (strncmp(p, parts[i], n) != 0) return 0;
    p += n;
  }
  return *p == 0;
}

int fdt_path_offset(const struct fdt *f, const char *path) {
  if (path == NULL || path[0] != '/') return -1;
  struct path_ctx c = {path};
  return walk(f, -1, match_path, &c);
}

const void *fdt_getprop(const struct fdt *f, int node, const char *name, size_t *len) {
  if (node < 0 || token_at(f, (size_t)node) != FDT_BEGIN_NODE) return NULL;
  long off = next_token(f, (size_t)node);
  int depth = 0;
  while (off >= 0 && (size_t)off < f->struct_size) {
    uint32_t tag = token_at(f, (size_t)off);
    if (tag == FDT_END) return NULL;
    // Validate the token (lengths inside the block) before using any of its fields.
    long next = next_token(f, (size_t)off);
    if (next <= off) return NULL;
    if (tag == FDT_BEGIN_NODE) {
      depth++;
    } else if (tag == FDT_END_NODE) {
      if (depth == 0) return NULL;
      depth--;
    } else if (tag == FDT_PROP && depth == 0) {
      uint32_t plen = fdt_be32(f->structs + off + 4);
      uint32_t nameoff = fdt_be32(f->structs + off + 8);
      if (nameoff < f->strings_size) {
        size_t avail = f->strings_size - nameoff;
        size_t want = strlen(name) + 1;
        if (want <= avail && memcmp(f->strings + nameoff, name, want) == 0) {
          if (len) *len = plen;
          return f->structs + off + 12;
        }
      }
    }
    off = next;
  }
  return NULL;
}

struct compat_ctx {
  const char *compat;
};

static int match_compat(const struct fdt *f, int node, int depth, const char **parts, void *vctx) {
  struct compat_ctx *c = vctx;
  size_t len;
  const char *list = fdt_getprop(f, node, "compatible", &len);
  if (!list) return 0;
  size_t want = strlen(c->compat);
  size_t i = 0;
  while (i < len) {
    size_t n = 0;
    while (i + n < len && list[i + n]) n++;
    if (i + n == len) return 0;  // not NUL-terminated: malformed
    if (n == want && memcmp(list + i, c->compat, n) == 0) return 1;
    i += n + 1;
  }
  return 0;
}

int fdt_node_by_compatible(const struct fdt *f, int offset, const char *compat) {
  struct compat_ctx c = {compat};
  return walk(f, offset, match_compat, &c);
}

struct name_ctx {
  const char *name;
};

static int match_name(const struct fdt *f, int node, int depth, const char **parts, void *vctx) {
  struct name_ctx *c = vctx;
  size_t n = strlen(c->name);
  const char *nm = parts[depth];
  return strncmp(nm, c->name, n) == 0 && (nm[n] == 0 || nm[n] == '@');
}

int fdt_node_by_name(const struct fdt *f, int offset, const char *name) {
  struct name_ctx c = {name};
  return walk(f, offset, match_name, &c);
}

int fdt_reg(const struct fdt *f, int node, int index, unsigned addr_cells, unsigned size_cells,
            uint64_t *addr, uint64_t *size) {
  if (addr_cells < 1 || addr_cells > 2 || size_cells > 2 || index < 0) return -1;
  size_t len;
  const uint8_t *reg = fdt_getprop(f, node, "reg", &len);
  if (!reg) return -1;
  size_t stride = 4u * (addr_cells + size_cells);
  if ((size_t)index >= len / stride) return -1;
  const uint8_t *p = reg + stride * (size_t)index;
  *addr = addr_cells == 2 ? fdt_be64(p) : fdt_be32(p);
  p += 4u * addr_cells;
  *size = size_cells == 2 ? fdt_be64(p) : (size_cells == 1 ? fdt_be32(p) : 0);
  return 0;
}

int fdt_prop_u32(const struct fdt *f, int node, const char *name, uint32_t *out) {
  size_t len;
  const void *p = fdt_getprop(f, node, name, &len);
  if (!p || len != 4) return -1;
  *out = fdt_be32(p);
  return 0;
}
