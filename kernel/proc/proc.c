// EL0 programs: one runs at a time; a spawning parent waits until its child ends. Each program
// has its own address space (TTBR0), FP/SIMD state and file descriptors.
#include "kernel/abi/syscalls.h"
#include "kernel/dev/netdev.h"
#include "kernel/fs/ramfs.h"
#include "kernel/kernel.h"
#include "kernel/mm/mmu.h"
#include "kernel/net/knet.h"
#include "kernel/net/ksock.h"
#include "kernel/net/ksock_opts.h"
#include "kernel/proc/elf.h"
#include "kernel/proc/uaccess.h"

#define MAX_PROCS 8
#define MAX_FILES 13  // descriptors 3.. for files
// Files and sockets share one table; sockets have their own per-program limit on top.
#define MAX_FDS (3 + MAX_FILES + KSOCK_PER_PROGRAM)
#define BRK_MAX (64ull << 20)

struct fd {
  int used;
  int node;
  uint32_t gen;
  size_t off;
  int flags;
  struct ksock *sock;  // non-NULL: a socket (node/gen/off unused)
};

struct proc {
  int used;
  int pid;
  char name[32];
  struct aspace as;
  struct frame saved;  // user registers while a child runs
  struct fpstate fp;
  uint64_t brk_base, brk, brk_mapped;
  struct proc *parent;
  int child_pid, child_status;  // last child that ended
  int console_raw;
  struct fd fds[MAX_FDS];
};

static struct proc procs[MAX_PROCS];
static struct proc *cur;
static int next_pid = 1;
static volatile int interrupt_requested;

int proc_console_raw(void) { return cur && cur->console_raw; }

void proc_request_interrupt(void) {
  // The first program (the shell) handles Ctrl-C itself as a key.
  if (cur && cur->pid != 1) interrupt_requested = 1;
}

int proc_current_pid(void) { return cur ? cur->pid : 0; }

int proc_interrupted(void) { return interrupt_requested; }

static void (*exit_hooks[PROC_EXIT_HOOKS])(int pid);

int proc_register_exit_hook(void (*fn)(int pid)) {
  for (int i = 0; i < PROC_EXIT_HOOKS; i++) {
    if (!exit_hooks[i]) {
      exit_hooks[i] = fn;
      return 0;
    }
  }
  return -1;
}

// ---------------------------------------------------------------- user memory access

int user_range_ok(uint64_t addr, size_t n, int write) {
  return aspace_user_ok(&cur->as, addr, n, write);
}

int copy_from_user(void *dst, uint64_t src, size_t n) {
  if (!aspace_user_ok(&cur->as, src, n, 0)) return -VDOS_EFAULT;
  memcpy(dst, (const void *)src, n);
  return 0;
}

int copy_to_user(uint64_t dst, const void *src, size_t n) {
  if (!aspace_user_ok(&cur->as, dst, n, 1)) return -VDOS_EFAULT;
  memcpy((void *)dst, src, n);
  return 0;
}

// Copies a NUL-terminated string of at most max-1 characters.
int copy_str_from_user(char *dst, uint64_t src, size_t max) {
  for (size_t i = 0; i < max; i++) {
    if (((src + i) & (PAGE_SIZE - 1)) == 0 || i == 0) {
      if (!aspace_user_ok(&cur->as, src + i, 1, 0)) return -VDOS_EFAULT;
    }
    dst[i] = *(const char *)(src + i);
    if (!dst[i]) return 0;
  }
  return -VDOS_ENAMETOOLONG;
}

// ---------------------------------------------------------------- loading

