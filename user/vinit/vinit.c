// vinit: the ViperDOS shell. Prompt "SYS:>", line editing (Backspace, Ctrl-U, Ctrl-C),
// case-insensitive commands.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "user/libc/vdos.h"

#define LINE_MAX 256
#define MAX_ARGS 16

static void put(const char *s) { vdos_write(1, s, strlen(s)); }

// Reads one line with echo. Returns its length, or -1 at end of input.
static int read_line(char *line) {
  static int skip_lf;  // "\r\n" is one line end
  int len = 0;
  for (;;) {
    char c;
    if (vdos_read(0, &c, 1) != 1) return -1;
    if (c == '\n' && skip_lf) {
      skip_lf = 0;
      continue;
    }
    skip_lf = 0;
    if (c == '\r' || c == '\n') {
      skip_lf = c == '\r';
      put("\n");
      line[len] = 0;
      return len;
    }
    if (c == 0x7f || c == 0x08) {
      if (len > 0) {
        len--;
        put("\b \b");
      }
    } else if (c == 0x15) {  // Ctrl-U: erase the line
      while (len > 0) {
        len--;
        put("\b \b");
      }
    } else if (c == 0x03) {  // Ctrl-C: abandon the line
      put("^C\n");
      line[0] = 0;
      return 0;
    } else if ((unsigned char)c >= 0x20 && len < LINE_MAX - 1) {
      line[len++] = c;
      vdos_write(1, &c, 1);
    }
  }
}

static int split(char *line, char **argv) {
  int argc = 0;
  char *p = line;
  while (*p && argc < MAX_ARGS) {
    while (*p == ' ' || *p == '\t') p++;
    if (!*p) break;
    if (*p == '"') {
      argv[argc++] = ++p;
      while (*p && *p != '"') p++;
    } else {
      argv[argc++] = p;
      while (*p && *p != ' ' && *p != '\t') p++;
    }
    if (*p) *p++ = 0;
  }
  return argc;
}

static void report(const char *what, const char *arg, long err) {
  printf("%s %s: %s\n", what, arg, vdos_strerror(-err));
}

static void cmd_dir(const char *path) {
  struct vdos_dirent e;
  int n = 0;
  for (size_t i = 0; i < 4096; i++) {
    long r = vdos_readdir(path, i, &e);
    if (r < 0) {
      report("Dir", path, r);
      return;
    }
    if (r == 0) break;
    if (e.mode & VDOS_S_IFDIR) {
      printf("  %-32s  (dir)\n", e.name);
    } else {
      printf("  %-32s %8lu\n", e.name, (unsigned long)e.size);
    }
    n++;
  }
  printf("%d entries\n", n);
}

static void cmd_type(const char *path) {
  long fd = vdos_open(path, VDOS_O_RDONLY);
  if (fd < 0) {
    report("Type", path, fd);
    return;
  }
  char buf[512];
  long n;
  int last = '\n';
  while ((n = vdos_read((int)fd, buf, sizeof(buf))) > 0) {
    fflush(stdout);
    vdos_write(1, buf, (size_t)n);
    last = buf[n - 1];
  }
  if (last != '\n') put("\n");
  vdos_close((int)fd);
}

static void cmd_copy(const char *from, const char *to) {
  long in = vdos_open(from, VDOS_O_RDONLY);
  if (in < 0) {
    report("Copy", from, in);
    return;
  }
  long out = vdos_open(to, VDOS_O_WRONLY | VDOS_O_CREAT | VDOS_O_TRUNC);
  if (out < 0) {
    report("Copy", to, out);
    vdos_close((int)in);
    return;
  }
  char buf[1024];
  long n, total = 0;
  while ((n = vdos_read((int)in, buf, sizeof(buf))) > 0) {
    long w = vdos_write((int)out, buf, (size_t)n);
    if (w != n) {
      report("Copy", to, w < 0 ? w : -VDOS_ENOSPC);
      break;
    }
    total += n;
  }
  vdos_close((int)in);
  vdos_close((int)out);
  printf("Copied %ld bytes\n", total);
}

