#include "kernel/lib/klib.h"

int klib_unaligned_ok;

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (klib_unaligned_ok) {
    // 16 bytes per step whatever the alignment. The kernel is built -mstrict-align (it runs
    // before the MMU, where every access is a Device access and must be aligned), so the compiler
    // would split unaligned words into bytes: the loads and stores are spelled out. Under QEMU TCG
    // a byte loop over a 1.5 KB frame cost more than the rest of receiving it.
    for (; n >= 16; n -= 16, d += 16, s += 16) {
      uint64_t a, b;
      __asm__ volatile("ldp %0, %1, [%2]" : "=&r"(a), "=&r"(b) : "r"(s) : "memory");
      __asm__ volatile("stp %0, %1, [%2]" ::"r"(a), "r"(b), "r"(d) : "memory");
    }
    if (n >= 8) {
      uint64_t a;
      __asm__ volatile("ldr %0, [%1]" : "=&r"(a) : "r"(s) : "memory");
      __asm__ volatile("str %0, [%1]" ::"r"(a), "r"(d) : "memory");
      n -= 8, d += 8, s += 8;
    }
  } else if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
    for (; n >= 8; n -= 8, d += 8, s += 8) *(uint64_t *)d = *(const uint64_t *)s;
  }
  while (n--) *d++ = *s++;
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  if (d == s || n == 0) return dst;
  if (d < s || d >= s + n) return memcpy(dst, src, n);
  while (n--) d[n] = s[n];
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  if (((uintptr_t)d & 7) == 0 && c == 0) {
    for (; n >= 8; n -= 8, d += 8) *(uint64_t *)d = 0;
  }
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

size_t strnlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

int strcmp(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
  for (; n > 0; n--, a++, b++) {
    if (*a != *b || !*a) return (unsigned char)*a - (unsigned char)*b;
  }
  return 0;
}

char *strchr(const char *s, int c) {
  for (;; s++) {
    if (*s == (char)c) return (char *)s;
    if (!*s) return NULL;
  }
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int kstrcasecmp(const char *a, const char *b) {
  while (*a && lower((unsigned char)*a) == lower((unsigned char)*b)) a++, b++;
  return lower((unsigned char)*a) - lower((unsigned char)*b);
}

size_t kstrlcpy(char *dst, const char *src, size_t size) {
  size_t len = strlen(src);
  if (size > 0) {
    size_t n = len < size - 1 ? len : size - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
  }
  return len;
}

struct out {
  char *buf;
  size_t size;
  size_t len;
};

static void emit(struct out *o, char c) {
  if (o->len + 1 < o->size) o->buf[o->len] = c;
  o->len++;
}

static void emit_num(struct out *o, uint64_t v, unsigned base, int upper, int neg, int width,
                     char pad, int left) {
  char tmp[24];
  int n = 0;
  const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  do {
    tmp[n++] = digits[v % base];
    v /= base;
  } while (v && n < (int)sizeof(tmp));
  int total = n + (neg ? 1 : 0);
  if (neg && pad == '0') emit(o, '-');
  if (!left) {
    for (int i = total; i < width; i++) emit(o, pad);
  }
  if (neg && pad != '0') emit(o, '-');
  while (n) emit(o, tmp[--n]);
  if (left) {
    for (int i = total; i < width; i++) emit(o, ' ');
  }
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
  struct out o = {buf, size, 0};
  for (; *fmt; fmt++) {
    if (*fmt != '%') {
      emit(&o, *fmt);
      continue;
    }
    fmt++;
    int left = 0, width = 0, lng = 0;
    char pad = ' ';
    if (*fmt == '-') left = 1, fmt++;
    if (*fmt == '0') pad = '0', fmt++;
    while (*fmt >= '0' && *fmt <= '9' && width < 1000) width = width * 10 + (*fmt++ - '0');
    while (*fmt == 'l' || *fmt == 'z') lng++, fmt++;
    switch (*fmt) {
      case 'd':
      case 'i': {
        int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
        emit_num(&o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, 0, v < 0, width, pad, left);
        break;
      }
      case 'u':
      case 'x':
      case 'X': {
        uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);
        emit_num(&o, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', 0, width, pad, left);
        break;
      }
      case 'p':
        emit(&o, '0');
        emit(&o, 'x');
        emit_num(&o, (uintptr_t)va_arg(ap, void *), 16, 0, 0, width, pad, left);
        break;
      case 's': {
        const char *s = va_arg(ap, const char *);
        if (!s) s = "(null)";
        int n = (int)strlen(s);
        if (!left)
          for (int i = n; i < width; i++) emit(&o, ' ');
        while (*s) emit(&o, *s++);
        if (left)
          for (int i = n; i < width; i++) emit(&o, ' ');
        break;
      }
      case 'c':
        emit(&o, (char)va_arg(ap, int));
        break;
      case '%':
        emit(&o, '%');
        break;
      case 0:
        fmt--;
        break;
      default:
        emit(&o, '%');
        emit(&o, *fmt);
    }
  }
  if (size > 0) buf[o.len < size ? o.len : size - 1] = 0;
  return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = kvsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return n;
}