static int load_program(struct proc *p, const char *path, const char *const *argv, int argc,
                        struct frame *out) {
  int node = ramfs_lookup(path);
  if (node < 0) return node;
  if (ramfs_is_dir(node)) return -VDOS_EISDIR;
  const uint8_t *data = ramfs_data(node);
  size_t size = ramfs_size(node);
  struct elf_image img;
  int err = elf_parse(data, size, USER_BASE, USER_STACK_TOP - USER_STACK_SIZE - PAGE_SIZE, &img);
  if (err != ELF_OK) {
    klog(LOG_WARN, "exec %s: %s", path, elf_strerror(err));
    return -VDOS_ENOEXEC;
  }
  if (aspace_create(&p->as) != 0) return -VDOS_ENOMEM;
  for (int i = 0; i < img.nseg; i++) {
    const struct elf_segment *s = &img.seg[i];
    uint64_t prot = s->executable ? PROT_USER_RX : (s->writable ? PROT_USER_RW : PROT_USER_RO);
    for (uint64_t va = s->vaddr & ~(PAGE_SIZE - 1); va < s->vaddr + s->memsz; va += PAGE_SIZE) {
      uint8_t *page = aspace_map_page(&p->as, va, prot);
      if (!page) goto nomem;
      // Copy the part of the file image that falls into this page.
      uint64_t lo = va > s->vaddr ? va : s->vaddr;
      uint64_t hi = va + PAGE_SIZE < s->vaddr + s->filesz ? va + PAGE_SIZE : s->vaddr + s->filesz;
      if (hi > lo) memcpy(page + (lo - va), data + s->offset + (lo - s->vaddr), hi - lo);
    }
  }
  // Stack (the page below it stays unmapped as a guard).
  uint8_t *top_page = NULL;
  for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP; va += PAGE_SIZE) {
    top_page = aspace_map_page(&p->as, va, PROT_USER_RW);
    if (!top_page) goto nomem;
  }
  // argv: strings then the pointer array, all in the top stack page (VDOS_ARG_MAX bounds it).
  uint64_t strings_len = 0;
  for (int i = 0; i < argc; i++) strings_len += strlen(argv[i]) + 1;
  uint64_t sp = USER_STACK_TOP - ALIGN_UP(strings_len, 16);
  uint64_t vec = sp - ALIGN_UP((uint64_t)(argc + 1) * 8, 16);
  if (USER_STACK_TOP - vec > PAGE_SIZE) goto nomem;
  uint64_t page_va = USER_STACK_TOP - PAGE_SIZE;
  uint64_t s_va = sp;
  for (int i = 0; i < argc; i++) {
    size_t n = strlen(argv[i]) + 1;
    memcpy(top_page + (s_va - page_va), argv[i], n);
    ((uint64_t *)(top_page + (vec - page_va)))[i] = s_va;
    s_va += n;
  }
  ((uint64_t *)(top_page + (vec - page_va)))[argc] = 0;
  memset(out, 0, sizeof(*out));
  out->elr = img.entry;
  out->spsr = 0;  // EL0t, interrupts enabled
  out->sp_el0 = vec;
  out->x[0] = (uint64_t)argc;
  out->x[1] = vec;
  p->brk_base = p->brk = p->brk_mapped = img.end;
  __asm__ volatile("dsb ish; ic iallu; dsb ish; isb" ::: "memory");
  return 0;
nomem:
  aspace_destroy(&p->as);
  return -VDOS_ENOMEM;
}

static struct proc *proc_alloc(const char *path) {
  for (int i = 0; i < MAX_PROCS; i++) {
    if (!procs[i].used) {
      struct proc *p = &procs[i];
      memset(p, 0, sizeof(*p));
      p->used = 1;
      p->pid = next_pid++;
      const char *base = path;
      for (const char *c = path; *c; c++)
        if (*c == '/') base = c + 1;
      kstrlcpy(p->name, base, sizeof(p->name));
      return p;
    }
  }
  return NULL;
}

// "hello" -> "/bin/hello"; paths with a slash are used as given.
static void resolve_program(const char *name, char *out, size_t size) {
  if (strchr(name, '/')) {
    kstrlcpy(out, name, size);
  } else {
    ksnprintf(out, size, "/bin/%s", name);
  }
}

void proc_start_init(void) {
  static const char *const argv[] = {"vinit"};
  struct proc *p = proc_alloc("/bin/vinit");
  // Static: enter_user rebuilds the kernel stack from its top, where a local would live.
  static struct frame f;
  int err = load_program(p, "/bin/vinit", argv, 1, &f);
  if (err) panic("cannot start /bin/vinit: error %d", err);
  cur = p;
  mmu_switch(p->as.l1);
  klog(LOG_INFO, "starting /bin/vinit (pid %d)", p->pid);
  enter_user(&f);
}