static void cmd_run(int argc, char **argv) {
  fflush(stdout);
  long pid = vdos_spawn(argv[0], (const char *const *)argv, argc);
  if (pid < 0) {
    report("Run", argv[0], pid);
    return;
  }
  int status = 0;
  long r = vdos_wait((int)pid, &status);
  if (r < 0) {
    report("Wait", argv[0], r);
    return;
  }
  printf("Program '%s' exited with status %d\n", argv[0], status);
}

static void help(void) {
  puts("Commands (case does not matter):");
  puts("  Run <program> [args]   Help   Version   Mem   Uptime   Wait <seconds>   Shutdown");
  puts("  Dir [path]   Type <file>   Copy <from> <to>   Delete <path>");
  puts("  MakeDir <path>   Rename <from> <to>");
}

int main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  char line[LINE_MAX];
  puts("vinit: ViperDOS shell. Type Help for commands.");
  for (;;) {
    put("SYS:> ");
    int n = read_line(line);
    if (n < 0) {
      // Console input ended (piped input exhausted): nothing more will come.
      vdos_sleep_ms(100);
      continue;
    }
    char *av[MAX_ARGS];
    int ac = split(line, av);
    if (ac == 0) continue;
    const char *c = av[0];
    if (!strcasecmp(c, "help")) {
      help();
    } else if (!strcasecmp(c, "version")) {
      char v[128];
      vdos_version(v, sizeof(v));
      puts(v);
    } else if (!strcasecmp(c, "shutdown")) {
      fflush(stdout);
      vdos_shutdown();
    } else if (!strcasecmp(c, "uptime")) {
      uint64_t ms = vdos_time_ns() / 1000000;
      printf("Up %lu.%03lu seconds\n", (unsigned long)(ms / 1000), (unsigned long)(ms % 1000));
    } else if (!strcasecmp(c, "mem")) {
      struct vdos_meminfo m;
      vdos_meminfo(&m);
      printf("Pages: %lu free of %lu (4 KiB)\n", m.free_pages, m.total_pages);
      printf("Kernel heap: %lu used, %lu peak, %lu limit, %lu allocations, %lu refused\n",
             m.heap_used, m.heap_peak, m.heap_limit, m.heap_allocs, m.heap_failures);
    } else if (!strcasecmp(c, "wait")) {
      unsigned s = ac > 1 ? (unsigned)strtoul(av[1], NULL, 10) : 1;
      if (s > 3600) s = 3600;
      vdos_sleep_ms(s * 1000);
    } else if (!strcasecmp(c, "run")) {
      if (ac < 2) {
        puts("Usage: Run <program> [args]");
      } else {
        cmd_run(ac - 1, av + 1);
      }
    } else if (!strcasecmp(c, "dir")) {
      cmd_dir(ac > 1 ? av[1] : "/");
    } else if (!strcasecmp(c, "type")) {
      if (ac < 2)
        puts("Usage: Type <file>");
      else
        cmd_type(av[1]);
    } else if (!strcasecmp(c, "copy")) {
      if (ac < 3)
        puts("Usage: Copy <from> <to>");
      else
        cmd_copy(av[1], av[2]);
    } else if (!strcasecmp(c, "delete")) {
      long r = ac < 2 ? -VDOS_EINVAL : vdos_unlink(av[1]);
      if (r == -VDOS_EISDIR) r = vdos_rmdir(av[1]);
      if (r < 0)
        report("Delete", ac > 1 ? av[1] : "", r);
      else
        printf("Deleted %s\n", av[1]);
    } else if (!strcasecmp(c, "makedir")) {
      long r = ac < 2 ? -VDOS_EINVAL : vdos_mkdir(av[1]);
      if (r < 0) report("MakeDir", ac > 1 ? av[1] : "", r);
    } else if (!strcasecmp(c, "rename")) {
      long r = ac < 3 ? -VDOS_EINVAL : vdos_rename(av[1], av[2]);
      if (r < 0)
        report("Rename", ac > 1 ? av[1] : "", r);
      else
        printf("Renamed %s to %s\n", av[1], av[2]);
    } else {
      printf("Unknown command '%s'. Type Help for the list.\n", c);
    }
  }
}
