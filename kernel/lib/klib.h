// Kernel library: string routines and formatted output. Our own, because picolibc's prebuilt
// routines may use FP/SIMD registers, which the kernel (built -mgeneral-regs-only) never saves.
#ifndef KERNEL_LIB_KLIB_H_
#define KERNEL_LIB_KLIB_H_

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

// memcpy moves unaligned 16-byte blocks once this is set: by mmu_init, when RAM is Normal memory
// and alignment checks are off. memcpy is never used on device memory.
extern int klib_unaligned_ok;
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
int kstrcasecmp(const char *a, const char *b);
// Copies at most size-1 bytes and always terminates (size > 0); returns strlen(src).
size_t kstrlcpy(char *dst, const char *src, size_t size);

// printf-style formatting: %d %i %u %x %X %p %s %c %%, with l/ll/z length, width, '0', '-'.
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif  // KERNEL_LIB_KLIB_H_