// Ends the current program and resumes its parent in frame f.
static void proc_exit(struct frame *f, int status) {
  struct proc *p = cur;
  struct proc *parent = p->parent;
  // Sockets first (RST or FIN, listeners closed), then whatever else the program held.
  ksock_proc_exit(p->pid);
  for (int i = 0; i < PROC_EXIT_HOOKS; i++)
    if (exit_hooks[i]) exit_hooks[i](p->pid);
  for (int i = 0; i < MAX_FDS; i++) p->fds[i] = (struct fd){0};
  if (!parent) {
    knet_drain(KNET_SHUTDOWN_DRAIN_MS);
    kprintf("ViperDOS: init exited with status %d; power off\n", status);
    psci_system_off();
  }
  mmu_switch(parent->as.l1);
  aspace_destroy(&p->as);
  parent->child_pid = p->pid;
  parent->child_status = status;
  p->used = 0;
  cur = parent;
  *f = parent->saved;
  f->x[0] = (uint64_t)p->pid;
  fpstate_restore(&parent->fp);
  interrupt_requested = 0;
}

void proc_user_fault(struct frame *f, const char *what, uint64_t far) {
  kprintf("\nProgram '%s' crashed: %s at %p (pc %p)\n", cur->name, what, (void *)far,
          (void *)f->elr);
  proc_exit(f, 139);
}

void proc_before_user_return(struct frame *f) {
  if (interrupt_requested && cur->pid != 1) {
    kprintf("^C\nProgram '%s' interrupted\n", cur->name);
    proc_exit(f, 130);
  }
  interrupt_requested = 0;
}

// ---------------------------------------------------------------- syscalls

static long sys_spawn(struct frame *f, uint64_t upath, uint64_t uargv, uint64_t argc) {
  char path[VDOS_PATH_MAX], resolved[VDOS_PATH_MAX];
  int err = copy_str_from_user(path, upath, sizeof(path));
  if (err) return err;
  if (argc > VDOS_ARGC_MAX) return -VDOS_E2BIG;
  static char argbuf[VDOS_ARG_MAX];
  const char *argv[VDOS_ARGC_MAX + 1];
  size_t used = 0;
  for (uint64_t i = 0; i < argc; i++) {
    uint64_t ptr;
    if (copy_from_user(&ptr, uargv + i * 8, 8)) return -VDOS_EFAULT;
    if (used >= sizeof(argbuf)) return -VDOS_E2BIG;
    err = copy_str_from_user(argbuf + used, ptr, sizeof(argbuf) - used);
    if (err == -VDOS_ENAMETOOLONG) return -VDOS_E2BIG;
    if (err) return err;
    argv[i] = argbuf + used;
    used += strlen(argbuf + used) + 1;
  }
  resolve_program(path, resolved, sizeof(resolved));
  struct proc *child = proc_alloc(resolved);
  if (!child) return -VDOS_EAGAIN;
  struct frame cf;
  if (argc == 0) {
    argv[0] = child->name;
    argc = 1;
  }
  err = load_program(child, resolved, argv, (int)argc, &cf);
  if (err) {
    child->used = 0;
    mmu_switch(cur->as.l1);
    return err;
  }
  child->parent = cur;
  cur->saved = *f;
  fpstate_save(&cur->fp);
  cur = child;
  mmu_switch(child->as.l1);
  *f = cf;
  return (long)f->x[0];  // the child's argc: the dispatcher stores it back into x0
}

// ---------------------------------------------------------------- descriptors

int proc_fd_install_sock(struct ksock *s) {
  for (int i = 3; i < MAX_FDS; i++) {
    if (!cur->fds[i].used) {
      cur->fds[i] = (struct fd){.used = 1, .sock = s};
      return i;
    }
  }
  return -VDOS_EMFILE;
}

struct ksock *proc_fd_sock(uint64_t fd, int *err) {
  if (fd >= MAX_FDS || (fd >= 3 && !cur->fds[fd].used)) {
    *err = -VDOS_EBADF;
    return NULL;
  }
  if (fd < 3 || !cur->fds[fd].sock) {
    *err = -VDOS_ENOTSOCK;
    return NULL;
  }
  return cur->fds[fd].sock;
}

void proc_fd_release(uint64_t fd) {
  if (fd < MAX_FDS) cur->fds[fd] = (struct fd){0};
}

int proc_fd_kind(uint64_t fd) {
  if (fd < 3) return PROC_FD_CONSOLE;
  if (fd >= MAX_FDS || !cur->fds[fd].used) return PROC_FD_NONE;
  if (cur->fds[fd].sock) return PROC_FD_SOCKET;
  return ramfs_gen(cur->fds[fd].node) == cur->fds[fd].gen ? PROC_FD_FILE : PROC_FD_NONE;
}

// A file descriptor (not a socket, not the console).
static struct fd *get_fd(uint64_t fd) {
  if (fd < 3 || fd >= MAX_FDS || !cur->fds[fd].used || cur->fds[fd].sock) return NULL;
  struct fd *d = &cur->fds[fd];
  if (ramfs_gen(d->node) != d->gen) return NULL;  // file was deleted
  return d;
}

static long sys_read(uint64_t fd, uint64_t ubuf, uint64_t len) {
  if (len == 0) return 0;
  if (!aspace_user_ok(&cur->as, ubuf, len, 1)) return -VDOS_EFAULT;
  if (fd == 0) {
    while (!console_has_input()) {
      if (interrupt_requested) return -VDOS_EINTR;
      irq_wait();
    }
    size_t n = 0;
    int c;
    while (n < len && (c = console_getc()) >= 0) ((char *)ubuf)[n++] = (char)c;
    return (long)n;
  }
  if (fd < MAX_FDS && cur->fds[fd].used && cur->fds[fd].sock)
    return ksock_recv(cur->fds[fd].sock, ubuf, len, 0, 0);
  struct fd *d = get_fd(fd);
  if (!d || (d->flags & VDOS_O_ACCMODE) == VDOS_O_WRONLY) return -VDOS_EBADF;
  long n = ramfs_read(d->node, d->off, (void *)ubuf, len);
  if (n > 0) d->off += (size_t)n;
  return n;
}

static long sys_write(uint64_t fd, uint64_t ubuf, uint64_t len) {
  if (len == 0) return 0;
  if (!aspace_user_ok(&cur->as, ubuf, len, 0)) return -VDOS_EFAULT;
  if (fd == 1 || fd == 2) {
    uart_write((const char *)ubuf, len);
    return (long)len;
  }
  if (fd < MAX_FDS && cur->fds[fd].used && cur->fds[fd].sock)
    return ksock_send(cur->fds[fd].sock, ubuf, len, 0, 0);
  struct fd *d = get_fd(fd);
  if (!d || (d->flags & VDOS_O_ACCMODE) == VDOS_O_RDONLY) return -VDOS_EBADF;
  if (d->flags & VDOS_O_APPEND) d->off = ramfs_size(d->node);
  long n = ramfs_write(d->node, d->off, (const void *)ubuf, len);
  if (n > 0) d->off += (size_t)n;
  return n;
}

static long sys_open(uint64_t upath, uint64_t flags) {
  char path[VDOS_PATH_MAX];
  int err = copy_str_from_user(path, upath, sizeof(path));
  if (err) return err;
  if (flags & ~(uint64_t)(VDOS_O_ACCMODE | VDOS_O_CREAT | VDOS_O_TRUNC | VDOS_O_APPEND) ||
      (flags & VDOS_O_ACCMODE) == 3)
    return -VDOS_EINVAL;
  int node = ramfs_lookup(path);
  if (node < 0 && node == -VDOS_ENOENT && (flags & VDOS_O_CREAT)) node = ramfs_create(path, 0);
  if (node < 0) return node;
  if (ramfs_is_dir(node)) return -VDOS_EISDIR;
  int files = 0;
  for (int i = 3; i < MAX_FDS; i++) files += cur->fds[i].used && !cur->fds[i].sock;
  if (files >= MAX_FILES) return -VDOS_EMFILE;
  for (int i = 3; i < MAX_FDS; i++) {
    if (!cur->fds[i].used) {
      if ((flags & VDOS_O_TRUNC) && (flags & VDOS_O_ACCMODE) != VDOS_O_RDONLY) ramfs_truncate(node);
      cur->fds[i] = (struct fd){1, node, ramfs_gen(node), 0, (int)flags, NULL};
      return i;
    }
  }
  return -VDOS_EMFILE;
}

static long sys_path_op(uint64_t nr, uint64_t a, uint64_t b) {
  char p1[VDOS_PATH_MAX], p2[VDOS_PATH_MAX];
  int err = copy_str_from_user(p1, a, sizeof(p1));
  if (err) return err;
  switch (nr) {
    case SYS_MKDIR: {
      int n = ramfs_create(p1, 1);
      return n < 0 ? n : 0;
    }
    case SYS_RMDIR:
      return ramfs_rmdir(p1);
    case SYS_UNLINK:
      return ramfs_unlink(p1);
    case SYS_RENAME:
      err = copy_str_from_user(p2, b, sizeof(p2));
      return err ? err : ramfs_rename(p1, p2);
    case SYS_STAT: {
      int n = ramfs_lookup(p1);
      if (n < 0) return n;
      struct vdos_stat st = {ramfs_is_dir(n) ? VDOS_S_IFDIR : VDOS_S_IFREG, 0, ramfs_size(n)};
      return copy_to_user(b, &st, sizeof(st));
    }
  }
  return -VDOS_ENOSYS;
}

static long sys_readdir(uint64_t upath, uint64_t index, uint64_t uent) {
  char path[VDOS_PATH_MAX];
  int err = copy_str_from_user(path, upath, sizeof(path));
  if (err) return err;
  if (!aspace_user_ok(&cur->as, uent, sizeof(struct vdos_dirent), 1)) return -VDOS_EFAULT;
  struct vdos_dirent ent;
  memset(&ent, 0, sizeof(ent));
  int n = ramfs_readdir(path, index, ent.name, sizeof(ent.name));
  if (n == -VDOS_ENOENT && ramfs_lookup(path) >= 0) return 0;  // end of directory
  if (n < 0) return n;
  ent.mode = ramfs_is_dir(n) ? VDOS_S_IFDIR : VDOS_S_IFREG;
  ent.size = ramfs_size(n);
  return copy_to_user(uent, &ent, sizeof(ent)) ? -VDOS_EFAULT : 1;
}

static long sys_brk(uint64_t want) {
  if (want == 0) return (long)cur->brk;
  if (want < cur->brk_base || want > cur->brk_base + BRK_MAX) return (long)cur->brk;
  uint64_t need = ALIGN_UP(want, PAGE_SIZE);
  while (cur->brk_mapped < need) {
    if (!aspace_map_page(&cur->as, cur->brk_mapped, PROT_USER_RW)) return (long)cur->brk;
    cur->brk_mapped += PAGE_SIZE;
  }
  cur->brk = want;
  return (long)want;
}

static long sys_netdev(uint64_t nr, uint64_t a, uint64_t b, uint64_t c) {
  if (!netdev_present()) return -VDOS_ENODEV;
  static uint8_t frame[NETDEV_MTU_FRAME];
  if (nr == SYS_NETDEV_INFO) {
    struct vdos_netdev_info info;
    memset(&info, 0, sizeof(info));
    netdev_mac(info.mac);
    info.link_up = (unsigned char)netdev_link_up();
    const struct netdev_stats *s = netdev_get_stats();
    info.rx_frames = s->rx_frames;
    info.rx_bytes = s->rx_bytes;
    info.rx_dropped = s->rx_dropped;
    info.tx_frames = s->tx_frames;
    info.tx_bytes = s->tx_bytes;
    info.tx_busy = s->tx_busy;
    info.irqs = s->irqs;
    info.errors = s->errors;
    return copy_to_user(a, &info, sizeof(info));
  }
  if (nr == SYS_NETDEV_SEND) {
    if (b > sizeof(frame)) return -VDOS_EINVAL;
    if (copy_from_user(frame, a, b)) return -VDOS_EFAULT;
    // A raw sender usually waits for an answer next: keep copies of received frames for it.
    knet_raw_listen(2000);
    return netdev_send(frame, b);
  }
  // SYS_NETDEV_RECV: wait (interrupt driven) up to timeout_ms for a frame.
  if (!aspace_user_ok(&cur->as, a, b, 1)) return -VDOS_EFAULT;
  if (c > 60000) return -VDOS_EINVAL;
  knet_raw_listen((uint32_t)c + 1000);
  uint64_t until = time_ns() + c * 1000000ull;
  for (;;) {
    // With the stack running, frames reach the stack and a copy lands in the raw ring.
    kernel_poll();
    int n = knet_raw_recv(frame, sizeof(frame));
    if (n < 0) return n;
    if (n > 0) {
      if ((uint64_t)n > b) return -VDOS_EINVAL;
      memcpy((void *)a, frame, (size_t)n);
      return n;
    }
    if (time_ns() >= until) return 0;
    if (interrupt_requested) return -VDOS_EINTR;
    irq_wait();
  }
}

static int interrupted(void) { return interrupt_requested; }

// kernel/tls provides it when linked in; until then the TLS calls answer -ENOSYS.
extern long ktls_syscall(uint64_t nr, const uint64_t args[6]) __attribute__((weak));

// SYS_PING: one echo request, blocking until its reply, an ICMP error or the timeout.
static long sys_ping(uint64_t dst, uint64_t seq, uint64_t len, uint64_t timeout_ms, uint64_t uout) {
  if (len > VDOS_PING_MAX_PAYLOAD || timeout_ms == 0 || timeout_ms > VDOS_PING_MAX_TIMEOUT_MS ||
      dst > 0xffffffffull || seq > 0xffff) {
    return -VDOS_EINVAL;
  }
  if (!aspace_user_ok(&cur->as, uout, sizeof(struct vdos_ping_reply), 1)) return -VDOS_EFAULT;
  struct vdos_ping_reply rep;
  int r =
      knet_ping((uint32_t)dst, (uint16_t)seq, (size_t)len, (uint32_t)timeout_ms, &rep, interrupted);
  // Checked again: nothing in the wait can unmap it today, but the copy must not rely on that.
  if (copy_to_user(uout, &rep, sizeof(rep))) return -VDOS_EFAULT;
  return r;
}

static long sys_dns_resolve(uint64_t uname, uint64_t uout) {
  char name[VDOS_PATH_MAX];
  int r = copy_str_from_user(name, uname, sizeof(name));
  if (r == -VDOS_ENAMETOOLONG || (r == 0 && strlen(name) > VDOS_DNS_NAME_MAX)) return -VDOS_EINVAL;
  if (r) return r;
  if (!aspace_user_ok(&cur->as, uout, sizeof(struct vdos_dns_result), 1)) return -VDOS_EFAULT;
  static struct vdos_dns_result res;
  r = knet_resolve(name, &res, interrupted);
  if (r >= 0 && copy_to_user(uout, &res, sizeof(res))) return -VDOS_EFAULT;
  return r;
}

static long sys_net_stats(uint64_t ubuf, uint64_t cap) {
  if (cap > VDOS_NET_STATS_MAX) return -VDOS_EINVAL;
  if (cap && !aspace_user_ok(&cur->as, ubuf, cap, 1)) return -VDOS_EFAULT;
  static char text[VDOS_NET_STATS_MAX];
  size_t n = knet_format_stats(text, cap ? cap : 1);
  if (cap) memcpy((void *)ubuf, text, n + 1 < cap ? n + 1 : cap);
  return (long)n;
}

static volatile int sleep_done;

static void sleep_wake(void *arg) {
  (void)arg;
  sleep_done = 1;
}

// Sleeps on the timer queue (the same queue the network stack's timers will use).
static long sys_sleep(uint64_t ms) {
  if (ms > 24ull * 3600 * 1000) return -VDOS_EINVAL;
  sleep_done = 0;
  int h = timer_add(time_ns() + ms * 1000000ull, sleep_wake, NULL);
  if (h < 0) return h;
  while (!sleep_done) {
    if (interrupt_requested) {
      timer_cancel(h);
      return -VDOS_EINTR;
    }
    irq_wait();
  }
  return 0;
}

void syscall_dispatch(struct frame *f) {
  uint64_t nr = f->x[8], a = f->x[0], b = f->x[1], c = f->x[2];
  long r;
  switch (nr) {
    case SYS_EXIT:
      proc_exit(f, (int)a);
      return;
    case SYS_SPAWN:
      r = sys_spawn(f, a, b, c);
      break;
    case SYS_WAIT:
      if (cur->child_pid == 0 || (a != 0 && (int)a != cur->child_pid)) {
        r = -VDOS_ECHILD;
      } else if (b && copy_to_user(b, &cur->child_status, sizeof(int))) {
        r = -VDOS_EFAULT;
      } else {
        r = cur->child_pid;
        cur->child_pid = 0;
      }
      break;
    case SYS_GETPID:
      r = cur->pid;
      break;
    case SYS_BRK:
      r = sys_brk(a);
      break;
    case SYS_YIELD:
      r = 0;
      break;
    case SYS_READ:
      r = sys_read(a, b, c);
      break;
    case SYS_WRITE:
      r = sys_write(a, b, c);
      break;
    case SYS_OPEN:
      r = sys_open(a, b);
      break;
    case SYS_CLOSE:
      if (a < MAX_FDS && cur->fds[a].used && cur->fds[a].sock) {
        r = ksock_close_fd(a);
      } else if (get_fd(a)) {
        cur->fds[a].used = 0;
        r = 0;
      } else {
        r = -VDOS_EBADF;
      }
      break;
    case SYS_LSEEK: {
      struct fd *d = get_fd(a);
      long base = 0;
      if (!d) {
        r = a < 3 || proc_fd_kind(a) == PROC_FD_SOCKET ? -VDOS_ESPIPE : -VDOS_EBADF;
        break;
      }
      if (c == 1) base = (long)d->off;
      if (c == 2) base = (long)ramfs_size(d->node);
      if (c > 2 || (long)b + base < 0 || (long)b > (long)RAMFS_MAX_FILE) {
        r = -VDOS_EINVAL;
        break;
      }
      d->off = (size_t)(base + (long)b);
      r = (long)d->off;
      break;
    }
    case SYS_STAT:
    case SYS_MKDIR:
    case SYS_RMDIR:
    case SYS_UNLINK:
    case SYS_RENAME:
      r = sys_path_op(nr, a, b);
      break;
    case SYS_READDIR:
      r = sys_readdir(a, b, c);
      break;
    case SYS_CONSOLE_MODE:
      cur->console_raw = a != 0;
      r = 0;
      break;
    case SYS_TIME_NS:
      r = (long)time_ns();
      break;
    case SYS_NETDEV_INFO:
    case SYS_NETDEV_SEND:
    case SYS_NETDEV_RECV:
      r = sys_netdev(nr, a, b, c);
      break;
    case SYS_PING:
      r = sys_ping(a, b, c, f->x[3], f->x[4]);
      break;
    case SYS_DNS_RESOLVE:
      r = sys_dns_resolve(a, b);
      break;
    case SYS_NET_STATS:
      r = sys_net_stats(a, b);
      break;
    case SYS_SOCKET_CREATE:
    case SYS_SOCKET_CONNECT:
    case SYS_SOCKET_SEND:
    case SYS_SOCKET_RECV:
    case SYS_SOCKET_CLOSE:
    case SYS_SOCKET_POLL:
    case SYS_SOCKET_BIND:
    case SYS_SOCKET_LISTEN:
    case SYS_SOCKET_ACCEPT:
    case SYS_SOCKET_SHUTDOWN:
    case SYS_SOCKET_GETNAME:
    case SYS_SOCKET_SETOPT:
    case SYS_SOCKET_GETOPT:
    case SYS_SOCKET_INFO: {
      const uint64_t args[6] = {a, b, c, f->x[3], f->x[4], f->x[5]};
      r = ksock_syscall(nr, args);
      break;
    }
    case SYS_TLS_CREATE:
    case SYS_TLS_HANDSHAKE:
    case SYS_TLS_SEND:
    case SYS_TLS_RECV:
    case SYS_TLS_CLOSE:
    case SYS_TLS_INFO: {
      const uint64_t args[6] = {a, b, c, f->x[3], f->x[4], f->x[5]};
      r = ktls_syscall ? ktls_syscall(nr, args) : -VDOS_ENOSYS;
      break;
    }
    case SYS_SLEEP_MS:
      r = sys_sleep(a);
      break;
    case SYS_GETRANDOM: {
      if (b > (1u << 20)) {
        r = -VDOS_EINVAL;
      } else if (!aspace_user_ok(&cur->as, a, b, 1)) {
        r = -VDOS_EFAULT;
      } else {
        r = random_bytes((void *)a, b);
      }
      break;
    }
    case SYS_MEMINFO: {
      struct vdos_meminfo mi;
      kmeminfo(&mi);
      r = copy_to_user(a, &mi, sizeof(mi));
      break;
    }
    case SYS_SHUTDOWN: {
      int left = knet_drain(KNET_SHUTDOWN_DRAIN_MS);
      if (left) klog(LOG_WARN, "net: %d connection(s) still sending at power off", left);
      kprintf("ViperDOS: power off\n");
      psci_system_off();
    }
    case SYS_VERSION: {
      size_t n = strlen(VIPERDOS_VERSION);
      if (b == 0) {
        r = (long)n;
      } else if (b > VDOS_PATH_MAX) {
        r = -VDOS_EINVAL;
      } else {
        char tmp[VDOS_PATH_MAX];
        kstrlcpy(tmp, VIPERDOS_VERSION, b);
        r = copy_to_user(a, tmp, b < n + 1 ? b : n + 1) ? -VDOS_EFAULT : (long)n;
      }
      break;
    }
    default:
      r = -VDOS_ENOSYS;
  }
  f->x[0] = (uint64_t)r;
}
